"""The Celery tasks of every job type: one runner task (defined beside `send` in queue.py,
registered under this module's name), one sweep, one file expiry."""

from celery import shared_task

from .queue import job_run
from .registry import job_types
from .sweep import expire_files, sweep

__all__ = ["job_files_expire", "job_run", "jobs_sweep"]


@shared_task(name="apps.core.jobs.tasks.jobs_sweep")
def jobs_sweep() -> dict:
    """Take over jobs of dead workers, fail those past their time limit, queue waiting ones."""
    return {jt.name: sweep(jt) for jt in job_types()}


@shared_task(name="apps.core.jobs.tasks.job_files_expire")
def job_files_expire() -> dict:
    """Delete job files past their expiry; returns how many per job type."""
    return {jt.name: expire_files(jt) for jt in job_types()}
