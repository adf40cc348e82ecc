import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.surveys.scales import US_STATES


class DraftFingerprint(TimeStampedModel):
    """The MinHash signature of one browser's comment draft: no text, no author, no link to
    any person. Kept so later drafts can be told they are nearly identical to earlier ones."""

    # Random; the draft page carries it signed, so repeated checks update this one row.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        "notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    signature = models.JSONField(_("signature"), default=list, blank=True)

    class Meta:
        verbose_name = _("draft fingerprint")
        verbose_name_plural = _("draft fingerprints")

    def __str__(self) -> str:
        return f"fingerprint {self.pk}"


class DraftBand(models.Model):
    """One locality-sensitive-hashing band of a fingerprint, indexed for candidate lookup."""

    fingerprint = models.ForeignKey(
        DraftFingerprint, on_delete=models.CASCADE, related_name="bands"
    )
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "value"], name="comments_band_lookup")]

    def __str__(self) -> str:
        return f"{self.band}:{self.value}"


class SubmissionRecord(TimeStampedModel):
    """Someone told us they submitted a comment: only their role and state are counted."""

    notice = models.ForeignKey(
        "notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role"), max_length=50, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, choices=US_STATES)
    # A keyed hash of the tracking number, only to count each submitted comment once.
    tracking_hash = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("submitted comment")
        verbose_name_plural = _("submitted comments")
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_hash"],
                condition=~models.Q(tracking_hash=""),
                name="submission_tracking_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role or '-'} {self.state or '-'} {self.created_at:%Y-%m-%d}"
