import smtplib

from celery import shared_task


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, max_retries=5)
def resume_link_email_send(contact_id: int) -> None:
    """Email a fresh resume link to the address a respondent gave (token made here, not queued)."""
    from .emails import resume_link_email_send as send

    send(contact_id=contact_id)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, max_retries=5)
def response_confirmation_send(contact_id: int) -> None:
    """Email the submission confirmation once (claimed on the contact row)."""
    from .emails import response_confirmation_send as send

    send(contact_id=contact_id)


@shared_task
def response_confirmations_send_pending() -> int:
    """Queue again every submission confirmation still unsent (the periodic sweep)."""
    from .emails import confirmations_pending_ids

    ids = confirmations_pending_ids()
    for contact_id in ids:
        response_confirmation_send.delay(contact_id=contact_id)
    return len(ids)
