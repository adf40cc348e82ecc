"""Writes on survey responses: start, save a page, submit, resume links, staff review."""

import hashlib
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.jobs import enqueue_task
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from . import duties
from .conditions import condition_met
from .forms import SurveyPageForm, task_field
from .hashing import digest, token_hash  # noqa: F401  (digest: re-exported for tests)
from .models import (
    Answer,
    Collector,
    PageSubmission,
    Question,
    RespondentContact,
    Response,
    ResponsePage,
    ResumeToken,
    Role,
    SurveyPage,
    SurveyVersion,
    TaskRating,
)
from .qtypes import Storage, qtype
from .selectors import Structure, answer_values, response_answers, visible_pages

RESPONSE_NOT_IN_PROGRESS = _("This survey response has already been submitted.")
RESPONSE_INCOMPLETE = _("Some required questions still need an answer.")


def response_start(
    *,
    version: SurveyVersion,
    language: str,
    collector: Collector | None = None,
    browser_token: str = "",
) -> Response:
    """Open a new draft response on the published version."""
    return Response.objects.create(
        version=version,
        language=language[:5],
        collector=collector,
        channel=collector.channel if collector else Collector.Channel.WEB,
        browser_token_hash=digest(browser_token) if browser_token else "",
    )


def _answers_for(q: Question, data: dict, response: Response) -> list[Answer]:
    make = lambda **kw: Answer(response=response, question=q, **kw)  # noqa: E731
    return qtype(q).answers(q, data, make)


def _save_task_ratings(response: Response, form: SurveyPageForm) -> None:
    if form.duties_step == 0:
        _save_checklist(response, form)
        return
    if form.duties_step:
        _save_rating_screen(response, form)
        return
    data = form.cleaned_data
    response.task_ratings.filter(task__in=form.role_tasks + form.other_tasks).delete()
    ratings = []
    for task in form.role_tasks + form.other_tasks:
        rel = data.get(task_field(task, "rel"))
        imp, freq = data.get(task_field(task, "imp")), data.get(task_field(task, "freq"))
        if rel == "no":
            ratings.append(TaskRating(response=response, task=task, is_relevant=False))
        elif rel == "yes" and imp is not None and freq is not None:
            ratings.append(
                TaskRating(
                    response=response, task=task, is_relevant=True, importance=imp, frequency=freq
                )
            )
    TaskRating.objects.bulk_create(ratings)


def _save_checklist(response: Response, form: SurveyPageForm) -> None:
    """Pass one: a row per role task (checked or not) and per other task checked. Tasks
    still checked keep their ratings; with planned missingness their assignment stays.
    One set-based write (ratings_checklist_write), plus a read only when planned
    missingness has to choose among the checked tasks."""
    question = next(q for q in form.step_questions if q.type == Question.Type.TASK_MATRIX)
    checked_codes = set(form.cleaned_data.get(question.key) or [])
    tasks = form.role_tasks + form.other_tasks
    checked = [t for t in tasks if t.code in checked_codes]
    version = form.page.version
    already: set[int] = set()
    if version.max_rated_tasks and len(checked) > version.max_rated_tasks:
        already = set(
            response.task_ratings.filter(
                task__in=checked, is_relevant=True, is_assigned=True
            ).values_list("task_id", flat=True)
        )
    assigned = duties.assign_for_rating(version, checked, already, response_id=response.pk)
    rows = [
        (task.pk, task.code in checked_codes, task.code in checked_codes and task.pk in assigned)
        for task in form.role_tasks
    ] + [(task.pk, True, task.pk in assigned) for task in form.other_tasks if task in checked]
    gone = [task.pk for task in form.other_tasks if task.code not in checked_codes]
    ratings_checklist_write(response.pk, rows, gone)


def _save_rating_screen(response: Response, form: SurveyPageForm) -> None:
    """Pass two: importance and frequency of the tasks on this screen (both or neither:
    on Back or Save a half-rated task keeps no rating). One set-based UPDATE."""
    data = form.cleaned_data
    rows = []
    for task in form.rate_tasks:
        imp, freq = data.get(task_field(task, "imp")), data.get(task_field(task, "freq"))
        if imp is None or freq is None:
            if form.lenient and (imp is None and freq is None):
                continue  # nothing chosen: keep what was saved
            imp = freq = None
        rows.append((task.pk, imp, freq))
    ratings_screen_write(response.pk, rows)


def _save_contact(response: Response, q: Question, email: str, values) -> None:
    if not email:
        RespondentContact.objects.filter(response=response).delete()
        return
    normalized = email.strip().lower()
    RespondentContact.objects.update_or_create(
        response=response,
        defaults={
            "email": normalized,
            "email_digest": digest(normalized),
            "wants_follow_up": "yes" in values.get("follow_up", set()),
        },
    )


class Submission(NamedTuple):
    """An accepted page submission to remember (submission_record), given to
    response_page_save when its target is known before the save."""

    key: str
    page_key: str
    digest: str
    target: str


class SubmissionReplayed(Exception):  # noqa: N818  (a replay is not an error)
    """This key with these answers was saved before (response_page_save's `replay_check`):
    nothing was stored; `target` is where the earlier submission led."""

    def __init__(self, target: str):
        super().__init__(target)
        self.target = target


# No savepoint: inside a request this joins the request's transaction (ATOMIC_REQUESTS), and
# any error fails the whole request anyway. On PostgreSQL a page whose answers are all Answer
# rows is saved in one statement: UPDATE the response (locks the row, checks the status)
# with the page's saved state, note the page as saved, DELETE the page's old answers, INSERT
# the new ones and remember the submission (data-modifying WITHs, each one only if the
# UPDATE found the response in progress). A page with ratings or a contact address runs the
# UPDATE first, then its own writes (ratings_checklist_write, ratings_screen_write).
@transaction.atomic(savepoint=False)
def response_page_save(
    *,
    response: Response,
    form: SurveyPageForm,
    role_ids: dict[str, int] | None = None,
    page_had_answers: bool = True,
    last_page_key: str | None = None,
    resume_page_key: str = "",
    language: str = "",
    submission: Submission | None = None,
    replay_check: bool = False,
) -> Response:
    """Store one page's answers, replacing what the page held before. The first statement
    locks the response row, so two tabs saving at once cannot interleave. A caller that knows
    the page held no answers yet passes page_had_answers=False to skip the DELETE.

    Only the questions of the form's step are touched (the duties rating screens leave the
    write-in tasks alone). `last_page_key` overrides the page recorded as last saved: a
    duties step before the last one records the page before, so a returning respondent
    lands back in the duties section. `submission` is remembered with the save
    (submission_record), in its first statement on PostgreSQL; with `replay_check`, a
    submission whose key and digest are stored already saves nothing and raises
    SubmissionReplayed (the caller holds the response row's lock, so a twin's row is seen).

    On PostgreSQL the page's old answers are always deleted, whatever `page_had_answers`
    says: the DELETE rides in a statement that runs anyway, and the caller's answers may
    have been read before another tab's save of this page committed."""
    page: SurveyPage = form.page
    data = form.cleaned_data
    values = {**form.saved_values, **form.page_values()}
    profile = response_profile(values, role_ids or dict(Role.objects.values_list("slug", "pk")))
    saved_key = page.key if last_page_key is None else last_page_key
    extra = {"resume_page_key": resume_page_key or page.key}
    if language:
        extra["language"] = language[:5]
    visible = {q.pk for q in form.visible_questions}
    step_question_ids = [
        q.pk for q in form.step_questions if qtype(q).storage is not Storage.TASK_RATINGS
    ]
    page_had_answers = page_had_answers or connection.vendor == "postgresql"
    # Only Answer rows: the answers go with the first statement.
    replace = None
    if all(qtype(q).storage is Storage.ANSWERS for q in form.step_questions):
        replace = (
            step_question_ids if page_had_answers else [],
            [
                a
                for q in form.step_questions
                if q.pk in visible
                for a in _answers_for(q, data, response)
            ],
        )
    claimed = _claim_and_update(
        response.pk,
        saved_key,
        {**extra, **profile},
        page.key,
        submission=submission,
        replay_check=replay_check,
        replace=replace,
    )
    if not claimed:
        raise ApplicationError(RESPONSE_NOT_IN_PROGRESS)
    if replace is None:
        answers: list[Answer] = []
        for q in form.step_questions:
            # Answers are rows of Answer; the duties' ratings and the contact address have
            # their own tables (qtypes.Storage).
            storage = qtype(q).storage
            if q.pk not in visible:
                if storage is Storage.TASK_RATINGS:
                    response.task_ratings.all().delete()
                if storage is Storage.CONTACT:
                    RespondentContact.objects.filter(response=response).delete()
                continue
            if storage is Storage.TASK_RATINGS:
                _save_task_ratings(response, form)
            elif storage is Storage.CONTACT:
                _save_contact(response, q, data.get(q.key) or "", values)
            else:
                answers.extend(_answers_for(q, data, response))
        _replace_answers(response.pk, step_question_ids if page_had_answers else [], answers)
    response.last_page_key = saved_key
    response.resume_page_key = extra["resume_page_key"]
    return response


def response_page_seen(*, response: Response, page_key: str) -> None:
    """Note that the page was shown (once: a page seen before keeps its first time)."""
    ResponsePage.objects.bulk_create(
        [ResponsePage(response_id=response.pk, page_key=page_key, seen_at=timezone.now())],
        ignore_conflicts=True,
    )


DRAFT_STALE = _("This page was saved since; the draft was not kept.")


@transaction.atomic
def response_page_draft_save(
    *, response: Response, page_key: str, data: dict[str, list[str]], base: str | None = None
) -> ResponsePage:
    """Keep what is typed on a page that is not saved yet (or not valid yet). With `base` (the
    page revision the typing started from), a draft older than the page's last save is refused,
    so a late background draft cannot hide answers saved after it."""
    locked = (
        Response.objects.select_for_update()
        .filter(pk=response.pk, status=Response.Status.IN_PROGRESS)
        .first()
    )
    if locked is None:
        raise ApplicationError(RESPONSE_NOT_IN_PROGRESS)
    state = ResponsePage.objects.filter(response=locked, page_key=page_key).first()
    if base is not None and state is not None and state.revision != base:
        raise ApplicationError(DRAFT_STALE)
    now = timezone.now()
    if state is None:
        state = ResponsePage(response=locked, page_key=page_key, seen_at=now)
    state.draft, state.draft_at = data, now
    state.save()
    Response.objects.filter(pk=locked.pk).update(resume_page_key=page_key)
    return state


def response_resume_page(
    structure: Structure, response: Response, values, states: list[ResponsePage]
) -> SurveyPage:
    """Where a returning respondent picks up, on the path their answers give: the page they
    stopped on (where their last save or draft left them); if that page is no longer on the
    path, the page after the last page saved; with nothing saved, the first page never seen."""
    shown = visible_pages(structure, values)
    keys = [p.key for p in shown]
    if response.resume_page_key in keys:
        return shown[keys.index(response.resume_page_key)]
    saved = [keys.index(s.page_key) for s in states if s.saved_at and s.page_key in keys]
    if saved:
        return shown[min(max(saved) + 1, len(shown) - 1)]
    seen = {s.page_key for s in states if s.seen_at}
    return next((p for p in shown if p.key not in seen), shown[0])


def submission_digest(data) -> str:
    """What a page submission said, without the per-load fields (token, key, offline target)."""
    skip = {"csrfmiddlewaretoken", "submission_key", "offline_next"}
    items = sorted((k, sorted(data.getlist(k))) for k in data if k not in skip)
    return hashlib.sha256(repr(items).encode()).hexdigest()


def submission_find(*, response: Response, key: str) -> tuple[str, str] | None:
    """The (digest, target) of an earlier submission of the response with this key, if any.
    The caller locks the response row first (selectors.response_page_state with lock), so
    this sees what a concurrent twin committed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT digest, target FROM {_SUBMISSION} WHERE response_id = %s AND "
            f"{connection.ops.quote_name('key')} = %s",
            [response.pk, key],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def submission_record(
    *, response: Response, key: str, page_key: str, digest_: str, target: str
) -> None:
    """Remember an accepted submission (a later one with the same key and answers is a replay).
    Runs in the request's transaction: a concurrent twin waits for this row, then updates it.
    One statement: INSERT ... ON CONFLICT (response, key) DO UPDATE."""
    sql, params = _submission_sql(Submission(key, page_key, digest_, target))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} VALUES (%s, %s, %s, %s, %s, %s){_SUBMISSION_UPSERT}", [response.pk, *params]
        )


def _submission_sql(submission: Submission) -> tuple[str, list]:
    """The INSERT of a submission record without its VALUES (a VALUES list or a SELECT of the
    response id, then the five parameters, then _SUBMISSION_UPSERT)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quoted = connection.ops.quote_name("key")
    sql = f"INSERT INTO {_SUBMISSION} (response_id, {quoted}, page_key, digest, target, created_at)"
    params = [
        submission.key,
        submission.page_key[:50],
        submission.digest,
        submission.target[:300],
        now,
    ]
    return sql, params


# The statements below run on every survey page save. They are plain, portable SQL (SQLite
# and PostgreSQL) because building them through the ORM cost more CPU than everything else in
# the request together (see `make bench`); on PostgreSQL the pairs that always run together
# are folded into one statement each (a data-modifying WITH), which saves round trips.
_RESPONSE = Response._meta.db_table
_ANSWER = Answer._meta.db_table
_SUBMISSION = PageSubmission._meta.db_table
_PAGE = ResponsePage._meta.db_table
_RATING = TaskRating._meta.db_table
_SUBMISSION_UPSERT = (
    ' ON CONFLICT (response_id, "key") DO UPDATE SET page_key = EXCLUDED.page_key, '
    "digest = EXCLUDED.digest, target = EXCLUDED.target"
)
_ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "part",
    "choice_id",
    "text_value",
    "number_value",
    "bool_value",
)


def _claim_and_update(
    response_id: int,
    page_key: str,
    profile: dict,
    saved_page: str,
    *,
    submission: Submission | None = None,
    replay_check: bool = False,
    replace: tuple[list[int], list[Answer]] | None = None,
) -> bool:
    """UPDATE the response's page and profile columns if it is still in progress (the UPDATE
    also takes the row lock until commit), and note the page `saved_page` as saved: when, and
    its draft dropped (the answers now hold what was typed). Returns False when the response
    is not a draft, and then writes nothing. With `submission`, remember it (with
    `replay_check`, raise SubmissionReplayed and write nothing when its key and digest are
    stored already); with `replace` (question ids, answers), replace those questions'
    answers (_replace_answers).

    One statement on PostgreSQL (the UPDATE in a WITH feeding the other writes, each a
    data-modifying WITH that reads the UPDATE's row), two to five elsewhere."""
    columns = ["last_page_key", "updated_at", *profile]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [page_key, now, *profile.values(), response_id, Response.Status.IN_PROGRESS]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    update = f"UPDATE {_RESPONSE} SET {assignments} WHERE id = %s AND status = %s"
    upsert = (
        " ON CONFLICT (response_id, page_key) DO UPDATE SET saved_at = EXCLUDED.saved_at, "
        "draft = NULL, draft_at = NULL"
    )
    columns_page = "(response_id, page_key, seen_at, saved_at, draft, draft_at)"
    if connection.vendor != "postgresql":
        if replay_check and submission is not None:
            earlier = submission_find(response=Response(pk=response_id), key=submission.key)
            if earlier is not None and earlier[0] == submission.digest:
                raise SubmissionReplayed(earlier[1])
        with connection.cursor() as cursor:
            cursor.execute(update, params)
            if cursor.rowcount != 1:
                return False
            cursor.execute(
                f"INSERT INTO {_PAGE} {columns_page} VALUES (%s, %s, %s, %s, NULL, NULL){upsert}",
                [response_id, saved_page, now, now],
            )
        if submission is not None:
            submission_record(
                response=Response(pk=response_id),
                key=submission.key,
                page_key=submission.page_key,
                digest_=submission.digest,
                target=submission.target,
            )
        if replace is not None:
            _replace_answers(response_id, *replace)
        return True
    ctes, earlier = [], "NULL"
    if replay_check and submission is not None:
        ctes.append(
            f"earlier AS (SELECT target FROM {_SUBMISSION} WHERE response_id = %s AND "
            f'"key" = %s AND digest = %s)'
        )
        params = [response_id, submission.key, submission.digest, *params]
        update += " AND NOT EXISTS (SELECT 1 FROM earlier)"
        earlier = "(SELECT target FROM earlier)"
    ctes.append(f"claimed AS ({update} RETURNING id)")
    ctes.append(
        f"paged AS (INSERT INTO {_PAGE} {columns_page} SELECT id, %s, %s, %s, NULL, NULL "
        f"FROM claimed{upsert})"
    )
    params += [saved_page, now, now]
    if submission is not None:
        insert, more = _submission_sql(submission)
        marks = ", ".join(["%s"] * len(more))
        ctes.append(f"noted AS ({insert} SELECT id, {marks} FROM claimed{_SUBMISSION_UPSERT})")
        params += more
    if replace is not None:
        question_ids, answers = replace
        if question_ids:
            marks = ", ".join(["%s"] * len(question_ids))
            ctes.append(
                f"gone AS (DELETE FROM {_ANSWER} WHERE response_id = (SELECT id FROM claimed) "
                f"AND question_id IN ({marks}))"
            )
            params += question_ids
        if answers:
            values, more = _answer_values_sql(answers)
            names = ", ".join(_ANSWER_COLUMNS[1:])
            ctes.append(
                f"added AS (INSERT INTO {_ANSWER} ({', '.join(_ANSWER_COLUMNS)}) "
                f"SELECT claimed.id, v.* FROM claimed, (VALUES {values}) AS v ({names}))"
            )
            params += more
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(ctes)} SELECT (SELECT count(*) FROM claimed), {earlier}", params
        )
        claimed, target = cursor.fetchone()
    if target is not None:
        raise SubmissionReplayed(target)
    return claimed == 1


_ANSWER_CASTS: dict[str, str] = {}


def _answer_values_sql(answers: list[Answer]) -> tuple[str, list]:
    """The VALUES rows of answers without their response id, each value cast to its column's
    type (a VALUES list in a SELECT takes no type from the table it is inserted into)."""
    row = _ANSWER_CASTS.get(connection.vendor)
    if row is None:
        casts = [
            f"CAST(%s AS {Answer._meta.get_field(c.removesuffix('_id')).db_type(connection)})"
            for c in _ANSWER_COLUMNS[1:]
        ]
        row = _ANSWER_CASTS[connection.vendor] = "(" + ", ".join(casts) + ")"
    params = []
    for a in answers:
        number = connection.ops.adapt_decimalfield_value(a.number_value, 12, 2)
        params += [a.question_id, a.part, a.choice_id, a.text_value, number, a.bool_value]
    return ", ".join([row] * len(answers)), params


def _replace_answers(response_id: int, question_ids: list[int], answers: list[Answer]) -> None:
    """DELETE the answers of `question_ids` and INSERT `answers`: one statement on PostgreSQL
    when both are needed (a data-modifying WITH; the INSERT's rows are not seen by the
    DELETE), two elsewhere."""
    delete = ""
    if question_ids:
        marks = ", ".join(["%s"] * len(question_ids))
        delete = f"DELETE FROM {_ANSWER} WHERE response_id = %s AND question_id IN ({marks})"
    delete_params = [response_id, *question_ids]
    with connection.cursor() as cursor:
        if not answers:
            if delete:
                cursor.execute(delete, delete_params)
            return
        insert, params = _insert_answers_sql(answers)
        if delete and connection.vendor == "postgresql":
            cursor.execute(f"WITH gone AS ({delete}) {insert}", delete_params + params)
            return
        if delete:
            cursor.execute(delete, delete_params)
        cursor.execute(insert, params)


def _insert_answers_sql(answers: list[Answer]) -> tuple[str, list]:
    row = "(" + ", ".join(["%s"] * len(_ANSWER_COLUMNS)) + ")"
    params = []
    for a in answers:
        number = connection.ops.adapt_decimalfield_value(a.number_value, 12, 2)
        params += [
            a.response_id,
            a.question_id,
            a.part,
            a.choice_id,
            a.text_value,
            number,
            a.bool_value,
        ]
    sql = f"INSERT INTO {_ANSWER} ({', '.join(_ANSWER_COLUMNS)}) VALUES " + ", ".join(
        [row] * len(answers)
    )
    return sql, params


def ratings_checklist_write(
    response_id: int, rows: list[tuple[int, bool, bool]], gone: list[int]
) -> None:
    """The duties checklist in one statement: INSERT a row per (task, checked, assigned), or
    on conflict with the task's row UPDATE it, keeping its importance and frequency only when
    the task stays checked and assigned and was checked before. Rows of tasks in `gone` (not
    of the role, now unchecked) are deleted: in the same statement on PostgreSQL (a
    data-modifying WITH), in a second one elsewhere."""
    keep = f"CASE WHEN EXCLUDED.is_assigned AND {_RATING}.is_relevant THEN {_RATING}.%s END"
    upsert = (
        f"INSERT INTO {_RATING} (response_id, task_id, is_relevant, is_assigned, importance, "
        "frequency) VALUES "
        + ", ".join(["(%s, %s, %s, %s, NULL, NULL)"] * len(rows))
        + " ON CONFLICT (response_id, task_id) DO UPDATE SET "
        "is_relevant = EXCLUDED.is_relevant, is_assigned = EXCLUDED.is_assigned, "
        f"importance = {keep % 'importance'}, frequency = {keep % 'frequency'}"
    )
    params = [
        v for task_id, checked, assigned in rows for v in (response_id, task_id, checked, assigned)
    ]
    delete = ""
    if gone:
        delete = (
            f"DELETE FROM {_RATING} WHERE response_id = %s AND task_id IN "
            "(" + ", ".join(["%s"] * len(gone)) + ")"
        )
    with connection.cursor() as cursor:
        if not rows:
            if delete:
                cursor.execute(delete, [response_id, *gone])
            return
        if delete and connection.vendor == "postgresql":
            cursor.execute(f"WITH gone AS ({delete}) {upsert}", [response_id, *gone, *params])
            return
        if delete:
            cursor.execute(delete, [response_id, *gone])
        cursor.execute(upsert, params)


def ratings_screen_write(response_id: int, rows: list[tuple[int, int | None, int | None]]) -> None:
    """A duties rating screen in one statement: UPDATE ... FROM (VALUES (task, importance,
    frequency), ...) for the response's checked and assigned tasks whose values change."""
    if not rows:
        return
    value = "(%s, CAST(%s AS smallint), CAST(%s AS smallint))"
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH v (task_id, imp, freq) AS (VALUES " + ", ".join([value] * len(rows)) + ") "
            f"UPDATE {_RATING} SET importance = v.imp, frequency = v.freq FROM v "
            f"WHERE {_RATING}.response_id = %s AND {_RATING}.task_id = v.task_id "
            f"AND {_RATING}.is_relevant AND {_RATING}.is_assigned "
            f"AND ({_RATING}.importance IS DISTINCT FROM v.imp "
            f"OR {_RATING}.frequency IS DISTINCT FROM v.freq)",
            [v for row in rows for v in row] + [response_id],
        )


def response_profile(values, role_ids: dict[str, int]) -> dict:
    """The answers dashboards filter on, as values for the response's indexed columns."""

    def one(key: str) -> str:
        chosen = values.get(key, set())
        return sorted(chosen)[0] if chosen else ""

    quote = one("quote_consent")
    return {
        "role_id": role_ids.get(one("role")),
        "setting": one("setting")[:40],
        "state": one("state_zip")[:2],
        "is_eligible_paid": {"paid": True, "volunteer": False}.get(one("eligibility")),
        "quote_consent": quote if quote in Response.QuoteConsent.values else "",
    }


def first_unanswered_page(structure: Structure, response: Response) -> SurveyPage | None:
    """The first visible page with a required visible question left unanswered."""
    rows = response_answers(response)
    values = answer_values(rows, structure)
    answered = {row.question_id for row in rows}
    ratings = response.task_ratings.aggregate(
        rows=Count("pk"), unrated=Count("pk", filter=duties.duties_done_q())
    )
    has_ratings = ratings["rows"] > 0 and ratings["unrated"] == 0
    has_contact = RespondentContact.objects.filter(response=response).exists()
    for page in visible_pages(structure, values):
        for q in page.question_list:
            if not q.is_required or not condition_met(q.condition, values):
                continue
            storage = qtype(q).storage
            if storage is Storage.TASK_RATINGS:
                done = has_ratings
            elif storage is Storage.CONTACT:
                done = has_contact
            else:
                done = q.pk in answered
            if not done:
                return page
    return None


@transaction.atomic
def response_submit(*, response: Response, structure: Structure) -> Response:
    """Complete a response. Idempotent: a second submit (double click, resent POST, another
    tab) changes nothing. Answers on pages the respondent's path skipped are removed."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status != Response.Status.IN_PROGRESS:
        return locked
    if first_unanswered_page(structure, locked) is not None:
        raise ApplicationError(RESPONSE_INCOMPLETE)
    values = answer_values(response_answers(locked), structure)
    shown = visible_pages(structure, values)
    shown_question_ids = [
        q.pk for p in shown for q in p.question_list if condition_met(q.condition, values)
    ]
    locked.answers.exclude(question_id__in=shown_question_ids).delete()
    matrix_shown = any(q.type == Question.Type.TASK_MATRIX for p in shown for q in p.question_list)
    if not matrix_shown:
        locked.task_ratings.all().delete()
    now = timezone.now()
    locked.submitted_at = now
    locked.duration_seconds = max(0, int((now - locked.started_at).total_seconds()))
    screened_out = values.get("consent") == {"no"} or values.get("eligibility") == {"neither"}
    locked.status = Response.Status.SCREENED_OUT if screened_out else Response.Status.COMPLETE
    locked.is_too_fast = (
        locked.status == Response.Status.COMPLETE
        and not locked.is_staff_entered
        and locked.duration_seconds < settings.SURVEY_MIN_SECONDS
    )
    locked.is_duplicate = _looks_duplicate(locked)
    locked.save()
    contact = RespondentContact.objects.filter(response=locked).first()
    if contact is not None:
        # Broker down: the contact stays unconfirmed and the sweep
        # (response_confirmations_send_pending) sends it; no broker (eager): sent at once.
        enqueue_task("apps.surveys.tasks.response_confirmation_send", contact_id=contact.pk)
    return locked


def _looks_duplicate(response: Response) -> bool:
    """Same browser or same email as another submitted response: flagged, never deleted."""
    others = Response.objects.exclude(pk=response.pk).filter(status=Response.Status.COMPLETE)
    if (
        response.browser_token_hash
        and others.filter(browser_token_hash=response.browser_token_hash).exists()
    ):
        return True
    contact = RespondentContact.objects.filter(response=response).first()
    return bool(
        contact
        and RespondentContact.objects.filter(email_digest=contact.email_digest)
        .exclude(response=response)
        .filter(response__status=Response.Status.COMPLETE)
        .exists()
    )


def resume_token_create(*, response: Response) -> str:
    """A new private resume link token for a draft; only its hash is stored."""
    if response.status != Response.Status.IN_PROGRESS:
        raise ApplicationError(RESPONSE_NOT_IN_PROGRESS)
    token = secrets.token_urlsafe(32)
    ResumeToken.objects.create(
        response=response,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.SURVEY_RESUME_DAYS),
    )
    return token


def resume_token_redeem(*, token: str) -> Response | None:
    """The draft a resume token opens, or None for an unknown, expired or used-up link."""
    if not token or len(token) > 100:
        return None
    found = (
        ResumeToken.objects.filter(token_hash=token_hash(token), expires_at__gt=timezone.now())
        .select_related("response")
        .first()
    )
    if found is None or found.response.status != Response.Status.IN_PROGRESS:
        return None
    return found.response


@transaction.atomic
def resume_link_email_request(*, response: Response, email: str) -> None:
    """Keep the address apart from the answers and email a fresh resume link after commit."""
    normalized = email.strip().lower()
    contact, _created = RespondentContact.objects.update_or_create(
        response=response,
        defaults={"email": normalized, "email_digest": digest(normalized)},
    )
    enqueue_task("apps.surveys.tasks.resume_link_email_send", contact_id=contact.pk)


@transaction.atomic
def response_set_excluded(
    *, response: Response, by, excluded: bool, reason: str = "", request=None
):
    """Exclude a response from the figures, or restore it. Audited."""
    response.is_excluded = excluded
    response.excluded_reason = reason[:300] if excluded else ""
    response.save(update_fields=["is_excluded", "excluded_reason", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=response,
        details={"excluded": excluded, "reason": response.excluded_reason},
        request=request,
    )
    return response


@transaction.atomic
def collector_create(
    *, survey, name: str, organization: str, channel: str, slug_prefix: str = "", by=None
) -> Collector:
    """A new link (collector) for an open survey with a fresh unguessable code. Audited."""
    from django.utils.text import slugify

    prefix = slugify(slug_prefix)[:20].strip("-")
    while True:
        code = secrets.token_urlsafe(6).lower().replace("_", "").replace("-", "")[:8]
        slug = f"{prefix}-{code}" if prefix else code
        if not Collector.objects.filter(slug=slug).exists():
            break
    collector = Collector(
        survey=survey, slug=slug, name=name, organization=organization[:200], channel=channel
    )
    collector.full_clean()
    collector.save()
    audit_record(action=AuditEvent.Action.CREATED, actor=by, target=collector)
    return collector


def collectors_close(*, ids) -> int:
    """Stop links taking new responses (responses already in keep counting). Returns how many
    were open."""
    return Collector.objects.filter(pk__in=list(ids), is_active=True).update(is_active=False)
