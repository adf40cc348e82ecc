"""The shared fault suite of background jobs, in process (SQLite or PostgreSQL): every
registered job type (exports, proposal documents, announcement sends) goes through the same
faults. None stuck, none run twice, none lost; no temporary file outlives its attempt.

The same faults with real Celery workers killed with SIGKILL: tests/core/test_jobs_worker.py.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from apps.core.jobs import job_type, job_types, run, sweep
from apps.core.jobs.runner import Attempt, _folder, claim, english
from apps.core.jobs.tasks import job_run

from .jobs_cases import CASES, temporary_leftovers

pytestmark = pytest.mark.django_db

NAMES = sorted(CASES)


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.JOBS_STALE_SECONDS = 60


@pytest.fixture(params=NAMES)
def case(request, monkeypatch, db):
    case = CASES[request.param]()
    case.setup(monkeypatch)
    return case


def _job(case, pk):
    return job_type(case.name).model.objects.get(pk=pk)


def _hold(case, pk, *, token="dead-worker", seconds_silent=0, attempts=1, started_ago=None):
    """The job as a worker attempt left it: running, claimed, its heartbeat that old."""
    now = timezone.now()
    job_type(case.name).model.objects.filter(pk=pk).update(
        status="running",
        claimed_by=token,
        attempts=attempts,
        started_at=now - (started_ago or timedelta(seconds=seconds_silent)),
        heartbeat_at=now - timedelta(seconds=seconds_silent),
    )


def test_every_job_type_has_a_case():
    assert {jt.name for jt in job_types()} == set(CASES)


def test_a_dead_worker_is_taken_over_within_two_minutes_with_the_shipped_settings():
    """Heartbeat every 15 s, dead after 60 s of silence, sweep every 30 s: at most
    60 + 30 s after the last heartbeat the job is queued again (not a 10-15 min stale age)."""
    from ostportal.settings import base

    schedule = base.CELERY_BEAT_SCHEDULE["jobs-sweep"]
    assert schedule["task"] == "apps.core.jobs.tasks.jobs_sweep"
    assert schedule["schedule"] == base.JOBS_SWEEP_SECONDS
    assert base.JOBS_HEARTBEAT_SECONDS * 2 < base.JOBS_STALE_SECONDS
    assert base.JOBS_STALE_SECONDS + base.JOBS_SWEEP_SECONDS < 120


def test_runs_to_done(case, editor):
    pk = case.make(editor)
    assert run(case.name, pk) == "done"
    job = _job(case, pk)
    assert (job.status, job.progress, job.attempts, job.claimed_by) == ("done", 100, 1, "")
    assert job.started_at <= job.finished_at
    if case.has_file:
        assert job.expires_at > job.finished_at
    case.check_done(job)
    assert temporary_leftovers() == []


def test_claimed_twice_runs_once(case, editor, monkeypatch):
    jt = job_type(case.name)
    pk = case.make(editor)
    assert claim(jt, pk, "first")
    assert not claim(jt, pk, "second")  # a second worker gets nothing while the first lives
    assert _job(case, pk).claimed_by == "first"
    other = case.make(editor)
    calls = []
    real = jt.build
    monkeypatch.setattr(
        jt, "build", lambda job, attempt: calls.append(job.pk) or real(job, attempt)
    )
    assert run(case.name, other) == "done"
    assert run(case.name, other) == "skipped"  # a duplicate delivery of the task
    assert calls == [other]
    assert _job(case, other).attempts == 1
    case.check_done(_job(case, other))


def test_a_dead_workers_job_is_taken_over_by_heartbeat_age(case, editor):
    jt = job_type(case.name)
    pk = case.make(editor)
    _hold(case, pk, seconds_silent=20)
    assert sweep(jt) == {"requeued": 0, "failed": 0}  # alive: its heartbeat is 20 s old
    assert not claim(jt, pk, "another")
    assert _job(case, pk).claimed_by == "dead-worker"
    # Silent for a minute: dead. Started an hour ago (beat was down meanwhile): still taken
    # over, not failed for its time limit, which is for live attempts stuck in one step.
    _hold(case, pk, seconds_silent=61, started_ago=timedelta(hours=1))
    assert sweep(jt) == {"requeued": 1, "failed": 0}  # taken over (queued; eager: run now)
    job = _job(case, pk)
    assert (job.status, job.attempts) == ("done", 2)
    case.check_done(job)


def test_a_redelivered_task_takes_a_stale_job_over_itself(case, editor):
    pk = case.make(editor)
    _hold(case, pk, seconds_silent=61)
    assert run(case.name, pk) == "done"
    assert _job(case, pk).attempts == 2


def test_a_killed_attempts_temporary_folder_is_removed(case, editor):
    jt = job_type(case.name)
    pk = case.make(editor)
    _hold(case, pk, seconds_silent=120)
    folder = _folder(jt) / f".tmp-{jt.name}-{pk}-dead-worker"
    folder.mkdir(parents=True)
    (folder / "partial").write_bytes(b"")  # the 0-byte file a kill -9 leaves
    live = _folder(jt) / f".tmp-{jt.name}-{pk + 1000}-alive"
    live.mkdir()
    assert temporary_leftovers() != []
    sweep(jt)
    assert _job(case, pk).status == "done"
    assert not folder.exists()
    assert not live.exists()  # no attempt holds job pk+1000 either
    assert temporary_leftovers() == []


def test_a_taken_over_attempt_stops_and_writes_nothing(case, editor, monkeypatch):
    """Mid-run, another attempt takes the job (this worker was thought dead): at its next
    progress report this attempt stops; it leaves no file and does not touch the job."""
    model = job_type(case.name).model
    pk = case.make(editor)
    real = Attempt.progress

    def taken_over_now(self, percent, **fields):
        model.objects.filter(pk=self.job.pk).update(claimed_by="the-other-worker")
        return real(self, percent, **fields)

    monkeypatch.setattr(Attempt, "progress", taken_over_now)
    assert run(case.name, pk) == "superseded"
    job = _job(case, pk)
    assert (job.status, job.claimed_by, job.file_path) == ("running", "the-other-worker", "")
    assert job.progress == 0
    if case.has_file:
        assert list(Path(django_settings.EXPORTS_DIR).rglob("*.*")) == []
    assert temporary_leftovers() == []


def test_a_failure_says_so_and_leaves_no_temporary_file(case, editor, monkeypatch):
    jt = job_type(case.name)
    pk = case.make(editor)
    real = Attempt.progress

    def broken(self, percent, **fields):
        real(self, percent, **fields)
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(Attempt, "progress", broken)
    assert run(case.name, pk) == "failed"
    job = _job(case, pk)
    assert (job.status, job.error_message) == ("failed", english(jt.failed_message))
    assert "secret" not in job.message and job.finished_at is not None
    assert job.file_path == ""
    assert temporary_leftovers() == []


def test_a_failure_while_writing_removes_the_temporary_file(case, editor, monkeypatch):
    if not case.has_file:
        pytest.skip("this job type writes no file")
    pk = case.make(editor)
    real_output = Attempt.output
    seen = []

    from contextlib import contextmanager

    @contextmanager
    def output_then_crash(self, filename):
        with real_output(self, filename) as path:
            yield path
            seen.append(path)
            assert path.exists() and path.stat().st_size > 0  # written, not yet renamed
            raise OSError("disk full")

    monkeypatch.setattr(Attempt, "output", output_then_crash)
    assert run(case.name, pk) == "failed"
    assert seen and not seen[0].exists()
    assert temporary_leftovers() == []
    assert list(Path(django_settings.EXPORTS_DIR).rglob("*.*")) == []


def test_a_job_past_its_time_limit_fails_with_a_message(case, editor, monkeypatch):
    jt = job_type(case.name)
    pk = case.make(editor)
    monkeypatch.setattr(jt, "time_limit", 0)
    assert run(case.name, pk) == "failed"
    job = _job(case, pk)
    assert (job.status, job.error_message) == ("failed", english(jt.too_slow_message))
    assert temporary_leftovers() == []


def test_the_sweep_fails_a_job_running_past_its_time_limit(case, editor):
    """A worker stuck in one step keeps beating (its heartbeat thread lives): the time limit,
    not the heartbeat, ends it, with the message the user reads."""
    jt = job_type(case.name)
    pk = case.make(editor)
    _hold(case, pk, seconds_silent=1, started_ago=timedelta(seconds=jt.time_limit + 120))
    assert sweep(jt) == {"requeued": 0, "failed": 1}
    job = _job(case, pk)
    assert (job.status, job.error_message) == ("failed", english(jt.too_slow_message))


def test_a_job_is_given_up_after_its_attempts(case, editor):
    jt = job_type(case.name)
    pk = case.make(editor)
    _hold(case, pk, seconds_silent=600, attempts=jt.max_attempts)
    assert sweep(jt) == {"requeued": 0, "failed": 1}
    job = _job(case, pk)
    assert (job.status, job.error_message) == ("failed", english(jt.stalled_message))
    assert run(case.name, pk) == "skipped"


def test_broker_down_at_queue_time_keeps_the_job_and_the_sweep_sends_it(
    case, administrator, dead_broker, django_capture_on_commit_callbacks
):
    jt = job_type(case.name)
    with django_capture_on_commit_callbacks(execute=True):
        pk = case.request(administrator)  # the request itself succeeds
    job = _job(case, pk)
    assert (job.status, job.attempts) == ("pending", 0)
    assert job.error_message == english(jt.queue_down_message)
    # The broker is back (here: eager again); a minute later the sweep sends the job.
    job_run.app.conf.task_always_eager = True
    assert sweep(jt) == {"requeued": 0, "failed": 0}  # too recent
    jt.model.objects.filter(pk=pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert sweep(jt) == {"requeued": 1, "failed": 0}
    job = _job(case, pk)
    assert (job.status, job.error_message, job.attempts) == ("done", "", 1)
    case.check_done(job)


def test_the_status_view_reads_the_same_for_every_job(case, administrator):
    """Each type's page polls one status format (static/js/jobs.js)."""
    from django.test import Client
    from django.urls import reverse

    pk = case.make(administrator)
    run(case.name, pk)
    job = _job(case, pk)
    url = {
        "exports": lambda: reverse("exports:status", args=[pk]),
        "proposal_documents": lambda: reverse("proposals:export_status", args=[pk]),
        "announcements": lambda: reverse(
            "mailings:announcement_status", args=[job.announcement_id]
        ),
    }[case.name]()
    client = Client()
    client.force_login(administrator)
    reply = client.get(url)
    assert reply.status_code == 200
    assert "no-cache" in reply["Cache-Control"]
    data = reply.json()
    assert {"status", "status_label", "progress", "summary", "is_finished", "message"} <= set(data)
    assert (data["progress"], data["is_finished"]) == (100, True)
