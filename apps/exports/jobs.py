"""The export job type: build one export file (the runner in apps/core/jobs does the rest)."""

from datetime import timedelta

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Attempt, JobFailed, JobType, register

from .base import exporter_class, write_export_file
from .models import ExportJob

EXPORT_UNKNOWN_KIND = _("This export does not exist.")
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


@register
class ResponsesExportJob(JobType):
    """Every exporter's file (responses, identifiers, ...): ExportJob.kind names the exporter."""

    name = "exports"
    model = ExportJob
    # Big exports may take longer than the site-wide limits (CELERY_TASK_SOFT_TIME_LIMIT).
    time_limit = 30 * 60
    failed_message = EXPORT_FAILED
    queue_down_message = EXPORT_QUEUE_DOWN
    too_slow_message = EXPORT_TOO_SLOW
    stalled_message = EXPORT_STALLED
    reset_on_claim = {"rows_written": 0}

    def keep_files_for(self) -> timedelta:
        # The data inventory says how long staff exports are kept.
        from apps.privacy.inventory import retention_days

        return timedelta(days=retention_days("staff-exports"))

    def build(self, job: ExportJob, attempt: Attempt) -> dict:
        exporter_cls = exporter_class(job.kind)
        if exporter_cls is None:
            raise JobFailed(EXPORT_UNKNOWN_KIND)
        exporter = exporter_cls()
        with translation.override("en"):
            total = exporter.count(job.options)

            def progress(rows: int) -> None:
                attempt.progress(rows * 100 // total if total else 99, rows_written=rows)

            with attempt.output(f"{job.kind}-{job.pk}.{job.extension}") as path:
                written = write_export_file(
                    exporter, job.options, job.format, path, on_progress=progress
                )
        return {"rows_written": written}
