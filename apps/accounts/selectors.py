from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from apps.core.models import AuditEvent


def audit_event_list(*, action: str = "", actor: str = "", page: int | str = 1) -> Page:
    """One page (50 lines) of the audit log, newest first, optionally filtered."""
    events: QuerySet[AuditEvent] = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    return Paginator(events, 50).get_page(page)
