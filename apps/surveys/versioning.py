"""Survey versions: a published version with responses never changes; edits go to a copy."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .conditions import validate_condition
from .models import Choice, SurveyVersion
from .qtypes import qtype

VERSION_HAS_NO_PAGES = _("A version needs at least one page before it can be published.")
VERSION_BAD_CONDITION = _(
    "Page or question “%(key)s” has a condition that does not work: %(problem)s"
)


@transaction.atomic
def version_copy_as_draft(*, version: SurveyVersion, by=None) -> SurveyVersion:
    """Copy a version's pages, questions and choices into a new draft version."""
    number = (version.survey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = SurveyVersion.objects.create(
        survey=version.survey,
        number=number,
        notes=f"Copied from version {version.number}",
        max_rated_tasks=version.max_rated_tasks,
    )
    for page in version.pages.order_by("order", "id"):
        questions = list(page.questions.order_by("order", "id").prefetch_related("choices"))
        page.pk = None
        page.version = draft
        page.save()
        for question in questions:
            choices = list(question.choices.all())
            question.pk = None
            question.version, question.page = draft, page
            question.save()
            for choice in choices:
                choice.pk = None
                choice.question = question
            Choice.objects.bulk_create(choices)
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=draft,
        details={"copied_from": version.pk},
    )
    return draft


def version_problems(version: SurveyVersion) -> list[str]:
    """What stops a version from being published."""
    pages = list(version.pages.order_by("order", "id"))
    if not pages:
        return [str(VERSION_HAS_NO_PAGES)]
    problems = []
    known: dict[str, set[str] | None] = {}
    for page in pages:
        for problem in validate_condition(page.condition, known):
            problems.append(str(VERSION_BAD_CONDITION % {"key": page.key, "problem": problem}))
        for q in page.questions.order_by("order", "id").prefetch_related("choices"):
            for problem in validate_condition(q.condition, known):
                problems.append(str(VERSION_BAD_CONDITION % {"key": q.key, "problem": problem}))
            values = {c.value for c in q.choices.all()}
            known[q.key] = qtype(q).known_values(q, values)
    return problems


@transaction.atomic
def version_publish(*, version: SurveyVersion, by=None, request=None) -> SurveyVersion:
    """Make this the version new responses use; the one published before is retired. Audited."""
    problems = version_problems(version)
    if problems:
        raise ApplicationError("; ".join(problems))
    SurveyVersion.objects.filter(
        survey=version.survey, status=SurveyVersion.Status.PUBLISHED
    ).exclude(pk=version.pk).update(status=SurveyVersion.Status.RETIRED)
    version.status = SurveyVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(action=AuditEvent.Action.PUBLISHED, actor=by, target=version, request=request)
    return version


def page_and_question_guard(version: SurveyVersion | None) -> None:
    """Refuse adding to a frozen version (the admin's add forms call this)."""
    if version is not None and version.is_frozen:
        raise ApplicationError(
            str(_("This version has responses and cannot change; copy it as a new draft."))
        )
