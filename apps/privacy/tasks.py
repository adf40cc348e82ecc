from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def personal_data_purge_expired() -> dict:
    """Delete contact details past the retention period (nightly)."""
    from .services import personal_data_purge_expired as purge

    return purge()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def retention_purge() -> dict:
    """Delete what the data inventory's retention periods have expired (nightly)."""
    from .services import retention_purge as purge

    return purge()
