import hashlib
import re
from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from apps.surveys.conditions import condition_met
from apps.surveys.models import (
    Answer,
    Question,
    RespondentContact,
    Response,
    Survey,
    TaskRating,
)
from apps.surveys.seeding import seed_survey
from apps.surveys.selectors import (
    AnswerRow,
    answer_values,
    tasks_for_role,
    version_structure,
    visible_pages,
)
from devtools.synthetic import ROLES, synthetic_responses_generate

pytestmark = pytest.mark.django_db

COUNT = 300


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """300 synthetic responses, made once for the module inside a transaction that is rolled
    back at the end (each test still runs in its own savepoint, as in TestCase)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_survey()
            survey = Survey.objects.get(slug="ost-roles-duties")
            summary = synthetic_responses_generate(survey=survey, count=COUNT, seed=42)
            yield survey, summary
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _generate(survey: Survey, **kwargs):
    """Run the generator; returns the summary and the responses it created."""
    before = Response.objects.aggregate(last=Max("pk"))["last"] or 0
    summary = synthetic_responses_generate(survey=survey, **kwargs)
    return summary, Response.objects.filter(pk__gt=before)


def _structure(survey: Survey):
    return version_structure(survey.versions.get(status="published"))


def _answers_by_response(responses) -> dict[int, list[Answer]]:
    found = defaultdict(list)
    for answer in Answer.objects.filter(response__in=responses).select_related(
        "question", "choice"
    ):
        found[answer.response_id].append(answer)
    return found


def _digest(responses) -> str:
    """A fingerprint of everything generated except ids, public ids and timestamps."""
    lines = defaultdict(list)
    for row in responses.order_by("pk").values_list(
        "pk",
        "language",
        "role__slug",
        "setting",
        "state",
        "is_eligible_paid",
        "quote_consent",
        "duration_seconds",
        "is_too_fast",
        "is_duplicate",
        "collector__slug",
        "last_page_key",
    ):
        lines[row[0]].append(repr(row[1:]))
    answers = Answer.objects.filter(response__in=responses).values_list(
        "response_id",
        "question__key",
        "part",
        "choice__value",
        "text_value",
        "number_value",
        "bool_value",
    )
    ratings = TaskRating.objects.filter(response__in=responses).values_list(
        "response_id", "task__code", "is_relevant", "importance", "frequency"
    )
    for row in sorted(answers, key=repr) + sorted(ratings, key=repr):
        lines[row[0]].append(repr(row[1:]))
    text = "\n".join(line for pk in sorted(lines) for line in lines[pk])
    return hashlib.sha256(text.encode()).hexdigest()


def test_generating_300_gives_300_complete_responses(generated):
    survey, summary = generated
    responses = Response.objects.filter(version__survey=survey)
    assert summary.responses == COUNT
    assert responses.count() == COUNT
    assert responses.complete().count() == COUNT
    assert Answer.objects.count() == summary.answers
    assert TaskRating.objects.count() == summary.ratings
    assert {r.language for r in responses} == {"en", "es"}


def test_the_same_seed_gives_identical_data(survey):
    first, responses = _generate(survey, count=60, seed=7)
    digest = _digest(responses)
    responses.delete()
    second, responses = _generate(survey, count=60, seed=7)
    assert _digest(responses) == digest
    assert (first.answers, first.ratings) == (second.answers, second.ratings)
    responses.delete()
    _summary, responses = _generate(survey, count=60, seed=8)
    assert _digest(responses) != digest


def test_every_answer_choice_belongs_to_its_question(generated):
    mismatched = Answer.objects.exclude(choice=None).exclude(choice__question_id=F("question_id"))
    assert not mismatched.exists()
    survey, _summary = generated
    version_ids = {q.pk for q in _structure(survey).question_by_id.values()}
    assert set(Answer.objects.values_list("question_id", flat=True)) <= version_ids


def test_time_use_shares_add_up_to_100_for_every_paid_response(generated):
    totals = defaultdict(int)
    for response_id, share in Answer.objects.filter(question__key="time_use").values_list(
        "response_id", "number_value"
    ):
        assert 0 <= share <= 100
        totals[response_id] += share
    paid = set(Response.objects.filter(is_eligible_paid=True).values_list("pk", flat=True))
    assert set(totals) == paid
    assert set(totals.values()) == {100}


def test_numbers_stay_within_their_questions_bounds(generated):
    answers = Answer.objects.filter(question__type=Question.Type.NUMBER).select_related("question")
    assert answers.exists()
    for answer in answers:
        q = answer.question
        assert answer.number_value is not None
        assert q.min_value is None or answer.number_value >= q.min_value, q.key
        assert q.max_value is None or answer.number_value <= q.max_value, q.key
    rates = [a.number_value for a in answers if a.question.key == "hourly_rate"]
    assert 15 <= sum(rates) / len(rates) <= 25


def test_volunteers_take_the_short_path(generated):
    survey, _summary = generated
    structure = _structure(survey)
    volunteer_view = {"consent": {"yes"}, "eligibility": {"volunteer"}}
    paid_only = {
        q.pk
        for page in structure.pages
        if not condition_met(page.condition, volunteer_view)
        for q in page.question_list
    }
    volunteers = Response.objects.filter(is_eligible_paid=False)
    assert volunteers.exists()
    assert not TaskRating.objects.filter(response__in=volunteers).exists()
    assert not Answer.objects.filter(response__in=volunteers, question_id__in=paid_only).exists()
    assert set(volunteers.values_list("last_page_key", flat=True)) == {"follow_up"}


def test_every_answer_is_on_the_respondents_path_and_required_ones_are_there(generated):
    survey, _summary = generated
    structure = _structure(survey)
    responses = list(Response.objects.all())
    by_response = _answers_by_response(responses)
    for response in responses:
        rows = [
            AnswerRow(
                a.question_id, a.part, a.choice_id, a.text_value, a.number_value, a.bool_value
            )
            for a in by_response[response.pk]
        ]
        values = answer_values(rows, structure)
        shown = [
            q
            for page in visible_pages(structure, values)
            for q in page.question_list
            if condition_met(q.condition, values)
        ]
        answered = {row.question_id for row in rows}
        assert answered <= {q.pk for q in shown}
        required = {
            q.pk
            for q in shown
            if q.is_required and q.type not in (Question.Type.TASK_MATRIX, Question.Type.EMAIL)
        }
        assert required <= answered


def test_ratings_obey_the_importance_and_frequency_rules(generated):
    relevant = TaskRating.objects.filter(is_relevant=True)
    assert relevant.exists()
    assert not relevant.filter(importance__isnull=True).exists()
    assert not relevant.exclude(importance__range=(1, 5)).exists()
    assert not relevant.exclude(frequency__range=(1, 7)).exists()
    not_relevant = TaskRating.objects.filter(is_relevant=False)
    assert not_relevant.exists()
    assert not not_relevant.exclude(importance=None, frequency=None).exists()


def test_paid_respondents_rate_every_task_shown_first_to_their_role(generated):
    first_tasks = {slug: {t.pk for t in tasks_for_role(slug)[0]} for slug in ROLES}
    rated = defaultdict(set)
    for response_id, task_id in TaskRating.objects.values_list("response_id", "task_id"):
        rated[response_id].add(task_id)
    for response in Response.objects.filter(is_eligible_paid=True).select_related("role"):
        assert first_tasks[response.role.slug] <= rated[response.pk]


def test_profile_columns_match_the_answers(generated):
    responses = list(Response.objects.select_related("role"))
    by_response = _answers_by_response(responses)
    for response in responses:
        chosen = {
            a.question.key: a.choice.value if a.choice else a.text_value
            for a in by_response[response.pk]
            if a.question.key in ("role", "eligibility", "setting", "quote_consent")
            or (a.question.key == "state_zip" and a.part == "state")
        }
        assert response.role.slug == chosen["role"]
        assert response.is_eligible_paid == (chosen["eligibility"] == "paid")
        assert response.setting == chosen.get("setting", "")
        assert response.state == chosen.get("state_zip", "")
        assert response.quote_consent == chosen["quote_consent"]


def test_frontline_ratings_give_core_and_supplemental_tasks(generated):
    counts = defaultdict(lambda: [0, 0, 0])  # rated, relevant, importance total
    ratings = TaskRating.objects.filter(response__role__slug="frontline").values_list(
        "task__code", "is_relevant", "importance"
    )
    for code, is_relevant, importance in ratings:
        counts[code][0] += 1
        if is_relevant:
            counts[code][1] += 1
            counts[code][2] += importance
    core, supplemental = set(), set()
    for code, (rated, relevant, importance) in counts.items():
        if rated < 20:
            continue
        if relevant / rated >= 0.67 and relevant and importance / relevant >= 3:
            core.add(code)
        else:
            supplemental.add(code)
    assert core and supplemental


def test_contacts_only_for_those_who_agreed_to_follow_up(generated):
    follow_up = set(
        Answer.objects.filter(question__key="follow_up", bool_value=True).values_list(
            "response_id", flat=True
        )
    )
    contacts = list(RespondentContact.objects.all())
    assert follow_up
    assert {c.response_id for c in contacts} == follow_up
    for contact in contacts:
        assert re.fullmatch(r"synthetic-\d+@example\.invalid", contact.email)
        assert contact.wants_follow_up and contact.confirmation_sent_at is not None


def test_timestamps_and_quality_flags_are_plausible(generated):
    now = timezone.now()
    responses = list(Response.objects.all())
    for response in responses:
        assert now - timedelta(days=91) < response.submitted_at < now
        assert response.submitted_at - response.started_at == timedelta(
            seconds=response.duration_seconds
        )
        assert response.is_too_fast == (response.duration_seconds < settings.SURVEY_MIN_SECONDS)
    assert any(r.is_too_fast for r in responses)
    assert any(r.is_duplicate for r in responses)
    assert any(r.collector_id for r in responses) and any(not r.collector_id for r in responses)


def test_the_command_prints_progress_and_a_summary(survey):
    before = Response.objects.complete().count()
    out = StringIO()
    call_command("generate_responses", count=5, seed=3, batch=2, stdout=out)
    text = out.getvalue()
    assert "4 / 5 responses" in text
    assert "Created 5 responses" in text
    assert Response.objects.complete().count() == before + 5


def test_the_command_refuses_an_unknown_survey(survey):
    with pytest.raises(CommandError, match="No survey 'nope'"):
        call_command("generate_responses", count=5, survey="nope", stdout=StringIO())


def test_on_postgresql_rows_go_in_with_copy_not_insert(survey):
    """The fast path: on PostgreSQL no INSERT statement is sent for the generated rows
    (COPY does not pass through Django's query log; the id reservation does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite uses bulk_create")
    with CaptureQueriesContext(connection) as queries:
        summary, responses = _generate(survey, count=40, seed=11)
    sql = [q["sql"] for q in queries.captured_queries]
    tables = [m._meta.db_table for m in (Response, Answer, TaskRating, RespondentContact)]
    inserts = [s for s in sql if s.lstrip().upper().startswith("INSERT")]
    assert not [s for s in inserts if any(f'"{table}"' in s for table in tables)]
    assert any("nextval" in s for s in sql)
    assert responses.count() == 40
    assert Answer.objects.filter(response__in=responses).count() == summary.answers > 0
    assert TaskRating.objects.filter(response__in=responses).count() == summary.ratings > 0


def test_copy_escapes_text_that_would_break_a_row():
    from devtools.synthetic import _copy_value

    assert _copy_value("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert _copy_value(None) == "\\N"
    assert (_copy_value(True), _copy_value(False), _copy_value(0)) == ("t", "f", "0")


def test_copy_round_trips_tabs_newlines_and_backslashes(survey):
    from django.db import connection

    from devtools.synthetic import ANSWER_COLUMNS, _copy_rows

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    _summary, responses = _generate(survey, count=1, seed=5)
    response = responses.get()
    question = Question.objects.filter(type=Question.Type.LONG_TEXT).first()
    text = "tab\there\nnew line\\backslash\r\\N"
    with connection.cursor() as cursor:
        _copy_rows(
            cursor,
            Answer,
            ("response_id", *ANSWER_COLUMNS),
            [(response.pk, question.pk, "", None, text, None, None)],
        )
    stored = Answer.objects.get(response=response, question=question, text_value__contains="tab")
    assert stored.text_value == text
    assert stored.number_value is None and stored.choice_id is None


def test_a_pooled_run_resubmits_pool_answers_set_based_on_postgresql(survey):
    """Past the pool, each response is a fresh submission of one pool respondent's answers:
    its own id, public id, browser token, time and flags, the same answer and rating rows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pooled path copies rows set-based in PostgreSQL")

    def indexes():
        """Every index and constraint of the tables a bulk load drops keys and indexes of,
        and the foreign keys pointing at them."""
        tables = [Response._meta.db_table, Answer._meta.db_table, TaskRating._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [tables]
            )
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid = ANY(%s::text[]::regclass[]) "
                "OR confrelid = ANY(%s::text[]::regclass[]) ORDER BY 1, 2",
                [tables, tables],
            )
            return found + [repr(row) for row in cursor.fetchall()]

    Response.objects.all().delete()  # the module's responses (rolled back after the test)
    before = indexes()
    # A bulk load of an empty database: the indexes and the answer and rating keys are
    # dropped for the 350 resubmissions and built again at the end; they must all be back.
    summary, responses = _generate(survey, count=400, seed=5, pool=50, bulk_load=True)
    assert indexes() == before and len(before) >= 30
    assert (summary.responses, summary.walked) == (400, 50)
    assert responses.count() == 400
    assert Answer.objects.filter(response__in=responses).count() == summary.answers
    assert TaskRating.objects.filter(response__in=responses).count() == summary.ratings
    assert RespondentContact.objects.filter(response__in=responses).count() == summary.contacts

    def rows(pk):
        answers = Answer.objects.filter(response_id=pk).values_list(
            "question_id", "part", "choice_id", "text_value", "number_value", "bool_value"
        )
        ratings = TaskRating.objects.filter(response_id=pk).values_list(
            "task_id", "is_relevant", "importance", "frequency", "is_assigned"
        )
        return sorted(map(repr, answers)), sorted(map(repr, ratings))

    ordered = list(responses.order_by("pk"))
    pool = {rows(r.pk)[0].__repr__(): r for r in ordered[:50]}
    profile = ("language", "role_id", "setting", "state", "is_eligible_paid", "last_page_key")
    for response in ordered[50:]:
        answers, ratings = rows(response.pk)
        assert answers, "a resubmission without answers"
        template = pool.get(repr(answers))
        assert template is not None, "answers that no pool respondent gave"
        assert ratings == rows(template.pk)[1]
        assert [getattr(response, f) for f in profile] == [getattr(template, f) for f in profile]
        assert response.status == Response.Status.COMPLETE
        assert response.submitted_at - response.started_at == timedelta(
            seconds=response.duration_seconds
        )
        assert response.is_too_fast == (response.duration_seconds < settings.SURVEY_MIN_SECONDS)
    assert len({r.public_id for r in ordered}) == 400
    tokens = [r.browser_token_hash for r in ordered if not r.is_duplicate]
    assert len(set(tokens)) == len(tokens)
    follow_up = set(
        Answer.objects.filter(
            response__in=responses, question__key="follow_up", bool_value=True
        ).values_list("response_id", flat=True)
    )
    contacts = RespondentContact.objects.filter(response__in=responses)
    assert {c.response_id for c in contacts} == follow_up
    assert all(c.email == f"synthetic-{c.response_id}@example.invalid" for c in contacts)


def test_a_bulk_load_is_refused_when_responses_exist(survey):
    from apps.core.exceptions import ApplicationError
    from devtools.synthetic import BULK_LOAD_NOT_EMPTY

    _generate(survey, count=3, seed=1)
    before = Response.objects.count()
    with pytest.raises(ApplicationError) as refused:
        synthetic_responses_generate(survey=survey, count=10, seed=2, bulk_load=True)
    assert refused.value.message == BULK_LOAD_NOT_EMPTY
    assert Response.objects.count() == before
