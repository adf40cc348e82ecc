import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.queueing import task_named

from .models import ContactMessage, SiteSettings, split_email_list

logger = logging.getLogger(__name__)

# A claimed message whose worker died is tried again after this long.
STALE_CLAIM_AFTER = timedelta(minutes=10)
# Messages are given this long for their first, on-commit attempt before the sweep takes them.
SWEEP_GRACE = timedelta(minutes=2)


def contact_recipients() -> list[str]:
    """Staff addresses from the admin's site settings, else the CONTACT_EMAIL_RECIPIENTS setting."""
    configured = split_email_list(SiteSettings.load().contact_recipients)
    return configured or list(settings.CONTACT_EMAIL_RECIPIENTS)


def _queue_send(message_id: int) -> None:
    contact_message_send_task = task_named("apps.pages.tasks.contact_message_send")

    try:
        contact_message_send_task.delay(message_id=message_id)
    except Exception:  # noqa: BLE001  (broker down: the message is stored; the sweep sends it)
        logger.warning("Could not queue contact message %s; the sweep will send it", message_id)


def contact_message_submit(
    *, name: str, email: str, organization: str, topic: str, message: str, language: str
) -> ContactMessage:
    """Store a contact message, then queue its email once the row is committed."""
    contact = ContactMessage(
        name=name,
        email=email,
        organization=organization,
        topic=topic,
        message=message,
        language=language,
    )
    contact.full_clean()
    contact.save()
    transaction.on_commit(lambda: _queue_send(contact.pk), robust=True)
    return contact


def contact_message_send(*, message_id: int) -> bool:
    """Email one stored message to staff. Claims it first, so two workers never both send.

    Returns True when this call sent it. On a delivery error the message goes back to
    PENDING and the error is raised for the task to retry.
    """
    now = timezone.now()
    claimable = Q(status=ContactMessage.Status.PENDING) | Q(
        status=ContactMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    claimed = ContactMessage.objects.filter(claimable, pk=message_id).update(
        status=ContactMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    contact = ContactMessage.objects.get(pk=message_id)
    recipients = contact_recipients()
    try:
        if not recipients:
            raise RuntimeError("No contact recipients configured")
        body = render_to_string("pages/email/contact_message.txt", {"contact": contact})
        EmailMessage(
            subject=f"[{settings.SITE_NAME}] {contact.get_topic_display()}",
            body=body,
            to=recipients,
            reply_to=[contact.email],
        ).send()
    except Exception as exc:
        ContactMessage.objects.filter(pk=message_id).update(
            status=ContactMessage.Status.PENDING, last_error=str(exc)[:300]
        )
        raise
    ContactMessage.objects.filter(pk=message_id).update(
        status=ContactMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def contact_messages_pending_ids() -> list[int]:
    """Messages the sweep should send: pending past the grace period, or stuck in a dead claim."""
    now = timezone.now()
    return list(
        ContactMessage.objects.filter(
            Q(status=ContactMessage.Status.PENDING, created_at__lt=now - SWEEP_GRACE)
            | Q(status=ContactMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
        ).values_list("pk", flat=True)[:500]
    )
