"""Proposal documents (DOCX/PDF) as background jobs: request (audited, queued after commit),
file and download record; the build is the job type in jobs.py, run by apps/core/jobs."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.jobs import enqueue, expire_files, job_type, run, sweep
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .jobs import (  # noqa: F401  (the messages are part of this module's interface)
    EXPORT_FAILED,
    EXPORT_QUEUE_DOWN,
    EXPORT_STALLED,
    EXPORT_TOO_SLOW,
    ProposalDocumentJob,
)
from .models import ProposalExport, ProposalVersion

EXPORT_BAD_FORMAT = _("Choose Word (.docx) or PDF as the format.")


@transaction.atomic
def proposal_export_request(
    *, version: ProposalVersion, format: str, by, request=None
) -> ProposalExport:
    """Create a PENDING document export of a version and queue it after commit (audited)."""
    if format not in ProposalExport.Format.values:
        raise ApplicationError(EXPORT_BAD_FORMAT)
    job = ProposalExport(version=version, format=format, requested_by=by)
    job.full_clean()
    job.save()
    audit_record(
        action=AuditEvent.Action.EXPORTED,
        actor=by,
        target=version,
        details={"stage": "requested", "format": format, "export": job.pk},
        request=request,
    )
    enqueue(ProposalDocumentJob.name, job.pk)
    return job


def proposal_export_run(*, job_id: int) -> str:
    """Run one attempt of a document export now (claimed first; safe to repeat)."""
    return run(ProposalDocumentJob.name, job_id)


def proposal_exports_requeue_stale() -> dict[str, int]:
    """The proposal documents' share of the job sweep (apps/core/jobs/sweep.py)."""
    return sweep(job_type(ProposalDocumentJob.name))


def proposal_export_file(job: ProposalExport) -> Path | None:
    """The job's file, or None (not done, removed, or a path leaving EXPORTS_DIR)."""
    if job.status != ProposalExport.Status.DONE or not job.file_path:
        return None
    root = Path(settings.EXPORTS_DIR).resolve()
    path = (root / job.file_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def proposal_export_download_record(*, job: ProposalExport, by, request=None) -> None:
    audit_record(
        action=AuditEvent.Action.EXPORTED,
        actor=by,
        target=job.version,
        details={"stage": "downloaded", "format": job.format, "export": job.pk},
        request=request,
    )


def proposal_export_files_remove_expired() -> int:
    """Delete proposal documents past their expiry (rows stay). Idempotent."""
    return expire_files(job_type(ProposalDocumentJob.name))
