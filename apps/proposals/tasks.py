from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def proposal_export_run(job_id: int) -> None:
    """Build the DOCX or PDF of one ProposalExport (safe to run twice: claimed first)."""
    from .exporting import proposal_export_run as run

    run(job_id=job_id)


@shared_task
def proposal_exports_requeue_stale() -> dict:
    """Queue waiting proposal exports again and recover those whose worker went quiet."""
    from .exporting import proposal_exports_requeue_stale as sweep

    return sweep()


@shared_task
def proposal_export_files_remove_expired() -> int:
    """Delete proposal documents older than EXPORTS_KEEP_DAYS; returns how many."""
    from .exporting import proposal_export_files_remove_expired as remove

    return remove()
