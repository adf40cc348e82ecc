"""The proposal to the SOC Policy Committee: sections with evidence, frozen versions, public
comments on a published version, and document exports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.jobs.models import BackgroundJob
from apps.core.models import BilingualMixin, TimeStampedModel
from apps.surveys.scales import US_STATES

# A section's text may not be longer than this (characters of Markdown).
SECTION_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000


class Proposal(BilingualMixin, TimeStampedModel):
    """The proposal document: its title and the notice it answers (editable data, never code)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    notice_citation = models.CharField(
        _("Federal Register notice citation"),
        max_length=300,
        blank=True,
        help_text=_("The notice the proposal answers, as it should appear on the title page."),
    )
    docket_id = models.CharField(_("docket ID"), max_length=100, blank=True)
    submitter = models.CharField(
        _("submitted by"),
        max_length=300,
        blank=True,
        help_text=_("The submitting organization or coalition, as shown on the title page."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title_en


class ProposalSection(BilingualMixin, TimeStampedModel):
    """One section of the proposal; `revision` grows on every save (optimistic locking)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading_en = models.CharField(_("heading (English)"), max_length=200)
    heading_es = models.CharField(_("heading (Spanish)"), max_length=200, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_es = models.TextField(_("guidance (Spanish)"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True, max_length=SECTION_MAX_LENGTH)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "order", "pk"]
        verbose_name = _("proposal section")
        verbose_name_plural = _("proposal sections")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "key"], name="proposal_section_key_unique")
        ]

    def __str__(self) -> str:
        return self.heading_en

    def get_absolute_url(self) -> str:
        return reverse("proposals:section", kwargs={"key": self.key})


class EvidenceBlock(TimeStampedModel):
    """Figures from the dashboards' selectors inserted into a section, with the filters used.

    `snapshot` holds the rendered (already suppressed) figures; `fingerprint` is its hash,
    compared with a fresh one to tell whether the data changed since."""

    class Kind(models.TextChoices):
        TASKS = "tasks", _("Task ratings (core and supplemental)")
        JOB_TITLES = "job_titles", _("Top canonical job titles")
        CROSSWALK = "crosswalk", _("Crosswalk to existing occupations")
        PROFILE = "profile", _("Workforce profile facts")
        OVERVIEW = "overview", _("Response counts")
        QUOTES = "quotes", _("Quotes from open answers")

    section = models.ForeignKey(
        ProposalSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="blocks"
    )
    kind = models.CharField(_("evidence"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # filter_params(...) output: JSON-safe ids, slugs and ISO dates.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    snapshot = models.JSONField(_("figures"), default=dict, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    # Cheap summary of the data the snapshot was taken from (see evidence.data_stamp).
    data_stamp = models.CharField(_("data stamp"), max_length=64, blank=True)
    refreshed_at = models.DateTimeField(_("figures taken"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("evidence block")
        verbose_name_plural = _("evidence blocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["tasks", "job_titles", "crosswalk", "profile", "overview", "quotes"]
                ),
                name="evidence_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.section.key}: {self.kind}"


class ProposalVersion(models.Model):
    """A frozen copy of the whole proposal: text and evidence figures, with who and when."""

    class Status(models.TextChoices):
        SAVED = "saved", _("Saved")
        PUBLISHED = "published", _("Published for comment")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # {"title": ..., "sections": [{"key", "heading_en", "heading_es", "body", "blocks": [...]}],
    #  "methods": {...}}: nothing here changes after saving.
    content = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SAVED
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "-number"]
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["saved", "published", "withdrawn"]),
                name="proposal_version_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Version %(n)s") % {"n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("proposals:version", kwargs={"number": self.number})

    def get_public_url(self) -> str:
        return reverse("proposals:public_version", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def sections(self) -> list[dict]:
        return self.content.get("sections", [])


class ProposalComment(TimeStampedModel):
    """A comment from the field on one section of a published version; shown once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    class CommenterRole(models.TextChoices):
        FRONTLINE = "frontline", _("Frontline youth worker")
        SITE_LEAD = "site_lead", _("Site or program coordinator")
        DIRECTOR = "director", _("Director or manager")
        TRAINER = "trainer", _("Trainer, coach or intermediary")
        RESEARCHER = "researcher", _("Researcher or policy analyst")
        FUNDER = "funder", _("Funder or public agency")
        PARENT = "parent", _("Parent or community member")
        OTHER = "other", _("Other")

    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    section_key = models.SlugField(_("section"), max_length=50)
    name = models.CharField(_("name"), max_length=120, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=CommenterRole.choices)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=12, choices=Disposition.choices, blank=True
    )
    disposition_reason = models.TextField(_("response"), max_length=2000, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposed_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on the proposal")
        verbose_name_plural = _("comments on the proposal")
        indexes = [models.Index(fields=["version", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="proposal_comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(disposition__in=["", "adopted", "partly", "not_adopted"]),
                name="proposal_comment_disposition_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_key} #{self.pk}"

    @property
    def section_heading(self) -> str:
        """The section's heading in the active language, as the commented version has it
        (the key when the version holds no such section)."""
        lang = (translation.get_language() or "en")[:2]
        for section in self.version.sections:
            if section.get("key") == self.section_key:
                return (
                    section.get(f"heading_{lang}") or section.get("heading_en") or self.section_key
                )
        return self.section_key


class ProposalExport(BackgroundJob):
    """A DOCX or PDF of one version, built by the job runner (apps/core/jobs)."""

    class Format(models.TextChoices):
        DOCX = "docx", _("Word document (.docx)")
        PDF = "pdf", _("PDF")

    version = models.ForeignKey(
        ProposalVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    sections_written = models.PositiveIntegerField(_("sections written"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal export")
        verbose_name_plural = _("proposal exports")
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="proposal_export_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                name="proposal_export_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(format__in=["docx", "pdf"]), name="proposal_export_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal export {self.pk} v{self.version_id}.{self.format}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:export", kwargs={"pk": self.pk})

    @property
    def content_type(self) -> str:
        if self.format == self.Format.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @property
    def download_name(self) -> str:
        return f"soc-proposal-v{self.version.number}-{self.created_at:%Y%m%d}.{self.format}"
