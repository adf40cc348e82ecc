"""The one runner of background jobs: claim, heartbeat, takeover check, time limit, failure
with a message, retry of stale jobs (by heartbeat age), temporary files, expired files.

Every job type goes through `run()` (from the Celery task `apps.core.jobs.tasks.job_run`) and
`sweep()` (every JOBS_SWEEP_SECONDS from beat). Guarantees, for every type:
- one attempt at a time: the claim is a conditional UPDATE (pending, or running with a
  heartbeat older than JOBS_STALE_SECONDS), so two workers never both hold a job;
- a dead worker's job is taken over within JOBS_STALE_SECONDS + JOBS_SWEEP_SECONDS (under two
  minutes by default): a live attempt writes its heartbeat every JOBS_HEARTBEAT_SECONDS from a
  thread, so a long step without progress is not mistaken for a dead worker;
- an attempt that was taken over stops at its next progress report and writes nothing:
  every write names the attempt (`claimed_by`);
- past the type's time limit the job fails with a message the user reads;
- files are written under a temporary folder of the attempt and renamed into place with
  os.replace; the folder goes whatever happens, and the next attempt or the sweep removes the
  folder of an attempt that was killed.
"""

import logging
import os
import re
import secrets
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.utils import timezone, translation

from .registry import JobType, job_type

logger = logging.getLogger(__name__)

# A pending job nothing happened to for this long is queued again by the sweep.
PENDING_REQUEUE_AFTER = timedelta(minutes=1)
TEMP_PREFIX = ".tmp-"


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 15))


def stale_seconds() -> float:
    return float(getattr(settings, "JOBS_STALE_SECONDS", 60))


class JobFailed(Exception):
    """An expected failure; the message is safe to show to the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class JobSuperseded(Exception):
    """The job was taken from this attempt (given up, or handed to another attempt)."""


class JobTimeLimit(Exception):
    """The attempt ran past its job type's time limit."""


class JobContinue(Exception):
    """The attempt made progress and wants the rest done by a fresh task (a time budget)."""


def english(message) -> str:
    """Messages are stored as their English source text and translated when shown."""
    with translation.override("en"):
        return str(message)[:300]


def new_token() -> str:
    """A worker attempt's id: host, process and a random part (unique per attempt)."""
    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:30] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(6)}"


def _root() -> Path:
    return Path(settings.EXPORTS_DIR)


def _folder(jt: JobType) -> Path:
    return _root() / jt.subdir if jt.subdir else _root()


def _temp_name(jt: JobType, job_id: int, token: str) -> str:
    return f"{TEMP_PREFIX}{jt.name}-{job_id}-{token}"


def remove_temp(jt: JobType, job_id: int | None = None, *, keep: str = "") -> int:
    """Delete the temporary folders of this type's attempts that no longer hold their job (of
    one job when job_id is given), except the attempt `keep`. Returns how many."""
    folder = _folder(jt)
    if not folder.is_dir():
        return 0
    pattern = f"{TEMP_PREFIX}{jt.name}-{job_id if job_id is not None else '*'}-*"
    removed = 0
    for path in folder.glob(pattern):
        rest = path.name[len(TEMP_PREFIX) + len(jt.name) + 1 :]
        pk, _sep, token = rest.partition("-")
        if not pk.isdigit() or (keep and token == keep):
            continue
        if jt.model.objects.filter(
            pk=int(pk), status=jt.model.Status.RUNNING, claimed_by=token
        ).exists():
            continue  # a live attempt's folder
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    return removed


class Attempt:
    """One worker's attempt at one job: what build() uses to report and to write files."""

    def __init__(self, jt: JobType, job, token: str) -> None:
        self.job_type = jt
        self.job = job
        self.token = token
        self.started = time.monotonic()
        self.lost = threading.Event()
        self.output_relative = ""
        model = jt.model
        self.mine = model.objects.filter(pk=job.pk, status=model.Status.RUNNING, claimed_by=token)

    def check(self) -> None:
        """Raise JobSuperseded when the job was taken over, JobTimeLimit past the limit."""
        if self.lost.is_set():
            raise JobSuperseded
        if time.monotonic() - self.started > self.job_type.time_limit:
            raise JobTimeLimit

    def progress(self, percent: int, **fields) -> None:
        """Record progress (0-99; done is 100) and any counters, with the heartbeat. Stops
        the attempt when the job is no longer its own or it ran past the time limit."""
        self.check()
        now = timezone.now()
        if not self.mine.update(
            progress=max(0, min(99, int(percent))), heartbeat_at=now, updated_at=now, **fields
        ):
            self.lost.set()
            raise JobSuperseded

    def beat(self) -> bool:
        """Write the heartbeat only. False when the job is no longer this attempt's."""
        if not self.mine.update(heartbeat_at=timezone.now()):
            self.lost.set()
            return False
        return True

    @contextmanager
    def output(self, filename: str):
        """Yield a temporary path to write `filename` to; on success it is renamed into
        place (os.replace) under a random name, kept as the job's file. The attempt's
        temporary folder is removed whatever happens."""
        folder = _folder(self.job_type)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp_dir = folder / _temp_name(self.job_type, self.job.pk, self.token)
        temp_dir.mkdir(mode=0o700, exist_ok=True)
        try:
            temp = temp_dir / filename
            yield temp
            self.check()
            stem, dot, suffix = filename.rpartition(".")
            final = f"{stem}-{secrets.token_hex(6)}{dot}{suffix}" if dot else filename
            os.replace(temp, folder / final)
            self.output_relative = (
                f"{self.job_type.subdir}/{final}" if self.job_type.subdir else final
            )
        finally:
            shutil.rmtree(temp_dir, ignore_errors=True)

    def discard_output(self) -> None:
        if self.output_relative:
            (_root() / self.output_relative).unlink(missing_ok=True)
            self.output_relative = ""


class _Heartbeat(threading.Thread):
    """Writes the attempt's heartbeat every JOBS_HEARTBEAT_SECONDS while build() runs, so a
    long step without progress reports is not taken for a dead worker. Stops beating past
    the time limit (the sweep then fails the job) and when the job was taken over."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__(name=f"job-heartbeat-{attempt.job.pk}", daemon=True)
        self.attempt = attempt
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(heartbeat_seconds()):
                if time.monotonic() - self.attempt.started > self.attempt.job_type.time_limit:
                    return
                try:
                    if not self.attempt.beat():
                        return
                except Exception:  # noqa: BLE001  (database away for a moment: try again)
                    logger.warning("Job heartbeat failed", exc_info=True)
        finally:
            if connection.connection is not None:
                connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


def claim(jt: JobType, job_id: int, token: str) -> bool:
    """Take the job for this attempt: pending, or running with a stale heartbeat (its worker
    died). One conditional UPDATE, so of two workers at most one gets it."""
    model = jt.model
    now = timezone.now()
    stale_before = now - timedelta(seconds=stale_seconds())
    claimable = Q(status=model.Status.PENDING) | Q(
        status=model.Status.RUNNING, heartbeat_at__lt=stale_before
    )
    return bool(
        model.objects.filter(claimable, pk=job_id, attempts__lt=jt.max_attempts).update(
            status=model.Status.RUNNING,
            claimed_by=token,
            started_at=now,
            heartbeat_at=now,
            updated_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            progress=0,
            error_message="",
            **jt.reset_on_claim,
        )
    )


def _fail(jt: JobType, jobs, message) -> int:
    now = timezone.now()
    ids = list(jobs.values_list("pk", flat=True))
    failed = jobs.update(
        status=jt.model.Status.FAILED,
        error_message=english(message),
        finished_at=now,
        updated_at=now,
        claimed_by="",
    )
    if failed:
        for job_id in ids:
            jt.on_failed(job_id)
    return failed


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


def run(name: str, job_id: int, *, token: str | None = None) -> str:
    """Run one attempt of a job. Safe to call twice: the job is claimed first, and a duplicate
    delivery (or a job another live worker holds) returns "skipped" at once. Returns what
    happened: done, failed, skipped, superseded or continued."""
    jt = job_type(name)
    token = token or new_token()
    if not claim(jt, job_id, token):
        return "skipped"
    job = jt.get_job(job_id)
    attempt = Attempt(jt, job, token)
    remove_temp(jt, job_id, keep=token)  # left by an earlier attempt that was killed
    heartbeat = None
    if not connection.in_atomic_block:  # another connection could not see uncommitted rows
        heartbeat = _Heartbeat(attempt)
        heartbeat.start()
    outcome = "failed"
    try:
        jt.on_claim(job, attempt)
        extra = jt.build(job, attempt) or {}
        if attempt.lost.is_set():
            raise JobSuperseded
        now = timezone.now()
        expires = now + jt.keep_files_for() if attempt.output_relative else None
        if attempt.mine.update(
            status=jt.model.Status.DONE,
            progress=100,
            file_path=attempt.output_relative,
            finished_at=now,
            heartbeat_at=now,
            updated_at=now,
            expires_at=expires,
            claimed_by="",
            **extra,
        ):
            outcome = "done"
            jt.on_done(job)
        else:
            outcome = "superseded"
    except (OperationalError, InterfaceError):
        # Transient database trouble (a restart cuts the connection): give the job back on a
        # fresh connection and let the task retry it; if the database is still away, the
        # sweep takes the job over once its heartbeat is stale.
        outcome = "retry"
        _drop_broken_connection()
        try:
            attempt.mine.update(
                status=jt.model.Status.PENDING,
                heartbeat_at=None,
                claimed_by="",
                updated_at=timezone.now(),
            )
        except (OperationalError, InterfaceError):
            logger.warning("Job %s %s: database still unavailable", name, job_id)
        raise
    except JobSuperseded:
        outcome = "superseded"
        logger.warning("Job %s %s was taken over; attempt %s stops", name, job_id, token)
    except JobContinue:
        # The caller (queue.send, the task) sends the job again.
        if attempt.mine.update(
            status=jt.model.Status.PENDING,
            heartbeat_at=None,
            claimed_by="",
            attempts=0,
            updated_at=timezone.now(),
        ):
            outcome = "continued"
        else:
            outcome = "superseded"
    except JobFailed as exc:
        logger.info("Job %s %s failed: %s", name, job_id, exc)
        _fail(jt, attempt.mine, exc.message)
    except (JobTimeLimit, SoftTimeLimitExceeded):
        logger.warning("Job %s %s hit the time limit", name, job_id)
        _fail(jt, attempt.mine, jt.too_slow_message)
    except Exception as exc:  # noqa: BLE001  (any other error: log it, show the generic message)
        if isinstance(exc, jt.retry_on):
            logger.warning("Job %s %s: %s; tried again later", name, job_id, exc)
            attempt.mine.update(
                status=jt.model.Status.PENDING,
                heartbeat_at=None,
                claimed_by="",
                attempts=F("attempts") - 1,
                updated_at=timezone.now(),
            )
        else:
            logger.exception("Job %s %s failed", name, job_id)
            _fail(jt, attempt.mine, jt.failed_message)
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        if outcome != "done":
            attempt.discard_output()
    return outcome
