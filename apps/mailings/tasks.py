"""Tasks of email updates. Announcement sends are a background job type (jobs.py) run by the
one job task; `announcement_deliver` stays for messages queued before that."""

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


@shared_task(acks_late=True)
def announcement_deliver(announcement_id: int) -> bool:
    """Hand the announcement's send job to the job runner (older messages use this name)."""
    from .services import _queue_delivery

    return _queue_delivery(announcement_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, max_retries=3)
def announcement_test_send(announcement_id: int, user_id: int) -> int:
    """Email both language versions of an announcement to one staff member."""
    from .services import announcement_test_send as send

    return send(announcement_id=announcement_id, user_id=user_id)


@shared_task
def reminders_send_due() -> list:
    """Start the comment-deadline reminders that are due; returns the announcements' ids."""
    from .services import reminders_send_due as send_due

    return send_due()
