"""Writes for coding: the codebook (Editors), code applications and quotes (Reviewers).

Every write is audited. Domain refusals raise ApplicationError with a message for the user.
"""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record
from apps.insights.selectors import OPEN_TEXT_KEYS
from apps.surveys.selectors import QuoteConsent, ResponseStatus, answer_open_text

from .models import CODE_NAME_MAX, NOTE_MAX, Code, CodeApplication, CodedAnswer, Quote


def _msg_name_empty():
    return _("Give the code a name.")


def _clean_name(name: str, *, required: bool = True) -> str:
    name = " ".join((name or "").split())
    if required and not name:
        raise ApplicationError(_msg_name_empty(), extra={"field": "name_en"})
    if len(name) > CODE_NAME_MAX:
        raise ApplicationError(
            _("A code name has at most %(n)s characters.") % {"n": CODE_NAME_MAX},
            extra={"field": "name_en"},
        )
    return name


def _check_unique(name: str, exclude_pk=None) -> None:
    qs = Code.objects.annotate(lname=Lower("name_en")).filter(lname=name.lower())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ApplicationError(
            _("There is already a code named “%(name)s”.") % {"name": name},
            extra={"field": "name_en"},
        )


def _check_parent(parent: Code | None, code: Code | None = None) -> None:
    if parent is None:
        return
    if code is not None and parent.pk == code.pk:
        raise ApplicationError(_("A code cannot sit under itself."), extra={"field": "parent"})
    if parent.parent_id is not None:
        raise ApplicationError(
            _("Codes nest one level only: choose a top-level code as the parent."),
            extra={"field": "parent"},
        )
    if code is not None and code.pk and code.children.exists():
        raise ApplicationError(
            _("This code has codes under it, so it cannot go under another code."),
            extra={"field": "parent"},
        )


def _save_code(code: Code) -> Code:
    code.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            code.save()
    except IntegrityError as error:  # a concurrent save took the name
        raise ApplicationError(
            _("There is already a code named “%(name)s”.") % {"name": code.name_en},
            extra={"field": "name_en"},
        ) from error
    return code


@transaction.atomic
def code_create(
    *,
    by,
    name_en: str,
    name_es: str = "",
    description_en: str = "",
    description_es: str = "",
    parent: Code | None = None,
    request=None,
) -> Code:
    """Add a code to the codebook (top-level or under a top-level code)."""
    name_en = _clean_name(name_en)
    name_es = _clean_name(name_es, required=False)
    _check_unique(name_en)
    _check_parent(parent)
    code = _save_code(
        Code(
            name_en=name_en,
            name_es=name_es,
            description_en=description_en.strip(),
            description_es=description_es.strip(),
            parent=parent,
            created_by=by,
        )
    )
    audit_record(action=AuditEvent.Action.CREATED, actor=by, target=code, request=request)
    return code


@transaction.atomic
def code_update(
    *,
    code: Code,
    by,
    name_en: str,
    name_es: str = "",
    description_en: str = "",
    description_es: str = "",
    parent: Code | None = None,
    request=None,
) -> Code:
    """Rename, describe or move a code (keeping the one-level nesting)."""
    code = Code.objects.select_for_update().filter(pk=code.pk).first()
    if code is None:
        raise ApplicationError(_("That code no longer exists (it may have been merged)."))
    name_en = _clean_name(name_en)
    name_es = _clean_name(name_es, required=False)
    _check_unique(name_en, exclude_pk=code.pk)
    _check_parent(parent, code)
    before = {"name_en": code.name_en, "parent": code.parent_id}
    code.name_en, code.name_es = name_en, name_es
    code.description_en, code.description_es = description_en.strip(), description_es.strip()
    code.parent = parent
    _save_code(code)
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=code,
        details={"before": before, "after": {"name_en": name_en, "parent": code.parent_id}},
        request=request,
    )
    return code


@transaction.atomic
def code_merge(*, source_id: int, target_id: int, by, request=None) -> Code:
    """Merge the source code into the target: its applications move to the target (a
    reviewer's duplicate collapses into one), its sub-codes move under the target, and the
    source is deleted. Both rows are locked, so two concurrent merges cannot interleave."""
    if source_id == target_id:
        raise ApplicationError(_("Choose two different codes to merge."))
    locked = {
        c.pk: c
        for c in Code.objects.select_for_update()
        .filter(pk__in=[source_id, target_id])
        .order_by("pk")
    }
    source, target = locked.get(source_id), locked.get(target_id)
    if source is None or target is None:
        raise ApplicationError(
            _("One of these codes no longer exists (someone may have merged it already).")
        )
    if target.parent_id == source.pk:
        # Merging a parent into one of its children: the child takes the parent's place.
        target.parent = source.parent
        target.save(update_fields=["parent", "updated_at"])
    other_children = list(source.children.exclude(pk=target.pk))
    if other_children and target.parent_id is not None:
        raise ApplicationError(
            _(
                "“%(source)s” has codes under it and “%(target)s” is itself under another code: "
                "merging would nest codes two levels deep. Move the sub-codes first."
            )
            % {"source": source.name_en, "target": target.name_en}
        )
    Code.objects.filter(pk__in=[c.pk for c in other_children]).update(parent=target)
    moved = collapsed = 0
    existing = set(
        CodeApplication.objects.filter(code=target).values_list(
            "answer_id", "coder_id", "start", "end"
        )
    )
    for app in CodeApplication.objects.filter(code=source):
        key = (app.answer_id, app.coder_id, app.start, app.end)
        if key in existing:
            collapsed += 1
            app.delete()
        else:
            existing.add(key)
            moved += 1
    CodeApplication.objects.filter(code=source).update(code=target)
    details = {
        "source": {"id": source.pk, "name_en": source.name_en},
        "moved": moved,
        "collapsed_duplicates": collapsed,
        "sub_codes_moved": len(other_children),
    }
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=target,
        details={"merged": details},
        request=request,
    )
    source.delete()
    return target


# --- Applying codes ---


def codable_answer(answer_id):
    """The open-text answer to code, or ApplicationError when it cannot be coded (deleted,
    excluded or incomplete response, not an open question, empty)."""
    answer = answer_open_text(answer_id, OPEN_TEXT_KEYS)
    if answer is None:
        raise ApplicationError(_("That answer no longer exists or is not an open answer."))
    if answer.response.status != ResponseStatus.COMPLETE or answer.response.is_excluded:
        raise ApplicationError(
            _("That answer belongs to a response that was excluded; it cannot be coded.")
        )
    return answer


def validate_span(text: str, start, end) -> tuple[int | None, int | None]:
    """(None, None) for the whole answer, else integer offsets with 0 <= start < end <= len."""
    if start in (None, "") and end in (None, ""):
        return None, None
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError) as error:
        raise ApplicationError(
            _("Give both the first and the last character of the passage as numbers."),
            extra={"field": "start"},
        ) from error
    if not (0 <= start < end <= len(text)):
        raise ApplicationError(
            _("The passage must lie within the answer: from 0 to %(n)s, and end after it starts.")
            % {"n": len(text)},
            extra={"field": "start"},
        )
    return start, end


def _mark_coded(answer, coder) -> None:
    CodedAnswer.objects.get_or_create(answer=answer, coder=coder)


@transaction.atomic
def application_add(
    *, answer_id, code_id, coder, start=None, end=None, request=None
) -> CodeApplication:
    """Apply a code to a whole answer or a span of it, as this reviewer. Idempotent."""
    answer = codable_answer(answer_id)
    code = Code.objects.filter(pk=code_id).first()
    if code is None:
        raise ApplicationError(
            _("That code no longer exists (it may have been merged)."), extra={"field": "code"}
        )
    start, end = validate_span(answer.text_value, start, end)
    application, created = CodeApplication.objects.get_or_create(
        code=code, answer=answer, coder=coder, start=start, end=end
    )
    _mark_coded(answer, coder)
    if created:
        audit_record(
            action=AuditEvent.Action.CREATED,
            actor=coder,
            target=application,
            details={"code": code.pk, "answer": answer.pk, "start": start, "end": end},
            request=request,
        )
    return application


@transaction.atomic
def application_remove(*, application_id, coder, request=None) -> None:
    """Take back one of this reviewer's own code applications."""
    application = CodeApplication.objects.filter(pk=application_id, coder=coder).first()
    if application is None:
        raise ApplicationError(_("That code was already removed."))
    audit_record(
        action=AuditEvent.Action.DELETED,
        actor=coder,
        target=application,
        details={"code": application.code_id, "answer": application.answer_id},
        request=request,
    )
    application.delete()


@transaction.atomic
def answer_mark_coded(*, answer_id, coder, request=None) -> CodedAnswer:
    """Record that this reviewer has coded the answer, even with no code at all."""
    answer = codable_answer(answer_id)
    coded, created = CodedAnswer.objects.get_or_create(answer=answer, coder=coder)
    if created:
        audit_record(action=AuditEvent.Action.CREATED, actor=coder, target=coded, request=request)
    return coded


# --- Quotes ---


@transaction.atomic
def quote_create(*, answer_id, start, end, note: str = "", by, request=None) -> Quote:
    """Mark an excerpt as a candidate quote; refused when the respondent gave no consent."""
    answer = codable_answer(answer_id)
    if answer.response.quote_consent not in (
        QuoteConsent.ANONYMOUS,
        QuoteConsent.INTERNAL,
    ):
        raise ApplicationError(_("This respondent did not agree to be quoted."))
    start, end = validate_span(answer.text_value, start, end)
    if start is None:
        start, end = 0, len(answer.text_value)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("A note has at most %(n)s characters.") % {"n": NOTE_MAX}, extra={"field": "note"}
        )
    quote, created = Quote.objects.get_or_create(
        answer=answer,
        start=start,
        end=end,
        defaults={"text": answer.text_value[start:end], "note": note, "created_by": by},
    )
    if created:
        audit_record(
            action=AuditEvent.Action.CREATED,
            actor=by,
            target=quote,
            details={"answer": answer.pk, "start": start, "end": end},
            request=request,
        )
    return quote


@transaction.atomic
def quote_set_status(*, quote_id, status: str, by, request=None) -> Quote:
    """Approve a candidate quote, or mark it not to be used (Editors)."""
    if status not in Quote.Status.values:
        raise ApplicationError(_("Unknown quote status."))
    quote = Quote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None:
        raise ApplicationError(_("That quote no longer exists."))
    before = quote.status
    quote.status = status
    quote.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=quote,
        details={"status": [before, status]},
        request=request,
    )
    return quote
