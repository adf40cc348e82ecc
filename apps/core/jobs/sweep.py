"""The periodic recovery of jobs (see runner.py for the guarantees) and file expiry."""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .queue import send
from .registry import JobType
from .runner import (
    PENDING_REQUEUE_AFTER,
    TEMP_PREFIX,
    _fail,
    _folder,
    _root,
    heartbeat_seconds,
    remove_temp,
    stale_seconds,
)

logger = logging.getLogger(__name__)


def sweep(jt: JobType) -> dict[str, int]:
    """Recover this type's jobs (beat, every JOBS_SWEEP_SECONDS; idempotent):
    - running past the time limit: failed with the type's "too slow" message;
    - running with a heartbeat older than JOBS_STALE_SECONDS (a dead worker): back to pending
      and queued, or failed after max_attempts;
    - pending for a minute without anything happening (queue was down): queued again, or
      failed after max_attempts;
    - temporary folders of attempts no longer running: removed.
    Returns {"requeued": n, "failed": n}."""
    model = jt.model
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0}
    running = model.objects.filter(status=model.Status.RUNNING)
    stale_before = now - timedelta(seconds=stale_seconds())
    stale = Q(heartbeat_at__lt=stale_before) | Q(
        heartbeat_at__isnull=True, updated_at__lt=stale_before
    )
    # Alive (fresh heartbeat) but past the time limit: stuck in one step. A dead worker's job
    # (stale heartbeat) is taken over below instead, however long ago it started.
    limit = timedelta(seconds=jt.time_limit + 2 * heartbeat_seconds())
    too_long = running.filter(started_at__lt=now - limit).exclude(stale)
    for job_id, token in too_long.values_list("pk", "claimed_by"):
        one = running.filter(pk=job_id, claimed_by=token).exclude(stale)
        counts["failed"] += _fail(jt, one, jt.too_slow_message)
    for job_id, attempts, token in running.filter(stale).values_list(
        "pk", "attempts", "claimed_by"
    ):
        one = running.filter(stale, pk=job_id, claimed_by=token)
        if attempts >= jt.max_attempts:
            counts["failed"] += _fail(jt, one, jt.stalled_message)
        elif one.update(
            status=model.Status.PENDING, heartbeat_at=None, claimed_by="", updated_at=now
        ):
            logger.warning(
                "Job %s %s stalled (attempt %s); queued again", jt.name, job_id, attempts
            )
            counts["requeued"] += 1
            remove_temp(jt, job_id)
            send(jt.name, job_id)
    pending = model.objects.filter(
        status=model.Status.PENDING, updated_at__lt=now - PENDING_REQUEUE_AFTER
    )
    counts["failed"] += _fail(jt, pending.filter(attempts__gte=jt.max_attempts), jt.stalled_message)
    for job_id in pending.filter(attempts__lt=jt.max_attempts).values_list("pk", flat=True):
        # Touch first, so a busy queue gets at most one extra message per job per minute.
        model.objects.filter(pk=job_id, status=model.Status.PENDING).update(updated_at=now)
        counts["requeued"] += 1
        send(jt.name, job_id)
    remove_temp(jt)
    return counts


def expire_files(jt: JobType) -> int:
    """Delete the files of this type past their expiry (or older than the type's keep period,
    whichever comes first); the job rows stay, without a file. Also removes temporary files
    older than a day left by an older version. Returns how many files went. Idempotent."""
    model = jt.model
    root = _root().resolve()
    now = timezone.now()
    removed = 0
    expired = model.objects.filter(
        Q(expires_at__lt=now) | Q(finished_at__lt=now - jt.keep_files_for())
    ).exclude(file_path="")
    for job_id, relative in expired.values_list("pk", "file_path"):
        path = (root / relative).resolve()
        if root in path.parents and path.is_file():
            path.unlink()
            removed += 1
        model.objects.filter(pk=job_id).update(file_path="", updated_at=timezone.now())
    folder = _folder(jt)
    if folder.is_dir():
        day_ago = (now - timedelta(days=1)).timestamp()
        for leftover in folder.glob(f"{TEMP_PREFIX}*"):
            if leftover.is_file() and leftover.stat().st_mtime < day_ago:
                leftover.unlink(missing_ok=True)
                removed += 1
    return removed
