from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BilingualMixin, TimeStampedModel

# Federal Register comment deadlines are stated in Eastern Time.
EASTERN = ZoneInfo("America/New_York")
# regulations.gov's comment box takes about 5,000 characters.
DEFAULT_COMMENT_CHAR_LIMIT = 5000


class NoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Notice(BilingualMixin, TimeStampedModel):
    """A Federal Register notice of the SOC revision and its public comment window."""

    title_en = models.CharField(_("short title (English)"), max_length=200)
    title_es = models.CharField(_("short title (Spanish)"), max_length=200, blank=True)
    citation = models.CharField(
        _("citation"), max_length=60, help_text=_("As printed, for example 89 FR 49911.")
    )
    document_number = models.CharField(
        _("FR document number"), max_length=40, blank=True, help_text=_("For example 2024-12825.")
    )
    docket_id = models.CharField(
        _("docket ID"), max_length=60, blank=True, help_text=_("For example BLS-2024-0001.")
    )
    document_url = models.URLField(_("link to the notice"), blank=True)
    opens_at = models.DateTimeField(
        _("comment window opens"),
        help_text=_("Date and time in Eastern Time (New York), as stated in the notice."),
    )
    closes_at = models.DateTimeField(
        _("comment window closes"),
        help_text=_(
            "The moment comments stop being accepted, in Eastern Time (New York). "
            "For a deadline of 11:59 p.m. enter 23:59."
        ),
    )
    submission_url = models.URLField(
        _("where to submit"),
        blank=True,
        help_text=_("For example the docket's comment page on regulations.gov."),
    )
    how_to_submit_en = models.TextField(_("how to submit (English, Markdown)"), blank=True)
    how_to_submit_es = models.TextField(_("how to submit (Spanish, Markdown)"), blank=True)
    required_header = models.CharField(
        _("required header"),
        max_length=300,
        blank=True,
        help_text=_("Text the notice asks commenters to put at the top, such as the docket ID."),
    )
    summary_en = models.TextField(_("plain-language summary (English, Markdown)"), blank=True)
    summary_es = models.TextField(_("plain-language summary (Spanish, Markdown)"), blank=True)
    comment_char_limit = models.PositiveIntegerField(
        _("comment character limit"),
        default=DEFAULT_COMMENT_CHAR_LIMIT,
        validators=[MinValueValidator(100), MaxValueValidator(100000)],
        help_text=_("How many characters the submission form's comment box accepts."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("Federal Register notice")
        verbose_name_plural = _("Federal Register notices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="notice_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return f"{self.citation} {self.title_en}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notices:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The window must close after it opens.")})


class ToolkitItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class ToolkitItem(BilingualMixin, TimeStampedModel):
    """Shared fields of the toolkit's editable pieces: a stable key, an order, a flag."""

    key = models.SlugField(_("key"), unique=True, help_text=_("A stable name for this entry."))
    order = models.PositiveIntegerField(_("order"), default=100)
    is_published = models.BooleanField(_("published"), default=True)

    objects = ToolkitItemQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.key


class ToolkitSection(ToolkitItem):
    """A titled section of the comment toolkit page (how commenting works, the checklist...)."""

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"))
    body_es = models.TextField(_("text (Spanish, Markdown)"), blank=True)

    class Meta(ToolkitItem.Meta):
        verbose_name = _("toolkit section")
        verbose_name_plural = _("toolkit sections")

    def __str__(self) -> str:
        return self.title_en


class TalkingPoint(ToolkitItem):
    """One point a commenter may make; the comment builder offers these as options."""

    title_en = models.CharField(_("short label (English)"), max_length=200)
    title_es = models.CharField(_("short label (Spanish)"), max_length=200, blank=True)
    text_en = models.TextField(_("sentence for the comment (English)"), max_length=1000)
    text_es = models.TextField(_("sentence for the comment (Spanish)"), max_length=1000, blank=True)

    class Meta(ToolkitItem.Meta):
        verbose_name = _("talking point")
        verbose_name_plural = _("talking points")

    def __str__(self) -> str:
        return self.title_en


class SampleComment(ToolkitItem):
    """An example comment written from one role's point of view."""

    role_en = models.CharField(_("written as (English)"), max_length=200)
    role_es = models.CharField(_("written as (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("comment (English)"), max_length=5000)
    body_es = models.TextField(_("comment (Spanish)"), max_length=5000, blank=True)

    class Meta(ToolkitItem.Meta):
        verbose_name = _("sample comment")
        verbose_name_plural = _("sample comments")

    def __str__(self) -> str:
        return self.role_en


class SocialPost(ToolkitItem):
    """A short post people can copy to social media."""

    text_en = models.CharField(_("post (English)"), max_length=500)
    text_es = models.CharField(_("post (Spanish)"), max_length=500, blank=True)

    class Meta(ToolkitItem.Meta):
        verbose_name = _("social media post")
        verbose_name_plural = _("social media posts")

    def __str__(self) -> str:
        return self.text_en[:60]
