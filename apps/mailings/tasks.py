import smtplib

from celery import shared_task
from django.db import OperationalError

# Transient trouble: the mail server or the database could not be reached.
TRANSIENT = (smtplib.SMTPException, OSError, OperationalError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, max_retries=3)
def signup_email_send(email_id: int) -> None:
    """Send one confirmation or preferences email (safe to run twice: claimed first)."""
    from .services import signup_email_send as send

    send(email_id=email_id)


@shared_task
def signup_emails_send_pending() -> int:
    """Queue every sign-up email still waiting (the periodic sweep). Returns how many."""
    from .services import signup_emails_pending_ids

    ids = signup_emails_pending_ids()
    for email_id in ids:
        signup_email_send.delay(email_id=email_id)
    return len(ids)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, max_retries=3, acks_late=True)
def announcement_deliver(announcement_id: int) -> dict:
    """Send an announcement's pending deliveries in batches (claimed rows; safe to repeat)."""
    from .services import announcement_deliver as deliver

    return deliver(announcement_id=announcement_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, max_retries=3)
def announcement_test_send(announcement_id: int, user_id: int) -> int:
    """Email both language versions of an announcement to one staff member."""
    from .services import announcement_test_send as send

    return send(announcement_id=announcement_id, user_id=user_id)


@shared_task
def announcements_resume() -> dict:
    """Recover sends whose worker died: release stale claims, mark unknowns, queue again."""
    from .services import announcements_resume as resume

    return resume()


@shared_task
def reminders_send_due() -> list:
    """Start the comment-deadline reminders that are due; returns the announcements' ids."""
    from .services import reminders_send_due as send_due

    return send_due()
