"""One lifecycle for every background job that builds something for a user.

A job type is a small class (`JobType`) with a `build()` method, registered with `@register`
by the app that owns it (in its `jobs` module, imported by its AppConfig.ready()). The runner
(`runner.py`) does the rest the same way for every type: claim, heartbeat, takeover check, time
limit, failure with a message the user sees, retry of stale jobs judged by heartbeat age,
temporary files renamed into place, expired files removed. `queue.py` sends a job after
commit and keeps it waiting (never lost) when the broker is down; `outbox.py` claims rows of
an outbox table. See docs/incoming/jobs.md.

This package imports no feature app: feature apps import it.
"""

from .models import BackgroundJob
from .queue import call_task, enqueue, enqueue_task, send, task_named
from .registry import JobType, job_type, job_types, register
from .runner import Attempt, JobContinue, JobFailed, JobSuperseded, JobTimeLimit, run
from .sweep import expire_files, sweep

__all__ = [
    "Attempt",
    "BackgroundJob",
    "JobContinue",
    "JobFailed",
    "JobSuperseded",
    "JobTimeLimit",
    "JobType",
    "call_task",
    "enqueue",
    "enqueue_task",
    "expire_files",
    "job_type",
    "job_types",
    "register",
    "run",
    "send",
    "sweep",
    "task_named",
]
