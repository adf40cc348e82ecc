"""Writes on survey responses: start, save a page, submit, resume links, staff review."""

import hashlib
import secrets
from datetime import timedelta

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
    still checked keep their ratings; with planned missingness their assignment stays."""
    question = next(q for q in form.step_questions if q.type == Question.Type.TASK_MATRIX)
    checked_codes = set(form.cleaned_data.get(question.key) or [])
    tasks = form.role_tasks + form.other_tasks
    existing = {r.task_id: r for r in response.task_ratings.filter(task__in=tasks)}
    checked = [t for t in tasks if t.code in checked_codes]
    already = {pk for pk, r in existing.items() if r.is_relevant and r.is_assigned}
    assigned = duties.assign_for_rating(
        form.page.version, checked, already, response_id=response.pk
    )
    rows = duties.checklist_rows(
        response, (form.role_tasks, form.other_tasks), checked_codes, existing, assigned
    )
    if existing:
        response.task_ratings.filter(task__in=tasks).delete()
    TaskRating.objects.bulk_create(rows)


def _save_rating_screen(response: Response, form: SurveyPageForm) -> None:
    """Pass two: importance and frequency of the tasks on this screen (both or neither:
    on Back or Save a half-rated task keeps no rating)."""
    data = form.cleaned_data
    rows = {
        r.task_id: r
        for r in response.task_ratings.filter(
            task__in=form.rate_tasks, is_relevant=True, is_assigned=True
        )
    }
    changed = []
    for task in form.rate_tasks:
        row = rows.get(task.pk)
        if row is None:
            continue
        imp, freq = data.get(task_field(task, "imp")), data.get(task_field(task, "freq"))
        if imp is None or freq is None:
            if form.lenient and (imp is None and freq is None):
                continue  # nothing chosen: keep what was saved
            imp = freq = None
        if (row.importance, row.frequency) != (imp, freq):
            row.importance, row.frequency = imp, freq
            changed.append(row)
    if changed:
        TaskRating.objects.bulk_update(changed, ["importance", "frequency"])


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


# No savepoint: inside a request this joins the request's transaction (ATOMIC_REQUESTS), and
# any error fails the whole request anyway. Three statements: UPDATE (locks the row and checks
# the status), DELETE the page's old answers, INSERT the new ones.
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
) -> Response:
    """Store one page's answers, replacing what the page held before. The first statement
    locks the response row, so two tabs saving at once cannot interleave. A caller that knows
    the page held no answers yet passes page_had_answers=False to skip the DELETE.

    Only the questions of the form's step are touched (the duties rating screens leave the
    write-in tasks alone). `last_page_key` overrides the page recorded as last saved: a
    duties step before the last one records the page before, so a returning respondent
    lands back in the duties section."""
    page: SurveyPage = form.page
    data = form.cleaned_data
    values = {**form.saved_values, **form.page_values()}
    profile = response_profile(values, role_ids or dict(Role.objects.values_list("slug", "pk")))
    saved_key = page.key if last_page_key is None else last_page_key
    extra = {"resume_page_key": resume_page_key or page.key}
    if language:
        extra["language"] = language[:5]
    if not _claim_and_update(response.pk, saved_key, {**extra, **profile}):
        raise ApplicationError(RESPONSE_NOT_IN_PROGRESS)
    _page_saved(response.pk, page.key)
    visible = {q.pk for q in form.visible_questions}
    step_question_ids = [
        q.pk for q in form.step_questions if qtype(q).storage is not Storage.TASK_RATINGS
    ]
    if page_had_answers and step_question_ids:
        _delete_page_answers(response.pk, step_question_ids)
    answers: list[Answer] = []
    for q in form.step_questions:
        # Answers are rows of Answer; the duties' ratings and the contact address have their
        # own tables (qtypes.Storage).
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
    _insert_answers(answers)
    response.last_page_key = saved_key
    response.resume_page_key = extra["resume_page_key"]
    return response


def _page_saved(response_id: int, page_key: str) -> None:
    """The page is saved: note when, and drop its draft (the answers now hold what was typed)."""
    now = timezone.now()
    ResponsePage.objects.bulk_create(
        [ResponsePage(response_id=response_id, page_key=page_key, seen_at=now, saved_at=now)],
        update_conflicts=True,
        unique_fields=["response", "page_key"],
        update_fields=["saved_at", "draft", "draft_at"],
    )


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


def submission_find(*, response: Response, key: str) -> PageSubmission | None:
    return PageSubmission.objects.filter(response_id=response.pk, key=key).first()


def submission_record(
    *, response: Response, key: str, page_key: str, digest_: str, target: str
) -> None:
    """Remember an accepted submission (a later one with the same key and answers is a replay).
    Runs in the request's transaction: a concurrent twin waits for this row, then updates it."""
    PageSubmission.objects.update_or_create(
        response_id=response.pk,
        key=key,
        defaults={"page_key": page_key, "digest": digest_, "target": target[:300]},
    )


# The three statements below run on every survey page save. They are plain, portable SQL
# (SQLite and PostgreSQL) because building them through the ORM cost more CPU than
# everything else in the request together (see `make bench`).
_RESPONSE = Response._meta.db_table
_ANSWER = Answer._meta.db_table
_ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "part",
    "choice_id",
    "text_value",
    "number_value",
    "bool_value",
)


def _claim_and_update(response_id: int, page_key: str, profile: dict) -> bool:
    """UPDATE the response's page and profile columns if it is still in progress; the UPDATE
    also takes the row lock until commit. Returns False when the response is not a draft."""
    columns = ["last_page_key", "updated_at", *profile]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [page_key, now, *profile.values(), response_id, Response.Status.IN_PROGRESS]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_RESPONSE} SET {assignments} WHERE id = %s AND status = %s", params
        )
        return cursor.rowcount == 1


def _delete_page_answers(response_id: int, question_ids: list[int]) -> None:
    marks = ", ".join(["%s"] * len(question_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_ANSWER} WHERE response_id = %s AND question_id IN ({marks})",
            [response_id, *question_ids],
        )


def _insert_answers(answers: list[Answer]) -> None:
    if not answers:
        return
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
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_ANSWER} ({', '.join(_ANSWER_COLUMNS)}) VALUES "
            + ", ".join([row] * len(answers)),
            params,
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
