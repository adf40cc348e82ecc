"""Writes on export jobs: request, run (build the file), sweep stalled jobs, remove old files."""

import logging
import secrets
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .base import ExportFailed, exporter_class, write_export
from .models import ExportJob

logger = logging.getLogger(__name__)

EXPORT_UNKNOWN_KIND = _("This export does not exist.")
EXPORT_NOT_ALLOWED = _("Your role does not allow this export.")
EXPORT_BAD_FORMAT = _("Choose CSV or Excel as the format.")
EXPORT_FAILED = _(
    "The export could not be made. Please try again; if it fails again, tell an administrator."
)
EXPORT_QUEUE_DOWN = _(
    "The export queue cannot be reached right now. Your export is saved and will start "
    "automatically when the queue is back."
)
EXPORT_TOO_SLOW = _("The export took too long and was stopped. Narrow the filters and try again.")
EXPORT_STALLED = _(
    "The export stopped responding several times and was given up. Please request it again."
)

# A job is tried at most this many times (claims), whatever stopped the earlier attempts.
MAX_ATTEMPTS = 3
# A pending job is queued again when nothing happened to it for this long.
PENDING_REQUEUE_AFTER = timedelta(minutes=1)


class _Superseded(Exception):
    """The job was taken from this worker (given up or handed to another attempt)."""


def _english(message) -> str:
    """Messages are stored as their English source text and translated when shown."""
    with translation.override("en"):
        return str(message)[:300]


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
    job_id = job.pk
    transaction.on_commit(lambda: _queue(job_id), robust=True)
    return job


def _queue(job_id: int) -> bool:
    """Send the job to the queue. With the broker down the job stays PENDING, says so, and
    the periodic sweep sends it later."""
    from .tasks import export_job_run as export_job_run_task

    try:
        export_job_run_task.delay(job_id=job_id)
    except Exception:  # noqa: BLE001  (broker down or eager run failed: never fail the request)
        logger.warning("Could not queue export job %s", job_id, exc_info=True)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            error_message=_english(EXPORT_QUEUE_DOWN), updated_at=timezone.now()
        )
        return False
    return True


def export_job_run(*, job_id: int) -> None:
    """Build the file of one export job. Safe to run twice: the job is claimed first, and a
    duplicate delivery (or a job already taken by another worker) returns at once."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        rows_written=0,
        error_message="",
    )
    if not claimed:
        return
    job = ExportJob.objects.get(pk=job_id)
    # Every later write names this attempt: if the sweep gave the job up or handed it to a
    # new attempt meanwhile, this worker stops instead of overwriting.
    mine = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.RUNNING, attempts=job.attempts
    )
    relative = f"{job.kind}-{job.pk}-{secrets.token_hex(6)}.{job.extension}"
    dest = Path(settings.EXPORTS_DIR) / relative
    try:
        exporter_cls = exporter_class(job.kind)
        if exporter_cls is None:
            raise ExportFailed(EXPORT_UNKNOWN_KIND)
        exporter = exporter_cls()
        with translation.override("en"):
            total = exporter.count(job.options)

            def progress(rows: int) -> None:
                percent = min(99, rows * 100 // total) if total else 99
                if not mine.update(
                    progress=percent,
                    rows_written=rows,
                    heartbeat_at=timezone.now(),
                    updated_at=timezone.now(),
                ):
                    raise _Superseded

            written = write_export(exporter, job.options, job.format, dest, on_progress=progress)
        finished = timezone.now()
        if not mine.update(
            status=ExportJob.Status.DONE,
            progress=100,
            rows_written=written,
            file_path=relative,
            finished_at=finished,
            heartbeat_at=finished,
            updated_at=finished,
        ):
            dest.unlink(missing_ok=True)
    except (OperationalError, InterfaceError):
        # Transient database trouble (a restart cuts the connection): give the job back on a
        # fresh connection and let the task retry it. If the database is still away, the
        # stale-job sweep hands the job back later instead.
        _drop_broken_connection()
        try:
            mine.update(
                status=ExportJob.Status.PENDING, heartbeat_at=None, updated_at=timezone.now()
            )
        except (OperationalError, InterfaceError):
            logger.warning("Export job %s: database still unavailable", job_id)
        raise
    except _Superseded:
        logger.warning("Export job %s was taken over; attempt %s stops", job_id, job.attempts)
    except ExportFailed as exc:
        logger.info("Export job %s failed: %s", job_id, exc)
        _fail(mine, exc.message)
    except SoftTimeLimitExceeded:
        logger.warning("Export job %s hit the time limit", job_id)
        _fail(mine, EXPORT_TOO_SLOW)
    except Exception:  # noqa: BLE001  (any other error: log it, show the generic message)
        logger.exception("Export job %s failed", job_id)
        _fail(mine, EXPORT_FAILED)


def _drop_broken_connection() -> None:
    """Close the database connection when it no longer works, so the next query reconnects."""
    if connection.in_atomic_block or connection.connection is None:
        return
    try:
        usable = connection.is_usable()
    except Exception:  # noqa: BLE001
        usable = False
    if not usable:
        connection.close()


def _fail(jobs, message) -> int:
    now = timezone.now()
    return jobs.update(
        status=ExportJob.Status.FAILED,
        error_message=_english(message),
        finished_at=now,
        updated_at=now,
    )


def export_jobs_requeue_stale() -> dict[str, int]:
    """Periodic sweep: queue again pending jobs nothing happened to for a minute; running jobs
    without a heartbeat for EXPORT_STALE_MINUTES go back to the queue, or fail after
    MAX_ATTEMPTS. Returns counts. Idempotent."""
    now = timezone.now()
    stale_at = now - timedelta(minutes=getattr(settings, "EXPORT_STALE_MINUTES", 10))
    counts = {"requeued": 0, "failed": 0}
    running = ExportJob.objects.filter(status=ExportJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=stale_at) | Q(heartbeat_at__isnull=True, updated_at__lt=stale_at)
    )
    for job_id, attempts in running.values_list("pk", "attempts"):
        job = ExportJob.objects.filter(
            pk=job_id, status=ExportJob.Status.RUNNING, attempts=attempts
        )
        if attempts >= MAX_ATTEMPTS:
            counts["failed"] += _fail(job, EXPORT_STALLED)
        elif job.update(status=ExportJob.Status.PENDING, heartbeat_at=None, updated_at=now):
            logger.warning("Export job %s stalled (attempt %s); queued again", job_id, attempts)
            counts["requeued"] += 1
            _queue(job_id)
    pending = ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, updated_at__lt=now - PENDING_REQUEUE_AFTER
    )
    counts["failed"] += _fail(pending.filter(attempts__gte=MAX_ATTEMPTS), EXPORT_STALLED)
    for job_id in pending.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        # Touch first, so a busy queue gets at most one extra message per job per minute.
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(updated_at=now)
        counts["requeued"] += 1
        _queue(job_id)
    return counts


def export_files_remove_expired() -> int:
    """Delete export files older than EXPORTS_KEEP_DAYS (the job rows stay, without a file)
    and temporary files left by stopped workers. Returns how many files went. Idempotent."""
    root = Path(settings.EXPORTS_DIR)
    from apps.privacy.inventory import retention_days

    cutoff = timezone.now() - timedelta(days=retention_days("staff-exports"))
    removed = 0
    expired = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file_path="")
    for job_id, relative in expired.values_list("pk", "file_path"):
        path = (root / relative).resolve()
        if root.resolve() in path.parents and path.is_file():
            path.unlink()
            removed += 1
        ExportJob.objects.filter(pk=job_id).update(file_path="", updated_at=timezone.now())
    if root.is_dir():
        day_ago = (timezone.now() - timedelta(days=1)).timestamp()
        for leftover in root.glob(".tmp-*"):
            if leftover.is_file() and leftover.stat().st_mtime < day_ago:
                leftover.unlink(missing_ok=True)
                removed += 1
    return removed


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
