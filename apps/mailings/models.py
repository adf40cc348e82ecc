"""Email updates: subscribers (double opt-in), the emails sent to them, announcements and the
per-recipient delivery rows that make a batch send resumable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.jobs.models import BackgroundJob
from apps.core.models import BilingualMixin, TimeStampedModel

from .parsing import parse_reminder_days

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]


class Topic(models.TextChoices):
    SURVEY_NEWS = "survey_news", _("Survey news")
    COMMENT_WINDOW = "comment_window", _("Federal comment window")
    PROPOSAL_DRAFTS = "proposal_drafts", _("Proposal drafts")


# Topic -> the Subscriber field that says the person wants it.
TOPIC_FIELDS = {
    Topic.SURVEY_NEWS: "wants_survey_news",
    Topic.COMMENT_WINDOW: "wants_comment_window",
    Topic.PROPOSAL_DRAFTS: "wants_proposal_drafts",
}


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def for_topic(self, topic: str):
        return self.confirmed().filter(**{TOPIC_FIELDS[Topic(topic)]: True})


class Subscriber(TimeStampedModel):
    """One email address on the updates list. Receives nothing until it is confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    # Stored normalized (trimmed, lower case), so one address is one row.
    email = models.EmailField(_("email"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    wants_survey_news = models.BooleanField(_("survey news"), default=False)
    wants_comment_window = models.BooleanField(_("federal comment window"), default=False)
    wants_proposal_drafts = models.BooleanField(_("proposal drafts"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # Random and private: part of every signed link, so changing it voids the old links.
    key = models.CharField(_("link key"), max_length=32)
    consent_at = models.DateTimeField(
        _("consent given"), null=True, blank=True, help_text=_("When the address was confirmed.")
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status", "wants_comment_window"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_lower"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "unsubscribed"]),
                name="subscriber_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(consent_at__isnull=False),
                name="subscriber_confirmed_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def topics(self) -> list[str]:
        return [topic for topic, field in TOPIC_FIELDS.items() if getattr(self, field)]

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(topic).label) for topic in self.topics]


class SignupEmail(TimeStampedModel):
    """One email sent because someone used the sign-up form: a confirmation link, or (for an
    address already confirmed) a link to its preferences. Kept so sends can be throttled and
    so the periodic sweep sends those whose first attempt never ran."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirmation link")
        MANAGE = "manage", _("Link to preferences")
        PLEDGE = "pledge", _("Pledge confirmation link")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-up email")
        verbose_name_plural = _("sign-up emails")
        indexes = [models.Index(fields=["subscriber", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class MailingSettings(TimeStampedModel):
    """Editor-editable settings for email updates; a single row."""

    reminder_days = models.CharField(
        _("reminder days"),
        max_length=40,
        default="7,1",
        help_text=_(
            "How many days before a comment window closes to remind subscribers, separated by "
            "commas, for example 7,1. Leave empty to send no reminders."
        ),
    )
    blocked_domains = models.TextField(
        _("more disposable email domains"),
        blank=True,
        help_text=_(
            "Sign-ups from these domains are refused, in addition to the built-in list. "
            "One per line or separated by commas, for example mailinator.com."
        ),
    )

    class Meta:
        verbose_name = _("email update settings")
        verbose_name_plural = _("email update settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="mailing_settings_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Email update settings"))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            parse_reminder_days(self.reminder_days, strict=True)
        except ValueError as exc:
            raise ValidationError(
                {"reminder_days": _("Write whole numbers of days from 0 to 60, like 7,1.")}
            ) from exc

    @classmethod
    def load(cls) -> "MailingSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Announcement(BilingualMixin, TimeStampedModel):
    """An email to one topic's confirmed subscribers, written in English and Spanish."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Written by staff")
        REMINDER = "reminder", _("Comment deadline reminder")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MANUAL)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=150)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=150)
    body_en = models.TextField(_("message (English, Markdown)"), max_length=20000)
    body_es = models.TextField(_("message (Spanish, Markdown)"), max_length=20000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The last time a worker did something for this send; the resume sweep looks at it.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sending", "sent"]),
                name="announcement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=[t.value for t in Topic]), name="announcement_topic_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.subject_en

    def get_absolute_url(self) -> str:
        return reverse("mailings:announcement_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Delivery(models.Model):
    """One announcement to one subscriber. Claimed before it is sent, so no one gets two.

    pending -> claimed (a worker took it in a batch) -> sending (the SMTP call is under way)
    -> sent or failed. A claim left behind by a dead worker goes back to pending (it was
    never handed to the mail server); a row left in `sending` becomes `unknown` and is not
    sent again: the server may or may not have accepted it (at most once).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("In a batch")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown (worker stopped while sending)")
        SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["announcement", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "subscriber"], name="delivery_once_per_subscriber"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending",
                        "claimed",
                        "sending",
                        "sent",
                        "failed",
                        "unknown",
                        "skipped",
                    ]
                ),
                name="delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.subscriber_id} ({self.status})"


class AnnouncementSend(BackgroundJob):
    """One run of an announcement's sending as a background job (apps/core/jobs): the first
    send, or a resend of the deliveries whose outcome was unknown. The runner claims it,
    keeps its heartbeat and takes it over when its worker dies; each attempt first recovers
    the deliveries an earlier attempt left (see AnnouncementSendJob.on_claim)."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="sends",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_resend = models.BooleanField(_("resend of unknown deliveries"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement send")
        verbose_name_plural = _("announcement sends")
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"Send {self.pk} of announcement {self.announcement_id} ({self.status})"


class Reminder(TimeStampedModel):
    """A comment-deadline reminder for one notice and one offset (days before closing).

    The unique pair is what makes each reminder go out once, however often the beat runs.
    """

    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="mailing_reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before closing"))
    announcement = models.OneToOneField(
        Announcement,
        verbose_name=_("announcement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminder",
    )
    # A later, shorter reminder was due at the same time; this one was not sent.
    is_skipped = models.BooleanField(_("skipped"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "days_before"], name="reminder_once_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} −{self.days_before}d"
