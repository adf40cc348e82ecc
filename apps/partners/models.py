"""Partner organizations, their people, their links, their API token; the public-results switch.

A partner sees figures only for its own links (collectors), always through the insights
selectors, so the disclosure control staff views apply reaches partners too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class Partner(TimeStampedModel):
    """A partner organization: one or more people, one or more links."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    target_responses = models.PositiveIntegerField(
        _("target number of responses"),
        default=0,
        help_text=_("Staff set how many complete responses this partner aims to bring in."),
    )
    is_suspended = models.BooleanField(_("suspended"), default=False)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class PartnerMember(TimeStampedModel):
    """A person who signs in for a partner. Each account belongs to one partner."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class PartnerLink(TimeStampedModel):
    """A survey link (collector) that belongs to a partner: set up by staff or by the partner."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        SITE = "site", _("Program site")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links")
    # One partner per link: a link's figures are never shown to two partners.
    collector = models.OneToOneField(
        "surveys.Collector", on_delete=models.CASCADE, related_name="partner_link"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")

    def __str__(self) -> str:
        return f"{self.partner}: {self.collector}"

    @property
    def has_ended(self) -> bool:
        return self.ends_on is not None and self.ends_on < timezone.localdate()


class Invitation(TimeStampedModel):
    """An emailed invitation to become a partner user. The link in the email is signed and
    expires; the row records who was invited, by whom and when it was used."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.partner})"


class ApiToken(TimeStampedModel):
    """A partner's token for the aggregate API. Only a SHA-256 hash of it is stored; the
    token itself is shown once when it is made."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a partner can tell which token a log line is about.
    prefix = models.CharField(_("starts with"), max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # One token per partner: a new one revokes the old.
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(revoked_at__isnull=True),
                name="partners_one_live_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.prefix}…"


class ResultsPublication(models.Model):
    """One row: whether the public results page and API figures are published."""

    is_published = models.BooleanField(_("results are public"), default=False)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("results publication")
        verbose_name_plural = _("results publication")

    def __str__(self) -> str:
        return "published" if self.is_published else "not published"
