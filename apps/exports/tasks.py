from celery import shared_task
from django.db import InterfaceError, OperationalError

# Big exports may take longer than the site-wide limits (CELERY_TASK_SOFT_TIME_LIMIT).
EXPORT_SOFT_TIME_LIMIT = 30 * 60
EXPORT_TIME_LIMIT = EXPORT_SOFT_TIME_LIMIT + 60


@shared_task(
    # InterfaceError: the connection was cut mid-task (PostgreSQL restarted).
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
    time_limit=EXPORT_TIME_LIMIT,
)
def export_job_run(job_id: int) -> None:
    """Build the file for one ExportJob (safe to run twice: the job is claimed first)."""
    from .services import export_job_run as run

    run(job_id=job_id)


@shared_task
def export_jobs_requeue_stale() -> dict:
    """Queue pending jobs again and recover running jobs whose worker went quiet."""
    from .services import export_jobs_requeue_stale as sweep

    return sweep()


@shared_task
def export_files_remove_expired() -> int:
    """Delete export files older than EXPORTS_KEEP_DAYS; returns how many."""
    from .services import export_files_remove_expired as remove

    return remove()
