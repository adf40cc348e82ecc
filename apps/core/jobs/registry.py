"""Job types: one small class per kind of background job, registered by its app."""

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.utils.translation import gettext_lazy as _

JOB_FAILED = _(
    "The job could not be finished. Please try again; if it fails again, tell an administrator."
)
JOB_QUEUE_DOWN = _(
    "The queue cannot be reached right now. Your request is saved and will start "
    "automatically when the queue is back."
)
JOB_TOO_SLOW = _("The job took too long and was stopped. Please try again.")
JOB_STALLED = _(
    "The job stopped responding several times and was given up. Please request it again."
)


class JobType:
    """One kind of background job. Subclasses set `name` and `model` and implement `build()`.

    `build(job, attempt)` does the work: it reports progress through `attempt.progress()`
    (which writes the heartbeat and raises JobSuperseded when the job was taken over, or
    JobTimeLimit past the time limit), writes any file through `attempt.output()` (a
    temporary file renamed into place), and returns a dict of extra fields for the DONE
    row. It raises JobFailed(message) for an expected failure the user should read.
    """

    name: ClassVar[str] = ""
    model: ClassVar[type] = None
    # Seconds one attempt may run; past it the job fails with `too_slow_message`.
    time_limit: ClassVar[int] = 30 * 60
    max_attempts: ClassVar[int] = 3
    # Folder under EXPORTS_DIR for the files of this type ("" for none).
    subdir: ClassVar[str] = ""
    failed_message: ClassVar = JOB_FAILED
    queue_down_message: ClassVar = JOB_QUEUE_DOWN
    too_slow_message: ClassVar = JOB_TOO_SLOW
    stalled_message: ClassVar = JOB_STALLED
    # Errors that mean "try again later" (a mail server away): the job goes back to pending
    # without counting the attempt, and the sweep queues it again a minute later.
    retry_on: ClassVar[tuple] = ()
    # Fields set back to these values whenever an attempt starts (per-type counters).
    reset_on_claim: ClassVar[dict] = {}

    def get_job(self, pk: int):
        return self.model.objects.get(pk=pk)

    def on_claim(self, job, attempt) -> None:
        """Called once the attempt holds the job, before build() (recover earlier attempts)."""

    def build(self, job, attempt) -> dict | None:
        raise NotImplementedError

    def on_done(self, job) -> None:
        """Called after the job was marked done by this attempt."""

    def on_failed(self, job_id: int) -> None:
        """Called after the job was marked failed (by its attempt or by the sweep)."""

    def keep_files_for(self) -> timedelta:
        return timedelta(days=settings.EXPORTS_KEEP_DAYS)


_REGISTRY: dict[str, JobType] = {}


def register(cls: type[JobType]) -> type[JobType]:
    """Class decorator: make a job type available under its name (to the task and sweeps)."""
    if not cls.name or cls.model is None:
        raise ValueError(f"{cls.__name__} needs a name and a model")
    existing = _REGISTRY.get(cls.name)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"Two job types are called {cls.name!r}")
    _REGISTRY[cls.name] = cls()
    return cls


def job_type(name: str) -> JobType:
    return _REGISTRY[name]


def job_types() -> list[JobType]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
