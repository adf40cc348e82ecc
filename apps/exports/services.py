"""Writes on export jobs: request (queued after commit), and the export type's share of the
job runner's run, sweep and file expiry (apps/core/jobs; the build is in jobs.py)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.jobs import enqueue, expire_files, job_type, run, sweep
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .base import exporter_class
from .jobs import (  # noqa: F401  (the messages are part of this module's interface)
    EXPORT_FAILED,
    EXPORT_QUEUE_DOWN,
    EXPORT_STALLED,
    EXPORT_TOO_SLOW,
    EXPORT_UNKNOWN_KIND,
    ResponsesExportJob,
)
from .models import ExportJob

EXPORT_NOT_ALLOWED = _("Your role does not allow this export.")
EXPORT_BAD_FORMAT = _("Choose CSV or Excel as the format.")


def _clean_options(options: dict) -> dict:
    # Imported here: the shared dashboard filter lives in insights.
    from apps.surveys.filters import filter_params

    return {
        "filters": filter_params(options.get("filters") or {}),
        "labels": bool(options.get("labels")),
    }


@transaction.atomic
def export_job_request(*, kind: str, format: str, options: dict, by, request=None) -> ExportJob:
    """Create a PENDING export job for `by` and queue it after commit (role checked here)."""
    exporter = exporter_class(kind)
    if exporter is None:
        raise ApplicationError(EXPORT_UNKNOWN_KIND)
    if not exporter.allowed_for(by):
        raise ApplicationError(EXPORT_NOT_ALLOWED, extra={"forbidden": True})
    if format not in ExportJob.Format.values:
        raise ApplicationError(EXPORT_BAD_FORMAT)
    job = ExportJob(
        kind=kind,
        format=format,
        options=_clean_options(options),
        requested_by=by,
        includes_personal_data=exporter.includes_personal_data,
    )
    job.full_clean()
    job.save()
    if job.includes_personal_data:
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            actor=by,
            target=job,
            details={"stage": "requested", "kind": kind, "format": format, **job.options},
            request=request,
        )
    enqueue(ResponsesExportJob.name, job.pk)
    return job


def export_job_run(*, job_id: int) -> str:
    """Run one attempt of an export job now (the runner claims it first; safe to repeat)."""
    return run(ResponsesExportJob.name, job_id)


def export_jobs_requeue_stale() -> dict[str, int]:
    """The export jobs' share of the job sweep (apps/core/jobs/sweep.py)."""
    return sweep(job_type(ResponsesExportJob.name))


def export_files_remove_expired() -> int:
    """Delete export files past their expiry (the rows stay). Returns how many went."""
    return expire_files(job_type(ResponsesExportJob.name))


def export_job_download_record(*, job: ExportJob, by, request=None) -> None:
    """Audit the download of an export that holds personal data (others are not logged)."""
    if job.includes_personal_data:
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            actor=by,
            target=job,
            details={"stage": "downloaded", "kind": job.kind, "format": job.format},
            request=request,
        )
