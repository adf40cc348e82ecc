"""The shared fault suite with real Celery workers: every registered job type, PostgreSQL and
a real broker (CI's second pass; skipped on the embedded SQLite default or without
CELERY_BROKER_URL). Workers are subprocesses (tests/core/job_worker.py) killed with SIGKILL.

- a worker killed mid-run: another worker takes the job over within two minutes (here within
  JOBS_STALE_SECONDS=5 plus a sweep), runs it once more and to the end, and the temporary
  file the kill left is removed;
- two workers given one job: it runs once;
- the broker down at queue time: the job waits, says so, and runs once the broker is back;
- a job past its time limit (Celery's soft limit in the worker): failed with the message the
  user reads, no temporary file left.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.jobs import job_type, send, sweep
from apps.core.jobs.runner import _folder, english

from .jobs_cases import CASES, temporary_leftovers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

NAMES = sorted(CASES)
HARNESS = Path(__file__).with_name("job_worker.py")
STALE_SECONDS = 5
REAL_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture(autouse=True)
def _postgres_and_dirs(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) and a real broker: CI's second pass")
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.JOBS_STALE_SECONDS = STALE_SECONDS


@pytest.fixture
def workers(settings, real_broker):
    """Start worker subprocesses; every one still running at the end is killed."""
    real_broker.control.purge()
    started: list[subprocess.Popen] = []
    db = connection.settings_dict

    def start(*, hold: float = 0, time_limit: int | None = None) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ostportal.settings.test",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "EXPORTS_DIR": str(settings.EXPORTS_DIR),
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_STALE_SECONDS": str(STALE_SECONDS),
            "JOB_TEST_HOLD": str(hold),
        }
        if time_limit is not None:
            env["JOB_TEST_TIME_LIMIT"] = str(time_limit)
        process = subprocess.Popen([sys.executable, str(HARNESS)], env=env, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(params=NAMES)
def case(request, monkeypatch):
    case = CASES[request.param]()
    case.setup(monkeypatch)
    return case


def _job(case, pk):
    return job_type(case.name).model.objects.get(pk=pk)


def _wait_for(predicate, seconds: float, *, tick=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if tick is not None:
            tick()
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return predicate()


def _attempt_folders(case, pk) -> list[Path]:
    jt = job_type(case.name)
    folder = _folder(jt)
    return sorted(folder.glob(f".tmp-{jt.name}-{pk}-*")) if folder.exists() else []


def _check_done(case, job) -> None:
    if case.name == "announcements":
        case.check_done(job, outbox=False)  # the worker's mail is in its own process
    else:
        case.check_done(job)


def test_a_worker_killed_mid_run_is_taken_over_within_two_minutes(case, administrator, workers):
    jt = job_type(case.name)
    pk = case.make(administrator)
    first = workers(hold=120)
    assert send(case.name, pk)
    assert _wait_for(lambda: _attempt_folders(case, pk), 90), "the first attempt never started"
    assert (_job(case, pk).status, _job(case, pk).attempts) == ("running", 1)
    os.killpg(first.pid, signal.SIGKILL)  # kill -9: the worker and its pool child
    first.wait()
    killed_at = time.monotonic()
    assert _attempt_folders(case, pk)  # what the kill left behind
    workers()
    # Beat runs the sweep every JOBS_SWEEP_SECONDS; here every half second.
    job = _wait_for(lambda: (j := _job(case, pk)).is_finished and j, 120, tick=lambda: sweep(jt))
    took = time.monotonic() - killed_at
    if os.environ.get("JOBS_TIMINGS_FILE"):  # the measured figure, for docs/incoming/jobs.md
        with open(os.environ["JOBS_TIMINGS_FILE"], "a", encoding="utf-8") as out:
            out.write(f"{case.name} killed-worker takeover {took:.1f} s\n")
    assert job and job.status == "done", _job(case, pk).error_message
    assert job.attempts == 2  # killed once, run once more: not lost, not run a third time
    assert took < 120
    _check_done(case, job)
    assert _attempt_folders(case, pk) == [] and temporary_leftovers() == []


def test_two_workers_given_one_job_run_it_once(case, administrator, workers, real_broker):
    pk = case.make(administrator)
    workers(hold=3)
    workers(hold=3)
    _wait_for(lambda: len(real_broker.control.ping(timeout=1.0)) >= 2, 60)
    assert send(case.name, pk) and send(case.name, pk)  # a duplicate message
    job = _wait_for(lambda: (j := _job(case, pk)).is_finished and j, 90)
    assert job and job.status == "done"
    assert job.attempts == 1
    _check_done(case, job)
    assert temporary_leftovers() == []


def test_broker_down_at_queue_time_then_back(
    case, administrator, dead_broker, workers_after_outage
):
    jt = job_type(case.name)
    pk = case.request(administrator)  # on commit: the queue is down; the request succeeds
    job = _job(case, pk)
    assert (job.status, job.error_message) == ("pending", english(jt.queue_down_message))
    workers_after_outage()
    jt.model.objects.filter(pk=pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert sweep(jt)["requeued"] == 1
    job = _wait_for(lambda: (j := _job(case, pk)).is_finished and j, 90)
    assert job and (job.status, job.error_message, job.attempts) == ("done", "", 1)
    _check_done(case, job)


@pytest.fixture
def workers_after_outage(settings, monkeypatch):
    """The broker comes back (CELERY_BROKER_URL): start a worker on it."""
    from tests.conftest import _use_broker

    url = REAL_BROKER_URL  # read before dead_broker pointed the variable at a closed port
    if not url or url.startswith("memory"):
        pytest.skip("needs CELERY_BROKER_URL pointing at a real broker (CI's second pass)")
    processes = []

    def start():
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery prefers it to its settings
        _use_broker(url)
        from ostportal.celery_app import app

        app.control.purge()
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ostportal.settings.test",
            "CELERY_BROKER_URL": url,
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "EXPORTS_DIR": str(settings.EXPORTS_DIR),
        }
        processes.append(
            subprocess.Popen([sys.executable, str(HARNESS)], env=env, start_new_session=True)
        )

    yield start
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_job_past_its_time_limit_fails_with_a_message(case, administrator, workers, monkeypatch):
    jt = job_type(case.name)
    monkeypatch.setattr(jt, "time_limit", 3)  # what apply_async passes as the soft limit
    pk = case.make(administrator)
    workers(hold=60, time_limit=3)
    started = time.monotonic()
    assert send(case.name, pk)
    job = _wait_for(lambda: (j := _job(case, pk)).is_finished and j, 60)
    assert job and (job.status, job.error_message) == ("failed", english(jt.too_slow_message))
    assert time.monotonic() - started < 30
    assert temporary_leftovers() == []
