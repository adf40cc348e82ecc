"""A real Celery worker process for tests/core/test_jobs_worker.py (started as a subprocess,
killed with SIGKILL by the tests). Test hooks, from the environment:

JOB_TEST_HOLD=<seconds>       the first attempt of every job holds a temporary file of its
                              own for this long before its real build (so a test can kill
                              the worker mid-run, or race a second worker);
JOB_TEST_TIME_LIMIT=<seconds> every job type's time limit.

Everything else is the product's code: the runner, the job types, the Celery task.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostportal.settings.test")

import django  # noqa: E402

django.setup()

from apps.core.jobs.registry import job_types  # noqa: E402
from ostportal.celery_app import app  # noqa: E402


class _Held(Exception):
    pass


def _holding(real, hold: float):
    def build(job, attempt):
        if job.attempts == 1:
            try:
                with attempt.output("partial.bin") as path:
                    path.write_bytes(b"")  # the 0-byte file a kill leaves behind
                    deadline = time.monotonic() + hold
                    while time.monotonic() < deadline:
                        time.sleep(0.1)
                    raise _Held
            except _Held:
                pass
        return real(job, attempt)

    return build


def main() -> None:
    hold = float(os.environ.get("JOB_TEST_HOLD", "0"))
    limit = os.environ.get("JOB_TEST_TIME_LIMIT")
    for jt in job_types():
        if limit:
            jt.time_limit = int(limit)
        if hold:
            jt.build = _holding(jt.build, hold)
    app.conf.task_always_eager = False
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            f"jobtest-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
