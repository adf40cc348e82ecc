from django.db import models

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client address as seen by Django (REMOTE_ADDR; the proxy sets it in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    actor_label: str = "",
    target: models.Model | None = None,
    details: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one line to the audit log. Never raises for a missing actor or target."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = actor_label or (actor.get_username() if actor is not None else "")
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=label[:254],
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
        ip_address=client_ip(request),
    )
