from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import BilingualMixin, TimeStampedModel

SOC_CODE_VALIDATOR = RegexValidator(r"^\d{2}-\d{4}$", _("Use the form 12-3456."))


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(BilingualMixin, TimeStampedModel):
    """A public information page; editors change its text in both languages in the admin."""

    class Block(models.TextChoices):
        NONE = "none", _("Text only")
        CROSSWALK = "crosswalk", _("Table of existing occupation codes")
        TIMELINE = "timeline", _("Timeline milestones")
        WORKGROUP = "workgroup", _("Workgroup organizations")
        FAQ = "faq", _("Frequently asked questions")
        GLOSSARY = "glossary", _("Glossary")
        CONTACT = "contact", _("Contact form")
        PRIVACY = "privacy", _("What personal data we keep (from the data inventory)")

    class NavGroup(models.TextChoices):
        NONE = "none", _("Not in the menu")
        MAIN = "main", _("Main menu")
        LEARN = "learn", _("'Learn' menu")

    slug = models.SlugField(_("address"), unique=True, help_text=_("Part of the page URL."))
    nav_group = models.CharField(
        _("menu"), max_length=10, choices=NavGroup.choices, default=NavGroup.LEARN
    )
    nav_order = models.PositiveIntegerField(_("menu order"), default=100)
    block = models.CharField(
        _("structured content"),
        max_length=20,
        choices=Block.choices,
        default=Block.NONE,
        help_text=_("Shown below the page text; edited in its own section of the admin."),
    )
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_es = models.CharField(_("title (Spanish)"), max_length=120, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=500, blank=True)
    summary_es = models.CharField(_("summary (Spanish)"), max_length=500, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    body_es = models.TextField(_("text (Spanish, Markdown)"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["nav_order", "slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        if self.slug == "home":
            return reverse("pages:home")
        if self.block == self.Block.CONTACT:
            return reverse("pages:contact")
        return reverse("pages:detail", kwargs={"slug": self.slug})


class FAQEntry(BilingualMixin, TimeStampedModel):
    key = models.SlugField(_("key"), unique=True, help_text=_("A stable name for this entry."))
    order = models.PositiveIntegerField(_("order"), default=100)
    question_en = models.CharField(_("question (English)"), max_length=300)
    question_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    answer_en = models.TextField(_("answer (English, Markdown)"))
    answer_es = models.TextField(_("answer (Spanish, Markdown)"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question_en


class GlossaryTerm(BilingualMixin, TimeStampedModel):
    key = models.SlugField(_("key"), unique=True)
    term_en = models.CharField(_("term (English)"), max_length=120)
    term_es = models.CharField(_("term (Spanish)"), max_length=120, blank=True)
    definition_en = models.TextField(_("definition (English, Markdown)"))
    definition_es = models.TextField(_("definition (Spanish, Markdown)"), blank=True)

    class Meta:
        ordering = ["term_en"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self) -> str:
        return self.term_en


class Milestone(BilingualMixin, TimeStampedModel):
    """One step of the 2028 SOC revision. Its status comes from its dates, never from a flag:
    done once its end date has passed, in progress from its start until its end (or until an
    end is known), upcoming before its start or while no date is known. A one-day event has
    the same start and end date."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        IN_PROGRESS = "in_progress", _("In progress")
        UPCOMING = "upcoming", _("Upcoming")

    key = models.SlugField(_("key"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    starts_on = models.DateField(
        _("starts on"), null=True, blank=True, help_text=_("Leave empty while not announced.")
    )
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("For a one-day event, the same as the start. Empty while not known."),
    )
    date_label_en = models.CharField(_("date as shown (English)"), max_length=80)
    date_label_es = models.CharField(_("date as shown (Spanish)"), max_length=80, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    description_es = models.TextField(_("description (Spanish, Markdown)"), blank=True)
    is_provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Not yet confirmed by an official text.")
    )
    provisional_reason_en = models.CharField(
        _("why it is provisional (English)"),
        max_length=300,
        blank=True,
        help_text=_("Shown next to the badge; required when the milestone is provisional."),
    )
    provisional_reason_es = models.CharField(
        _("why it is provisional (Spanish)"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("timeline milestone")
        verbose_name_plural = _("timeline milestones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="milestone_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date must not be before the start.")
        if self.is_provisional and not self.provisional_reason_en.strip():
            errors["provisional_reason_en"] = _("Say why this milestone is still provisional.")
        if errors:
            raise ValidationError(errors)

    def status_on(self, today: date) -> str:
        if self.starts_on is None and self.ends_on is None:
            return self.Status.UPCOMING
        if self.ends_on is not None and self.ends_on < today:
            return self.Status.DONE
        if self.starts_on is not None and self.starts_on > today:
            return self.Status.UPCOMING
        if self.starts_on is None:  # only a deadline is known, and it has not passed
            return self.Status.UPCOMING
        return self.Status.IN_PROGRESS

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class Organization(BilingualMixin, TimeStampedModel):
    """A member organization of the national workgroup."""

    key = models.SlugField(_("key"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"), blank=True)
    role_en = models.CharField(_("role in the workgroup (English)"), max_length=300, blank=True)
    role_es = models.CharField(_("role in the workgroup (Spanish)"), max_length=300, blank=True)
    is_lead = models.BooleanField(_("co-lead"), default=False)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-is_lead", "order", "name"]
        verbose_name = _("workgroup organization")
        verbose_name_plural = _("workgroup organizations")

    def __str__(self) -> str:
        return self.name


class Occupation(BilingualMixin, TimeStampedModel):
    """An existing occupation code where OST workers are counted today (the crosswalk)."""

    code = models.CharField(_("code"), max_length=7, validators=[SOC_CODE_VALIDATOR])
    soc_edition = models.PositiveSmallIntegerField(_("SOC edition"), default=2018)
    is_soc_code = models.BooleanField(
        _("is an SOC code"), default=True, help_text=_("Untick for OEWS-only combinations.")
    )
    order = models.PositiveIntegerField(_("order"), default=100)
    title_en = models.CharField(_("official title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    definition_en = models.TextField(_("what the code covers (English)"))
    definition_es = models.TextField(_("what the code covers (Spanish)"), blank=True)
    ost_roles_en = models.CharField(
        _("OST roles counted here (English)"), max_length=300, blank=True
    )
    ost_roles_es = models.CharField(
        _("OST roles counted here (Spanish)"), max_length=300, blank=True
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_es = models.CharField(_("note (Spanish)"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("existing occupation code")
        verbose_name_plural = _("existing occupation codes")
        constraints = [
            models.UniqueConstraint(fields=["code", "soc_edition"], name="occupation_code_edition"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}-[0-9]{4}$"), name="occupation_code_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


def validate_email_list(value: str) -> None:
    for address in split_email_list(value):
        validate_email(address)


def split_email_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


# apps.pages.selectors.updates_signup_enabled caches the sign-up switch under this key; a save
# clears it (kept here, not in selectors, so the model does not import its selectors back).
SIGNUP_CACHE_KEY = "pages:signup-enabled"


def site_settings_cache_clear() -> None:
    cache.delete(SIGNUP_CACHE_KEY)


class SiteSettings(TimeStampedModel):
    """Staff-editable settings; a single row."""

    contact_recipients = models.TextField(
        _("contact form recipients"),
        blank=True,
        validators=[validate_email_list],
        help_text=_(
            "Email addresses that receive contact-form messages, separated by commas. "
            "When empty, the CONTACT_EMAIL_RECIPIENTS setting is used."
        ),
    )

    updates_signup_enabled = models.BooleanField(
        _("email sign-up open"),
        default=True,
        help_text=_(
            "Untick to pause sign-up for email updates; the pages then say it is paused "
            "and show no sign-up form."
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_settings_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        site_settings_cache_clear()

    @classmethod
    def load(cls) -> "SiteSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class ContactMessage(TimeStampedModel):
    """A message from the public contact form; kept even when email delivery fails."""

    class Topic(models.TextChoices):
        GENERAL = "general", _("A general question")
        PARTNER = "partner", _("Partnering or joining the workgroup")
        SURVEY = "survey", _("The practitioner survey")
        MEDIA = "media", _("Media or press")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be emailed")
        SENDING = "sending", _("Being emailed")
        SENT = "sent", _("Emailed to staff")

    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return (
            f"{self.get_topic_display()} ({self.created_at:%Y-%m-%d})" if self.created_at else "—"
        )
