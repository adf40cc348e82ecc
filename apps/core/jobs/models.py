"""The abstract background job: every job type's model inherits its lifecycle fields."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class BackgroundJob(TimeStampedModel):
    """pending -> running (claimed by one worker attempt) -> done or failed.

    A running job whose heartbeat is older than JOBS_STALE_SECONDS belongs to a dead worker:
    the sweep (or the next delivery of its task) takes it over as a new attempt. Every write of
    an attempt names its `claimed_by`, so an attempt that was taken over writes nothing more.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Relative to settings.EXPORTS_DIR (outside MEDIA_ROOT and STATIC_ROOT): files are served
    # only through the job type's download view, which checks who asks.
    file_path = models.CharField(_("file"), max_length=255, blank=True)
    # Safe to show: a failure's message, or a notice while the job waits (queue down). Stored
    # as its English source text and translated when shown (`message`).
    error_message = models.CharField(_("message"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The worker attempt that holds the job ("host-pid-random"); empty when none does.
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    # When the file is deleted (set when the job is done).
    expires_at = models.DateTimeField(_("file expires"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def message(self) -> str:
        """The stored message (English source text) in the reader's language."""
        return gettext(self.error_message) if self.error_message else ""
