from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.jobs.models import BackgroundJob


class ExportJob(BackgroundJob):
    """One requested export file: built by the job runner (apps/core/jobs), downloaded from
    the job page. Status, progress, heartbeat, attempts and the file come from BackgroundJob."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (zipped, with codebook)")
        XLSX = "xlsx", _("Excel workbook (.xlsx)")

    kind = models.CharField(_("export"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # JSON-safe only: {"filters": filter_params(...), "labels": bool}.
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    includes_personal_data = models.BooleanField(_("includes personal data"), default=False)

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
    def kind_label(self) -> str:
        from .base import exporter_class

        exporter = exporter_class(self.kind)
        return exporter.verbose_name if exporter else self.kind

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
