from celery import shared_task
from django.utils import timezone


@shared_task
def pledge_reminders_send_due() -> dict:
    """Make the pledge reminders that are due and send those waiting (beat)."""
    from .pledges import pledge_reminders_run

    return pledge_reminders_run(now=timezone.now())
