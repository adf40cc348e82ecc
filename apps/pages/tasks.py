import smtplib

from celery import shared_task


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError, RuntimeError),
    retry_backoff=30,
    max_retries=3,
)
def contact_message_send(message_id: int) -> None:
    """Email one contact message to staff (safe to run twice)."""
    from .services import contact_message_send as send

    send(message_id=message_id)


@shared_task
def contact_messages_send_pending() -> int:
    """Queue every contact message still waiting (the periodic sweep). Returns how many."""
    from .services import contact_messages_pending_ids

    ids = contact_messages_pending_ids()
    for message_id in ids:
        contact_message_send.delay(message_id=message_id)
    return len(ids)
