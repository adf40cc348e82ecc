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


class Pledge(TimeStampedModel):
    """A promise to comment when a comment window opens. The address lives on the updates
    list's Subscriber (contact details apart); here only the role and state that are counted.
    Confirmed through the updates list's double opt-in: a signed link emailed to the address.
    """

    subscriber = models.OneToOneField(
        "mailings.Subscriber",
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="pledge",
    )
    role = models.CharField(_("role"), max_length=50, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, choices=US_STATES)
    language = models.CharField(_("language"), max_length=5, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge to comment")
        verbose_name_plural = _("pledges to comment")
        indexes = [models.Index(fields=["confirmed_at"], name="comments_pledge_confirmed")]

    def __str__(self) -> str:
        return f"pledge {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PledgeReminder(TimeStampedModel):
    """One reminder email to one pledge about one notice: the unique triple is what makes
    each reminder go out once, however often the beat runs."""

    class Kind(models.TextChoices):
        OPENS = "opens", _("The window opened")
        CLOSING = "closing", _("The window closes soon")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders")
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pledge reminder")
        verbose_name_plural = _("pledge reminders")
        indexes = [models.Index(fields=["status"], name="comments_pledge_rem_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "notice", "kind"], name="pledge_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.notice_id} {self.kind} ({self.status})"
