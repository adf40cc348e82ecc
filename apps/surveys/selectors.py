"""Reads of survey structure and responses. Insights and exports read survey data through here."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.compiled import CompiledQuery

from .conditions import condition_met, condition_possible
from .hashing import token_hash
from .models import (
    Answer,
    Choice,
    Collector,
    Question,
    Response,
    ResumeToken,
    Role,
    Survey,
    SurveyPage,
    SurveyVersion,
    Task,
    TaskRating,
)
from .qtypes import Storage, qtype


class AnswerRow(NamedTuple):
    question_id: int
    part: str
    choice_id: int | None
    text_value: str
    number_value: object
    bool_value: bool | None


@dataclass
class Structure:
    """A survey version's pages, questions and choices, loaded in three queries."""

    version: SurveyVersion
    pages: list[SurveyPage]
    questions: dict[str, Question] = field(default_factory=dict)
    question_by_id: dict[int, Question] = field(default_factory=dict)
    choice_by_id: dict[int, Choice] = field(default_factory=dict)
    role_ids: dict[str, int] = field(default_factory=dict)

    def page(self, key: str) -> SurveyPage | None:
        return next((p for p in self.pages if p.key == key), None)

    def page_weight(self, page: SurveyPage) -> int:
        """Rough effort of a page, for the time estimate: a task matrix counts as 8 questions."""
        return sum(qtype(q).page_weight for q in page.question_list)


def survey_open_list():
    return Survey.objects.filter(versions__status=SurveyVersion.Status.PUBLISHED).distinct()


def survey_published_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.filter(status=SurveyVersion.Status.PUBLISHED).first()


# Structures of versions that are live (published or retired), per process. The key holds
# the version's updated_at, which every page, question or choice change bumps (signals.py).
_STRUCTURES: dict[tuple[int, object], Structure] = {}


def version_structure(version: SurveyVersion) -> Structure:
    """The version's structure; cached for live versions, always fresh for drafts."""
    if version.status == SurveyVersion.Status.DRAFT:
        return _load_structure(version)
    key = (version.pk, version.updated_at)
    structure = _STRUCTURES.get(key)
    if structure is None:
        structure = _STRUCTURES[key] = _load_structure(version)
    return structure


def _load_structure(version: SurveyVersion) -> Structure:
    questions = (
        Question.objects.filter(version=version)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "choices", queryset=Choice.objects.order_by("order", "id"), to_attr="choice_list"
            )
        )
    )
    pages = list(
        SurveyPage.objects.filter(version=version)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=questions, to_attr="question_list"))
    )
    structure = Structure(
        version=version,
        pages=pages,
        role_ids=dict(Role.objects.values_list("slug", "pk")),
    )
    for page in pages:
        for question in page.question_list:
            structure.questions[question.key] = question
            structure.question_by_id[question.pk] = question
            for choice in question.choice_list:
                structure.choice_by_id[choice.pk] = choice
    return structure


def answer_values(
    rows: list[AnswerRow], structure: Structure, *, exclude_page: SurveyPage | None = None
) -> dict[str, set[str]]:
    """Condition values (choice codes, "yes"/"no", state codes) from a response's answers."""
    values: dict[str, set[str]] = {}
    for row in rows:
        question = structure.question_by_id.get(row.question_id)
        if question is None or (exclude_page is not None and question.page_id == exclude_page.pk):
            continue
        value = qtype(question).condition_value(question, row, structure.choice_by_id)
        if value is not None:
            values.setdefault(question.key, set()).add(value)
    return values


def response_answers(response: Response) -> list[AnswerRow]:
    """The response's answers as plain rows (one query, no joins, no model instances)."""
    return [AnswerRow(*row) for row in response.answers.values_list(*AnswerRow._fields)]


def visible_pages(structure: Structure, values) -> list[SurveyPage]:
    return [page for page in structure.pages if condition_met(page.condition, values)]


def expected_pages(structure: Structure, values) -> list[SurveyPage]:
    """Pages the respondent is still likely to see: the shown ones plus those whose
    conditions depend on questions not answered yet."""
    return [page for page in structure.pages if condition_possible(page.condition, values)]


def tasks_for_role(role_slug: str | None) -> tuple[list[Task], list[Task]]:
    """Tasks shown first to this role, and every other active task (any task can be rated).

    Read fresh on each call (two small queries): a per-process cache keyed on the bank's
    count and latest change missed bulk updates (a label changed by `.update()` stayed stale
    until a restart), for a saving of one query a page."""
    return _load_tasks_for_role(role_slug)


def _load_tasks_for_role(role_slug: str | None) -> tuple[list[Task], list[Task]]:
    tasks = list(Task.objects.filter(is_active=True).order_by("order"))
    # The role's task ids in one query on the link table: prefetching every task's roles cost
    # a quarter of a duties POST (bench/submit_bench.py, profiled).
    of_role = set(
        Task.roles.through.objects.filter(role__slug=role_slug).values_list("task_id", flat=True)
    )
    first_filter = [t for t in tasks if t.for_all_roles or t.pk in of_role]
    first_ids = {t.pk for t in first_filter}
    return first_filter, [t for t in tasks if t.pk not in first_ids]


_STATE_FIELDS = (
    "pk",
    "status",
    "version_id",
    "version__status",
    "version__updated_at",
    "last_page_key",
    "started_at",
    "language",
    "resume_page_key",
    "answers__question_id",
    "answers__part",
    "answers__choice_id",
    "answers__text_value",
    "answers__number_value",
    "answers__bool_value",
)


def _state_query(public_id, *, lock: bool) -> QuerySet:
    # No ORDER BY (the model's -started_at would sort the rows of one response).
    query = Response.objects.filter(public_id=public_id).order_by()
    if lock:
        query = query.select_for_update(of=("self",))
    return query.values_list(*_STATE_FIELDS)


def _public_id_param(connection, public_id) -> list:
    return [Response._meta.get_field("public_id").get_db_prep_value(public_id, connection)]


# Compiled once per connection (apps.core.compiled): building and compiling this query
# through the ORM cost a third of a page POST's Python time.
_STATE = CompiledQuery(lambda public_id: _state_query(public_id, lock=False), _public_id_param)
_STATE_LOCKED = CompiledQuery(
    lambda public_id: _state_query(public_id, lock=True), _public_id_param
)


def response_page_state(
    public_id, owned_ids, *, lock: bool = False
) -> tuple[Response, Structure, list[AnswerRow]] | None:
    """A response this browser owns, its version's structure and its answers, in one query
    (the response joined to its answers): this runs on every survey page. With `lock` (inside
    a transaction) the response row is locked until commit by the same query (FOR UPDATE OF
    the response): a page POST's twin waits here, then reads what this one committed."""
    if str(public_id) not in owned_ids:
        return None
    rows = (_STATE_LOCKED if lock else _STATE).rows(public_id)
    if not rows:
        return None
    pk, status, version_id, version_status, version_updated, last_key, started = rows[0][:7]
    language, resume_key = rows[0][7:9]
    response = Response(
        pk=pk,
        public_id=public_id,
        status=status,
        version_id=version_id,
        last_page_key=last_key,
        started_at=started,
        language=language,
        resume_page_key=resume_key,
    )
    response._state.adding = False
    structure = _STRUCTURES.get((version_id, version_updated))
    if structure is None:
        structure = version_structure(SurveyVersion.objects.get(pk=version_id))
    response.version = structure.version
    answers = [AnswerRow(*row[9:]) for row in rows if row[9] is not None]
    return response, structure, answers


def response_for_session(public_id, owned_ids) -> Response | None:
    """The response with this public id, only if this browser session owns it."""
    if str(public_id) not in owned_ids:
        return None
    # No ORDER BY and only the version joined: this runs on every survey page.
    found = list(Response.objects.filter(public_id=public_id).select_related("version")[:1])
    return found[0] if found else None


def collector_counts(survey: Survey):
    """Responses per collector: started and complete (for staff)."""
    from django.db.models import Count

    return survey.collectors.annotate(
        started=Count("responses"),
        complete=Count("responses", filter=Q(responses__status=Response.Status.COMPLETE)),
    ).order_by("name")


@dataclass
class CopyItem:
    question: str
    answers: list[str]


@dataclass
class CopyPage:
    title: str
    items: list[CopyItem]


def response_copy(response: Response) -> list[CopyPage]:
    """The respondent's own answers as text, in the active language, page by page, for the
    copy they keep (printable page and PDF). The email address is left out on purpose. Three
    queries: answers, task ratings with their tasks, and the structure (cached)."""
    from .scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES

    structure = version_structure(response.version)
    rows = response_answers(response)
    values = answer_values(rows, structure)
    by_question: dict[int, list[AnswerRow]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    importance, frequency = dict(IMPORTANCE_CHOICES), dict(FREQUENCY_CHOICES)
    pages = []
    for page in visible_pages(structure, values):
        items = []
        for q in page.question_list:
            storage = qtype(q).storage
            if storage is Storage.CONTACT:
                continue
            if storage is Storage.TASK_RATINGS:
                ratings = response.task_ratings.select_related("task").order_by("task__order")
                for rating in ratings:
                    if rating.is_relevant and rating.importance and rating.frequency:
                        text = f"{importance[rating.importance]}; {frequency[rating.frequency]}"
                    elif rating.is_relevant:
                        text = str(_("Part of my job"))
                    else:
                        text = str(_("Not part of my job"))
                    items.append(CopyItem(rating.task.tr("text"), [text]))
                continue
            found = by_question.get(q.pk)
            if not found:
                continue
            handler = qtype(q)
            answers = [handler.copy_text(q, row, structure.choice_by_id) for row in found]
            items.append(CopyItem(q.tr("text"), answers))
        if items:
            pages.append(CopyPage(page.tr("title"), items))
    return pages


# --- What other apps read of the survey (their way in instead of apps.surveys.models; the
# contract "survey-models-private" in .importlinter keeps it so) ---

# The channels a collector is made for (apps.surveys.services.collector_create's `channel`).
CollectorChannel = Collector.Channel
# A response's status and its respondent's consent to be quoted (coding's quotes).
ResponseStatus = Response.Status
QuoteConsent = Response.QuoteConsent


def response_included_list() -> QuerySet[Response]:
    """The responses the figures count (complete, not excluded, not flagged)."""
    return Response.objects.included()


def answer_list(responses: QuerySet[Response]) -> QuerySet[Answer]:
    """The answers of these responses (for a subquery; nothing is loaded)."""
    return Answer.objects.filter(response__in=responses)


def answer_open_text(answer_id, keys) -> Answer | None:
    """A non-empty answer to one of the open questions `keys`, with its response and
    question (None when there is none)."""
    return (
        Answer.objects.select_related("response", "question")
        .filter(pk=answer_id, question__key__in=keys)
        .exclude(text_value="")
        .first()
    )


def role_list() -> QuerySet[Role]:
    """The respondents' roles (occupations), in the survey's order."""
    return Role.objects.order_by("order", "slug")


def role_by_slug(slug: str | None) -> Role | None:
    return Role.objects.filter(slug=slug).first() if slug else None


def task_active_list() -> QuerySet[Task]:
    """The tasks a respondent can rate, in the survey's order."""
    return Task.objects.filter(is_active=True).order_by("order")


def task_by_code(code: str) -> Task | None:
    return Task.objects.filter(code=code).first()


def survey_version_by_pk(pk) -> SurveyVersion | None:
    return SurveyVersion.objects.filter(pk=pk).first()


def response_by_public_id(public_id) -> Response | None:
    """A response by the id its respondent holds, with its survey (None when unknown)."""
    return Response.objects.select_related("version__survey").filter(public_id=public_id).first()


def survey_data_stamp() -> tuple[dict, dict]:
    """How many responses and tasks there are and when each last changed: unchanged stamps
    mean nothing read from them can be stale (two small aggregate queries)."""
    return (
        Response.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        Task.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
    )


# --- The comment builder's prefill from one's own response (apps.comments) ---

PREFILL_TASKS = 5
NOT_IMPORTANT = 1  # the importance scale's lowest point (scales.IMPORTANCE_CHOICES)
_PREFILL_STATUSES = (Response.Status.IN_PROGRESS, Response.Status.COMPLETE)


def response_for_resume_token(token: str) -> Response | None:
    """The response a private resume link belongs to (draft or complete), or None for an
    unknown or expired link. Unlike the survey's own redeem, a submitted response counts:
    the person may come back after finishing the survey."""
    if not token or len(token) > 100:
        return None
    found = (
        ResumeToken.objects.filter(token_hash=token_hash(token), expires_at__gt=timezone.now())
        .select_related("response")
        .first()
    )
    if found is None or found.response.status not in _PREFILL_STATUSES:
        return None
    return found.response


def response_latest_owned(public_ids: list[str]) -> Response | None:
    """The newest response among those this browser holds in its signed survey cookie."""
    if not public_ids:
        return None
    return (
        Response.objects.filter(public_id__in=public_ids, status__in=_PREFILL_STATUSES)
        .order_by("-started_at")
        .first()
    )


def builder_prefill(response: Response) -> dict:
    """Initial builder values from one survey response (three queries). The employer's code
    is never filled in: the survey does not ask it."""
    initial: dict = {}
    if response.role_id:
        slug = Role.objects.filter(pk=response.role_id).values_list("slug", flat=True).first()
        if slug:
            initial["role"] = slug
    if response.is_eligible_paid is False:
        initial["volunteer"] = True
    if response.setting:
        initial["setting"] = response.setting
    if response.state:
        initial["state"] = response.state
    answers = Answer.objects.filter(
        response=response,
        question__key__in=[
            "years_in_field",
            "job_title",
            "crosswalk_code",
            "crosswalk_fit",
            "describe_work",
        ],
    ).values_list("question__key", "text_value", "number_value", "choice__value")
    for key, text, number, choice in answers:
        if key == "years_in_field" and number is not None:
            initial["years_in_field"] = int(number)
        elif key == "job_title" and text:
            initial["job_title"] = text[:120]
        elif key == "describe_work" and text:
            # A description of the work, not a story: its own field, kept whole.
            initial["description"] = text
        elif key == "crosswalk_code" and choice and choice != "dont_know":
            # The survey asked which occupation comes *closest*, not which code the employer
            # uses: it fills in the closest-occupation question only.
            initial["closest_code"] = choice
        elif key == "crosswalk_fit" and choice:
            initial["closest_fit"] = choice
    if initial.get("closest_code") in (None, "none"):
        initial.pop("closest_fit", None)  # a rating left over from an answer changed since
    # The person's most important tasks first; a task they rated "Not important" (1) is not
    # put forward in their comment, and one checked but not rated (planned missingness) comes
    # after the rated ones on every database (PostgreSQL sorts NULL first when descending).
    tasks = (
        TaskRating.objects.filter(response=response, is_relevant=True, task__is_active=True)
        .exclude(importance=NOT_IMPORTANT)
        .order_by(
            F("importance").desc(nulls_last=True),
            F("frequency").desc(nulls_last=True),
            "task__order",
        )
        .values_list("task_id", flat=True)[:PREFILL_TASKS]
    )
    if tasks:
        initial["tasks"] = list(tasks)
    return initial
