from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class ExportJob(TimeStampedModel):
    """One requested export file: built by a Celery task, downloaded from the job page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (zipped, with codebook)")
        XLSX = "xlsx", _("Excel workbook (.xlsx)")

    kind = models.CharField(_("export"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # JSON-safe only: {"filters": filter_params(...), "labels": bool}.
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # Relative to settings.EXPORTS_DIR, which is outside MEDIA_ROOT and STATIC_ROOT: files are
    # served only through the download view, which checks who asks.
    file_path = models.CharField(_("file"), max_length=255, blank=True)
    # Safe to show: a failure's generic text, or a notice while the job waits (queue down).
    error_message = models.CharField(_("message"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    includes_personal_data = models.BooleanField(_("includes personal data"), default=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["requested_by", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_max_100"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                name="export_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(format__in=["csv", "xlsx"]), name="export_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} {self.kind}.{self.format} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def kind_label(self) -> str:
        from .base import exporter_class

        exporter = exporter_class(self.kind)
        return exporter.verbose_name if exporter else self.kind

    @property
    def message(self) -> str:
        """The stored message (English source text) in the reader's language."""
        return gettext(self.error_message) if self.error_message else ""

    @property
    def extension(self) -> str:
        """Extension of the download: CSV exports are a zip (data plus codebook)."""
        return "zip" if self.format == self.Format.CSV else "xlsx"

    @property
    def content_type(self) -> str:
        if self.format == self.Format.CSV:
            return "application/zip"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.pk}-{self.created_at:%Y%m%d}.{self.extension}"
