"""Deleting personal data: on a schedule (retention), by the respondent, on request."""

from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.core.services import audit_record
from apps.surveys.privacy import respondent_contacts_delete_closed_before, response_delete_whole

from .inventory import INVENTORY, retention_days
from .registry import deleters


@transaction.atomic
def personal_data_purge_expired(*, now=None) -> dict:
    """Delete the contact details of surveys closed more than PERSONAL_DATA_RETENTION_DAYS
    ago. The answers stay (they hold nothing that identifies a person). Idempotent; audited
    with counts only. Surveys with no closing date are never purged."""
    now = now or timezone.now()
    days = retention_days("respondent-contact")
    cutoff = now - timedelta(days=days)
    deleted, surveys = respondent_contacts_delete_closed_before(cutoff)
    counts = {"contacts": deleted}
    if counts["contacts"]:
        audit_record(
            action=AuditEvent.Action.DELETED,
            actor_label="retention schedule",
            details={
                "retention": True,
                "contacts": counts["contacts"],
                "surveys": surveys,
                "retention_days": days,
            },
        )
    return counts


@transaction.atomic
def retention_purge(*, now=None) -> dict[str, int]:
    """Delete every row the data inventory's periods have expired (apps/privacy/inventory.py).
    Idempotent; audited with counts only. Returns {"<entry>:<model>": count}."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for entry in INVENTORY:
        for purge in entry.purges:
            model = apps.get_model(purge.model)
            filters = dict(purge.filters)
            if filters.pop("__expired__", False):
                cutoff = now  # the date field is the expiry itself
            else:
                cutoff = now - timedelta(days=entry.retention_days)
            rows = model.objects.filter(**filters, **{f"{purge.date_field}__lt": cutoff})
            deleted, _per_model = rows.delete()
            if deleted:
                counts[f"{entry.key}:{purge.model}"] = deleted
    if counts:
        audit_record(
            action=AuditEvent.Action.DELETED,
            actor_label="retention schedule",
            details={"retention": True, "counts": counts},
        )
    return counts


@transaction.atomic
def response_delete_by_respondent(*, response) -> dict:
    """The respondent deletes their own response with everything linked to it. Audited with
    counts and no personal data (no address, no IP, no response id)."""
    counts, survey = response_delete_whole(response)
    audit_record(
        action=AuditEvent.Action.DELETED,
        actor_label="respondent",
        target=survey,
        details={"respondent_request": True, **counts},
    )
    return counts


def deletion_request_counts(*, email: str) -> list[tuple[str, str, int]]:
    """(key, label, count) for every registered holder of personal data."""
    return [(e.key, str(e.deleter.label), e.deleter.count(email=email)) for e in deleters()]


@transaction.atomic
def deletion_request_execute(*, email: str, by, request=None) -> dict[str, int]:
    """Delete everything linked to an address, in every registered app. The audit line
    records who did it and the counts, never the address."""
    counts = {e.key: e.deleter.delete(email=email) for e in deleters()}
    audit_record(
        action=AuditEvent.Action.DELETED,
        actor=by,
        details={"deletion_request": True, "counts": counts},
        request=request,
    )
    return counts
