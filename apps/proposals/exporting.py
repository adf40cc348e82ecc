"""Proposal documents as Celery jobs with progress (the exports app's pattern, for DOCX/PDF):
request (audited), run (claim first, heartbeat on progress), sweep stalled jobs."""

import logging
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .documents import BUILDERS
from .models import ProposalExport, ProposalVersion

logger = logging.getLogger(__name__)

EXPORT_BAD_FORMAT = _("Choose Word (.docx) or PDF as the format.")
EXPORT_FAILED = _(
    "The document could not be made. Please try again; if it fails again, tell an administrator."
)
EXPORT_QUEUE_DOWN = _(
    "The export queue cannot be reached right now. Your document is saved as a request and "
    "will start automatically when the queue is back."
)
EXPORT_STALLED = _(
    "The export stopped responding several times and was given up. Please request it again."
)
MAX_ATTEMPTS = 3
PENDING_REQUEUE_AFTER = timedelta(minutes=1)
SUBDIR = "proposals"


def _english(message) -> str:
    with translation.override("en"):
        return str(message)[:300]


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
    job_id = job.pk
    transaction.on_commit(lambda: _queue(job_id), robust=True)
    return job


def _queue(job_id: int) -> bool:
    from .tasks import proposal_export_run as proposal_export_run_task

    try:
        proposal_export_run_task.delay(job_id=job_id)
    except Exception:  # noqa: BLE001  (broker down or eager run failed: never fail the request)
        logger.warning("Could not queue proposal export %s", job_id, exc_info=True)
        ProposalExport.objects.filter(pk=job_id, status=ProposalExport.Status.PENDING).update(
            error_message=_english(EXPORT_QUEUE_DOWN), updated_at=timezone.now()
        )
        return False
    return True


def proposal_export_run(*, job_id: int) -> None:
    """Build the document of one export. Safe to run twice: the job is claimed first."""
    now = timezone.now()
    claimed = ProposalExport.objects.filter(pk=job_id, status=ProposalExport.Status.PENDING).update(
        status=ProposalExport.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        sections_written=0,
        error_message="",
    )
    if not claimed:
        return
    job = ProposalExport.objects.select_related("version").get(pk=job_id)
    mine = ProposalExport.objects.filter(
        pk=job_id, status=ProposalExport.Status.RUNNING, attempts=job.attempts
    )
    relative = (
        f"{SUBDIR}/proposal-v{job.version.number}-{job.pk}-{secrets.token_hex(6)}.{job.format}"
    )
    dest = Path(settings.EXPORTS_DIR) / relative
    dest.parent.mkdir(parents=True, exist_ok=True)
    total = max(1, len(job.version.sections))

    def progress(sections: int) -> None:
        mine.update(
            progress=min(99, sections * 100 // total),
            sections_written=sections,
            heartbeat_at=timezone.now(),
            updated_at=timezone.now(),
        )

    try:
        written = BUILDERS[job.format](job.version, dest, progress)
        finished = timezone.now()
        if not mine.update(
            status=ProposalExport.Status.DONE,
            progress=100,
            sections_written=written,
            file_path=relative,
            finished_at=finished,
            heartbeat_at=finished,
            updated_at=finished,
        ):
            dest.unlink(missing_ok=True)
    except OperationalError:
        mine.update(
            status=ProposalExport.Status.PENDING, heartbeat_at=None, updated_at=timezone.now()
        )
        raise
    except Exception:  # noqa: BLE001  (any other error: log it, show the generic message)
        logger.exception("Proposal export %s failed", job_id)
        dest.unlink(missing_ok=True)
        _fail(mine, EXPORT_FAILED)


def _fail(jobs, message) -> int:
    now = timezone.now()
    return jobs.update(
        status=ProposalExport.Status.FAILED,
        error_message=_english(message),
        finished_at=now,
        updated_at=now,
    )


def proposal_exports_requeue_stale() -> dict[str, int]:
    """Periodic sweep: queue again waiting jobs, recover running ones without a heartbeat,
    give up after MAX_ATTEMPTS. Returns counts. Idempotent."""
    now = timezone.now()
    stale_at = now - timedelta(minutes=getattr(settings, "EXPORT_STALE_MINUTES", 10))
    counts = {"requeued": 0, "failed": 0}
    running = ProposalExport.objects.filter(status=ProposalExport.Status.RUNNING).filter(
        Q(heartbeat_at__lt=stale_at) | Q(heartbeat_at__isnull=True, updated_at__lt=stale_at)
    )
    for job_id, attempts in running.values_list("pk", "attempts"):
        job = ProposalExport.objects.filter(
            pk=job_id, status=ProposalExport.Status.RUNNING, attempts=attempts
        )
        if attempts >= MAX_ATTEMPTS:
            counts["failed"] += _fail(job, EXPORT_STALLED)
        elif job.update(status=ProposalExport.Status.PENDING, heartbeat_at=None, updated_at=now):
            counts["requeued"] += 1
            _queue(job_id)
    pending = ProposalExport.objects.filter(
        status=ProposalExport.Status.PENDING, updated_at__lt=now - PENDING_REQUEUE_AFTER
    )
    counts["failed"] += _fail(pending.filter(attempts__gte=MAX_ATTEMPTS), EXPORT_STALLED)
    for job_id in pending.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        ProposalExport.objects.filter(pk=job_id, status=ProposalExport.Status.PENDING).update(
            updated_at=now
        )
        counts["requeued"] += 1
        _queue(job_id)
    return counts


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
    """Delete proposal documents older than EXPORTS_KEEP_DAYS (rows stay). Idempotent."""
    root = Path(settings.EXPORTS_DIR).resolve()
    cutoff = timezone.now() - timedelta(days=settings.EXPORTS_KEEP_DAYS)
    removed = 0
    expired = ProposalExport.objects.filter(finished_at__lt=cutoff).exclude(file_path="")
    for job_id, relative in expired.values_list("pk", "file_path"):
        path = (root / relative).resolve()
        if root in path.parents and path.is_file():
            path.unlink()
            removed += 1
        ProposalExport.objects.filter(pk=job_id).update(file_path="", updated_at=timezone.now())
    return removed
