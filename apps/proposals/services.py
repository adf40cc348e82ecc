"""Writes on the proposal: section text, evidence blocks, versions, publication, comments."""

from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from . import evidence
from .models import (
    SECTION_MAX_LENGTH,
    EvidenceBlock,
    Proposal,
    ProposalComment,
    ProposalSection,
    ProposalVersion,
)

SECTION_TOO_LONG = _(
    "This section is too long: at most %(max)s characters (it has %(n)s). Move detail to an "
    "appendix or shorten it; your text is still in the box."
)
SECTION_CONFLICT = _(
    "Someone else saved this section while you were editing it. Nothing was overwritten: "
    "compare the two texts below, merge them in the box and save again."
)
EVIDENCE_UNKNOWN = _("Choose which evidence to insert.")
EVIDENCE_NO_QUOTES = _("Choose at least one quote.")
VERSION_NOT_SAVED = _("Only a saved or withdrawn version can be published.")
VERSION_NOT_PUBLISHED = _("Only a published version can be withdrawn.")
COMMENT_CLOSED = _(
    "This draft is not open for comments. Thank you for your interest: please look for the "
    "current draft on the proposal page."
)
COMMENT_UNKNOWN_SECTION = _("This section does not exist in this draft.")
COMMENT_NOT_APPROVED = _("Only an approved comment can be given a response.")
DISPOSITION_REASON_NEEDED = _("Give a short reason for the response.")


class SectionConflict(ApplicationError):
    """The section changed since the editor opened it; `current` is the saved row."""

    def __init__(self, current: ProposalSection) -> None:
        super().__init__(str(SECTION_CONFLICT))
        self.current = current


def _clean_text(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


@transaction.atomic
def proposal_settings_update(*, proposal: Proposal, data: dict, by, request=None) -> Proposal:
    """Change the title, the notice citation, the docket ID or the submitter (audited)."""
    fields = ["title_en", "title_es", "notice_citation", "docket_id", "submitter"]
    # Compared with the stored row: a bound ModelForm has already changed the instance.
    stored = Proposal.objects.get(pk=proposal.pk)
    changed = {f: data[f] for f in fields if f in data and getattr(stored, f) != data[f]}
    for field, value in changed.items():
        setattr(proposal, field, value)
    proposal.full_clean()
    proposal.save()
    if changed:
        audit_record(
            action=AuditEvent.Action.CHANGED,
            actor=by,
            target=proposal,
            details={"fields": sorted(changed)},
            request=request,
        )
    return proposal


@transaction.atomic
def section_save(
    *, section: ProposalSection, body: str, revision: int, by, request=None
) -> ProposalSection:
    """Save a section's text if nobody saved it since `revision` (optimistic locking).

    Raises SectionConflict (with the saved row) instead of overwriting a newer text."""
    body = _clean_text(body)
    if len(body) > SECTION_MAX_LENGTH:
        raise ApplicationError(SECTION_TOO_LONG % {"max": SECTION_MAX_LENGTH, "n": len(body)})
    updated = ProposalSection.objects.filter(pk=section.pk, revision=revision).update(
        body=body, revision=F("revision") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not updated:
        raise SectionConflict(ProposalSection.objects.get(pk=section.pk))
    section.refresh_from_db()
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=section,
        details={"revision": section.revision, "characters": len(body)},
        request=request,
    )
    return section


def _clean_options(kind: str, options: dict) -> dict:
    clean: dict = {}
    limit = options.get("limit")
    if kind in (EvidenceBlock.Kind.TASKS, EvidenceBlock.Kind.JOB_TITLES) and limit:
        clean["limit"] = max(1, min(int(limit), evidence.MAX_LIMIT))
    if kind == EvidenceBlock.Kind.PROFILE:
        facts = [f for f in options.get("facts") or [] if f in evidence.PROFILE_FACTS]
        clean["facts"] = facts or list(evidence.DEFAULT_PROFILE_FACTS)
    if kind == EvidenceBlock.Kind.QUOTES:
        clean["quote_ids"] = [int(q) for q in options.get("quote_ids") or []]
        if not clean["quote_ids"]:
            raise ApplicationError(EVIDENCE_NO_QUOTES)
    return clean


def _take(block: EvidenceBlock) -> None:
    block.snapshot = evidence.snapshot_build(block.kind, block.filters, block.options)
    block.fingerprint = evidence.fingerprint(block.snapshot)
    # Stamped after the figures: reading them may bring the dashboards' pre-aggregated
    # figures up to date, which is part of the stamp.
    block.data_stamp = evidence.data_stamp()
    block.refreshed_at = timezone.now()


@transaction.atomic
def evidence_block_add(
    *, section: ProposalSection, kind: str, filters: dict, options: dict, by
) -> EvidenceBlock:
    """Insert figures from live data (with the filters used) at the end of a section."""
    from apps.surveys.filters import filter_params

    if kind not in EvidenceBlock.Kind.values:
        raise ApplicationError(EVIDENCE_UNKNOWN)
    order = (section.blocks.aggregate(m=Max("order"))["m"] or 0) + 1
    block = EvidenceBlock(
        section=section,
        kind=kind,
        order=order,
        filters=filter_params(filters),
        options=_clean_options(kind, options),
        added_by=by,
    )
    _take(block)
    block.full_clean()
    block.save()
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=block,
        details={"section": section.key, "kind": kind, "filters": block.filters},
    )
    return block


@transaction.atomic
def evidence_block_refresh(*, block: EvidenceBlock, by) -> EvidenceBlock:
    """Take the block's figures again from the current data (same filters and options)."""
    _take(block)
    block.save()
    return block


@transaction.atomic
def evidence_block_remove(*, block: EvidenceBlock, by) -> None:
    """Delete a block from the draft (versions keep their frozen copy); audited."""
    audit_record(
        action=AuditEvent.Action.DELETED,
        actor=by,
        target=block,
        details={"section": block.section.key, "kind": block.kind},
    )
    block.delete()


def methods_facts() -> dict:
    """Sample size and dates of the complete, included responses (the overview's total)."""
    from apps.insights import formatting
    from apps.insights.disclosure import Tally, is_small, k, key_sum, shown_count
    from apps.surveys.filters import filtered_responses

    stats = filtered_responses({}).aggregate(
        n=Count("pk"), ck=key_sum("pk"), first=Min("submitted_at"), last=Max("submitted_at")
    )
    n = Tally(stats["n"], stats["ck"])
    return {
        "sample_size": formatting.count(shown_count(n), is_small(n)),
        "first_on": stats["first"].date().isoformat() if stats["first"] else "",
        "last_on": stats["last"].date().isoformat() if stats["last"] else "",
        "k": k(),
    }


def _freeze(proposal: Proposal) -> dict:
    sections = ProposalSection.objects.filter(proposal=proposal).prefetch_related("blocks")
    return {
        "title": {"en": proposal.title_en, "es": proposal.title_es},
        "notice_citation": proposal.notice_citation,
        "docket_id": proposal.docket_id,
        "submitter": proposal.submitter,
        "sections": [
            {
                "key": s.key,
                "heading_en": s.heading_en,
                "heading_es": s.heading_es,
                "body": s.body,
                "revision": s.revision,
                "blocks": [
                    {
                        "id": b.pk,
                        "kind": b.kind,
                        "filters": b.filters,
                        "options": b.options,
                        "snapshot": b.snapshot,
                        "fingerprint": b.fingerprint,
                        "taken_at": b.refreshed_at.isoformat() if b.refreshed_at else "",
                        "data_stamp": b.data_stamp,
                    }
                    for b in s.blocks.all()
                ],
            }
            for s in sections
        ],
        "methods": methods_facts(),
    }


@transaction.atomic
def version_save(*, proposal: Proposal, note: str, by, request=None) -> ProposalVersion:
    """Freeze the current text and the blocks' figures as the next version (audited)."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    number = (proposal.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ProposalVersion(
        proposal=proposal,
        number=number,
        note=note.strip(),
        content=_freeze(proposal),
        created_by=by,
    )
    version.full_clean()
    version.save()
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=version,
        details={"proposal": proposal.key, "number": number},
        request=request,
    )
    return version


@transaction.atomic
def version_publish(*, version: ProposalVersion, by, request=None) -> ProposalVersion:
    """Open a version for public comment; an earlier published version is withdrawn."""
    if version.status == ProposalVersion.Status.PUBLISHED:
        raise ApplicationError(VERSION_NOT_SAVED)
    now = timezone.now()
    earlier = ProposalVersion.objects.filter(
        proposal=version.proposal, status=ProposalVersion.Status.PUBLISHED
    )
    for other in earlier:
        version_withdraw(version=other, by=by, request=request)
    version.status, version.published_at, version.withdrawn_at = (
        ProposalVersion.Status.PUBLISHED,
        now,
        None,
    )
    version.save(update_fields=["status", "published_at", "withdrawn_at"])
    audit_record(
        action=AuditEvent.Action.PUBLISHED,
        actor=by,
        target=version,
        details={"number": version.number},
        request=request,
    )
    return version


@transaction.atomic
def version_withdraw(*, version: ProposalVersion, by, request=None) -> ProposalVersion:
    """Close a published version to comments; it stays readable to staff (audited)."""
    if version.status != ProposalVersion.Status.PUBLISHED:
        raise ApplicationError(VERSION_NOT_PUBLISHED)
    version.status, version.withdrawn_at = ProposalVersion.Status.WITHDRAWN, timezone.now()
    version.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=version,
        details={"number": version.number, "status": "withdrawn"},
        request=request,
    )
    return version


@transaction.atomic
def comment_submit(
    *,
    version: ProposalVersion,
    section_key: str,
    name: str,
    organization: str,
    role: str,
    state: str,
    body: str,
    language: str,
) -> ProposalComment:
    """Store a comment from the public in the moderation queue (published versions only)."""
    if version.status != ProposalVersion.Status.PUBLISHED:
        raise ApplicationError(COMMENT_CLOSED)
    if section_key not in {s["key"] for s in version.sections}:
        raise ApplicationError(COMMENT_UNKNOWN_SECTION)
    comment = ProposalComment(
        version=version,
        section_key=section_key,
        name=name.strip(),
        organization=organization.strip(),
        role=role,
        state=state,
        body=_clean_text(body),
        language=language[:10],
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_moderate(*, comment: ProposalComment, approve: bool, by) -> ProposalComment:
    """Approve a comment (it appears on the draft) or reject it (it never does)."""
    comment.status = ProposalComment.Status.APPROVED if approve else ProposalComment.Status.REJECTED
    comment.moderated_by, comment.moderated_at = by, timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at", "updated_at"])
    return comment


@transaction.atomic
def comment_dispose(
    *, comment: ProposalComment, disposition: str, reason: str, by
) -> ProposalComment:
    """Record the editors' response to an approved comment: adopted, partly, or not."""
    if comment.status != ProposalComment.Status.APPROVED:
        raise ApplicationError(COMMENT_NOT_APPROVED)
    reason = _clean_text(reason)
    if not reason:
        raise ApplicationError(DISPOSITION_REASON_NEEDED)
    comment.disposition, comment.disposition_reason = disposition, reason
    comment.disposed_by, comment.disposed_at = by, timezone.now()
    comment.full_clean()
    comment.save()
    return comment
