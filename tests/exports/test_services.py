import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from apps.core import exporting as base
from apps.core.exceptions import ApplicationError
from apps.core.jobs.tasks import job_run
from apps.core.models import AuditEvent
from apps.exports import jobs as export_jobs
from apps.exports.models import ExportJob
from apps.exports.services import (
    EXPORT_FAILED,
    EXPORT_NOT_ALLOWED,
    EXPORT_QUEUE_DOWN,
    EXPORT_STALLED,
    export_files_remove_expired,
    export_job_request,
    export_job_run,
    export_jobs_requeue_stale,
)
from apps.surveys.exporters import ResponsesExporter

from .helpers import answered, read_zip

pytestmark = pytest.mark.django_db


def request(user, *, kind="responses", fmt="csv", options=None, capture) -> ExportJob:
    with capture(execute=True):
        job = export_job_request(kind=kind, format=fmt, options=options or {}, by=user)
    job.refresh_from_db()
    return job


def leftovers(settings) -> list[Path]:
    root = Path(settings.EXPORTS_DIR)
    return sorted(root.iterdir()) if root.exists() else []


def test_a_job_goes_from_pending_to_done(
    survey, administrator, settings, django_capture_on_commit_callbacks
):
    answered(survey)
    answered(survey)
    with django_capture_on_commit_callbacks() as callbacks:
        job = export_job_request(kind="responses", format="csv", options={}, by=administrator)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.progress, job.rows_written, job.attempts) == (100, 2, 1)
    assert job.started_at <= job.finished_at
    path = Path(settings.EXPORTS_DIR) / job.file_path
    assert path.suffix == ".zip"
    assert len(read_zip(path)["data.csv"]) == 2
    assert [p.name for p in leftovers(settings)] == [path.name]  # no temporary file left


def test_task_arguments_survive_json(
    administrator, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(job_run.app.conf, "task_always_eager", False)
    monkeypatch.setattr(job_run, "apply_async", lambda **kw: sent.append(kw["kwargs"]))
    job = request(administrator, capture=django_capture_on_commit_callbacks)
    assert sent == [{"name": "exports", "job_id": job.pk}]
    assert json.loads(json.dumps(sent[0])) == sent[0]
    assert json.loads(json.dumps(job.options)) == job.options


def test_options_keep_only_valid_filters(administrator, django_capture_on_commit_callbacks):
    job = request(
        administrator,
        options={"filters": {"state": "TX", "version": "nope", "colour": "red"}, "labels": 1},
        capture=django_capture_on_commit_callbacks,
    )
    assert job.options == {"filters": {"state": "TX"}, "labels": True}


def test_the_exporters_role_is_checked(editor, administrator, django_capture_on_commit_callbacks):
    with pytest.raises(ApplicationError) as refused:
        export_job_request(kind="contacts", format="csv", options={}, by=editor)
    assert refused.value.message == EXPORT_NOT_ALLOWED
    assert not ExportJob.objects.exists()
    with pytest.raises(ApplicationError):
        export_job_request(kind="nope", format="csv", options={}, by=administrator)
    with pytest.raises(ApplicationError):
        export_job_request(kind="responses", format="pdf", options={}, by=administrator)
    job = request(administrator, kind="contacts", capture=django_capture_on_commit_callbacks)
    assert job.includes_personal_data
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, object_id=str(job.pk), details__stage="requested"
    ).exists()


def test_a_failing_exporter_marks_the_job_failed_with_the_generic_message(
    survey, administrator, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    answered(survey)

    def broken(self, options):
        yield ["response_id"]
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(ResponsesExporter, "rows", broken)
    # On PostgreSQL the CSV writer reads csv_rows (the SQL path) instead of rows.
    monkeypatch.setattr(ResponsesExporter, "csv_rows", broken)
    job = request(administrator, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    assert job.error_message == str(EXPORT_FAILED)
    assert "secret" not in job.error_message
    assert "secret internal detail" in caplog.text  # logged for the developers
    assert job.file_path == ""
    assert leftovers(settings) == []


def test_a_job_claimed_twice_runs_once(survey, reviewer, monkeypatch):
    answered(survey)
    calls = []
    real = export_jobs.write_export_file
    monkeypatch.setattr(
        export_jobs, "write_export_file", lambda *a, **kw: calls.append(1) or real(*a, **kw)
    )
    job = ExportJob.objects.create(kind="responses", format="csv", requested_by=reviewer)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    done_file = job.file_path
    export_job_run(job_id=job.pk)  # duplicate delivery
    job.refresh_from_db()
    assert calls == [1]
    assert (job.status, job.attempts, job.file_path) == (ExportJob.Status.DONE, 1, done_file)
    running = ExportJob.objects.create(
        kind="responses", format="csv", requested_by=reviewer, status=ExportJob.Status.RUNNING
    )
    export_job_run(job_id=running.pk)  # another worker has it
    running.refresh_from_db()
    assert calls == [1]
    assert running.status == ExportJob.Status.RUNNING


def test_a_worker_whose_job_was_taken_away_stops(survey, reviewer, settings, monkeypatch):
    answered(survey)
    answered(survey)
    monkeypatch.setattr(base, "PROGRESS_EVERY", 1)
    job = ExportJob.objects.create(kind="responses", format="xlsx", requested_by=reviewer)
    real_rows = ResponsesExporter.rows

    def rows_then_swept(self, options):
        for n, row in enumerate(real_rows(self, options)):
            if n == 1:  # the sweep gave the job up while this worker was busy
                ExportJob.objects.filter(pk=job.pk).update(
                    status=ExportJob.Status.FAILED, error_message="swept"
                )
            yield row

    monkeypatch.setattr(ResponsesExporter, "rows", rows_then_swept)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_message, job.file_path) == ("failed", "swept", "")
    assert leftovers(settings) == []


@pytest.mark.parametrize(
    "error",
    [OperationalError("database is locked"), InterfaceError("connection already closed")],
)
def test_a_database_error_gives_the_job_back_for_a_retry(reviewer, monkeypatch, error):
    def down(self, options):
        raise error

    monkeypatch.setattr(ResponsesExporter, "count", down)
    job = ExportJob.objects.create(kind="responses", format="csv", requested_by=reviewer)
    with pytest.raises(type(error)):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.PENDING, 1)


def test_broker_outage_leaves_the_job_pending_with_a_clear_message(
    administrator, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise BrokerDown("connection refused")

    monkeypatch.setattr(job_run.app.conf, "task_always_eager", False)
    monkeypatch.setattr(job_run, "apply_async", refuse)
    job = request(administrator, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.PENDING
    assert job.message == str(EXPORT_QUEUE_DOWN)
    monkeypatch.undo()
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert export_jobs_requeue_stale() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.error_message) == (ExportJob.Status.DONE, "")


def test_a_recent_pending_job_is_left_alone(reviewer, monkeypatch):
    sent = []
    monkeypatch.setattr(job_run.app.conf, "task_always_eager", False)
    monkeypatch.setattr(job_run, "apply_async", lambda **kwargs: sent.append(kwargs))
    ExportJob.objects.create(kind="responses", format="csv", requested_by=reviewer)
    assert export_jobs_requeue_stale() == {"requeued": 0, "failed": 0}
    assert sent == []


def test_a_stale_running_job_is_queued_again(survey, reviewer, settings):
    # Judged by heartbeat age: a worker silent for JOBS_STALE_SECONDS (60 s) is dead.
    settings.JOBS_STALE_SECONDS = 60
    answered(survey)
    job = ExportJob.objects.create(
        kind="responses",
        format="csv",
        requested_by=reviewer,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=61),
    )
    fresh = ExportJob.objects.create(
        kind="responses",
        format="csv",
        requested_by=reviewer,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=20),
    )
    assert export_jobs_requeue_stale() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (job.status, job.attempts, job.rows_written) == (ExportJob.Status.DONE, 2, 1)
    assert fresh.status == ExportJob.Status.RUNNING


def test_a_stale_running_job_fails_after_three_attempts(reviewer):
    job = ExportJob.objects.create(
        kind="responses",
        format="csv",
        requested_by=reviewer,
        status=ExportJob.Status.RUNNING,
        attempts=3,
        heartbeat_at=timezone.now() - timedelta(minutes=30),
    )
    assert export_jobs_requeue_stale() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error_message == str(EXPORT_STALLED)
    assert job.finished_at is not None


def test_old_files_are_removed(survey, reviewer, settings):
    job = ExportJob.objects.create(kind="responses", format="csv", requested_by=reviewer)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    path = Path(settings.EXPORTS_DIR) / job.file_path
    assert path.exists()
    assert export_files_remove_expired() == 0
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(days=settings.EXPORTS_KEEP_DAYS + 1)
    )
    assert export_files_remove_expired() == 1
    job.refresh_from_db()
    assert job.file_path == ""
    assert not path.exists()


def test_an_excel_file_over_2_gb_fails_with_a_message_that_says_so(
    survey, reviewer, settings, monkeypatch
):
    """At 1,000,000 responses the sheet passed 2 GB before compression and XlsxWriter's
    FileSizeError reached the job as it was; the staff member is now told to choose CSV."""
    from xlsxwriter.exceptions import FileSizeError

    answered(survey)
    workbook = base._workbook_class()

    def too_large(self):
        # As XlsxWriter does when the file is too large: its last part file stays behind.
        (Path(self.tmpdir) / "tmp_part.xml").write_text("<sheetData/>")
        raise FileSizeError("Filesize would require ZIP64 extensions.")

    monkeypatch.setattr(workbook, "close", too_large)
    job = ExportJob.objects.create(kind="responses", format="xlsx", requested_by=reviewer)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error_message == str(base.EXPORT_TOO_LARGE_FOR_XLSX)
    assert "Choose CSV" in job.error_message
    assert leftovers(settings) == []
    # Outside a job (the benchmarks' write_export) the part left behind goes too.
    dest = Path(settings.EXPORTS_DIR) / "bench" / "responses.xlsx"
    with pytest.raises(base.ExportFailed):
        base.write_export(ResponsesExporter(), {}, "xlsx", dest)
    assert list(dest.parent.iterdir()) == []


def test_too_many_rows_for_excel_fails_with_a_message_that_says_so(
    survey, reviewer, settings, monkeypatch
):
    answered(survey)
    answered(survey)
    monkeypatch.setattr(base, "XLSX_MAX_ROWS", 2)  # the header and one response
    job = ExportJob.objects.create(kind="responses", format="xlsx", requested_by=reviewer)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error_message == str(base.EXPORT_TOO_MANY_ROWS_FOR_XLSX)
    assert leftovers(settings) == []
