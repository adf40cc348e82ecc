"""Export jobs run through the one job task (apps.core.jobs.tasks.job_run). This name stays
so that messages queued before the job runner was introduced still run."""

from celery import shared_task

from apps.core.jobs import run


@shared_task(acks_late=True)
def export_job_run(job_id: int) -> str:
    """Build the file for one ExportJob (safe to run twice: the job is claimed first)."""
    return run("exports", job_id)
