"""Proposal documents run through the one job task (apps.core.jobs.tasks.job_run). This name
stays so that messages queued before the job runner was introduced still run."""

from celery import shared_task

from apps.core.jobs import run


@shared_task(acks_late=True)
def proposal_export_run(job_id: int) -> str:
    """Build the DOCX or PDF of one ProposalExport (safe to run twice: claimed first)."""
    return run("proposal_documents", job_id)
