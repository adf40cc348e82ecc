import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.jobs import enqueue_task
from apps.core.jobs.outbox import claim_one, pending_or_stale

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
    # Broker down: the message stays pending and the sweep (contact_messages_send_pending)
    # sends it; no broker (eager): sent at once.
    enqueue_task("apps.pages.tasks.contact_message_send", message_id=contact.pk)
    return contact


def contact_message_send(*, message_id: int) -> bool:
    """Email one stored message to staff. Claims it first, so two workers never both send.

    Returns True when this call sent it. On a delivery error the message goes back to
    PENDING and the error is raised for the task to retry.
    """
    now = timezone.now()
    if not claim_one(
        ContactMessage,
        message_id,
        claimable=_claimable(now),
        claimed_status=ContactMessage.Status.SENDING,
        claimed_at=now,
    ):
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
    due = _claimable(now, pending_before=now - SWEEP_GRACE)
    return list(ContactMessage.objects.filter(due).values_list("pk", flat=True)[:500])


def _claimable(now, *, pending_before=None):
    return pending_or_stale(
        pending=ContactMessage.Status.PENDING,
        claimed=ContactMessage.Status.SENDING,
        stale_before=now - STALE_CLAIM_AFTER,
        pending_before=pending_before,
    )
