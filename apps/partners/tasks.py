import smtplib

from celery import shared_task


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, max_retries=5)
def partner_invitation_send(invitation_id: int) -> None:
    """Email one invitation (the signed link is made here, not queued)."""
    from .emails import partner_invitation_send as send

    send(invitation_id=invitation_id)


@shared_task
def partner_links_close_ended() -> int:
    """Close partner links whose end date has passed."""
    from .services import partner_links_close_ended as close

    return close()
