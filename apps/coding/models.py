"""Qualitative coding of open answers: a codebook, reviewers' code applications, quotes.

A code application belongs to the reviewer who made it, so two reviewers can code the same
answers independently and their agreement can be measured. A span is a pair of character
offsets (Python code points) into the answer's text; no span means the whole answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.core.models import BilingualMixin, TimeStampedModel

CODE_NAME_MAX = 80
NOTE_MAX = 1000


class Code(BilingualMixin, TimeStampedModel):
    """One code of the codebook; a code may sit under a top-level code (one level only)."""

    name_en = models.CharField(_("name (English)"), max_length=CODE_NAME_MAX)
    name_es = models.CharField(_("name (Spanish)"), max_length=CODE_NAME_MAX, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2000)
    description_es = models.TextField(_("description (Spanish)"), blank=True, max_length=2000)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("code")
        verbose_name_plural = _("codebook")
        constraints = [
            models.UniqueConstraint(Lower("name_en"), name="code_name_unique_ci"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="code_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class CodeApplication(models.Model):
    """A reviewer's code on an open answer: the whole answer, or the span [start, end)."""

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="applications")
    answer = models.ForeignKey(
        "surveys.Answer", on_delete=models.CASCADE, related_name="code_applications"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="code_applications"
    )
    start = models.PositiveIntegerField(_("from character"), null=True, blank=True)
    end = models.PositiveIntegerField(_("to character"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["answer", "start", "code"]
        verbose_name = _("code application")
        verbose_name_plural = _("code applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="application_span_ordered",
            ),
            models.UniqueConstraint(
                fields=["code", "answer", "coder"],
                condition=Q(start__isnull=True),
                name="application_whole_unique",
            ),
            models.UniqueConstraint(
                fields=["code", "answer", "coder", "start", "end"],
                condition=Q(start__isnull=False),
                name="application_span_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["coder", "answer"]),
            models.Index(fields=["answer", "code"]),
        ]

    def __str__(self) -> str:
        span = "" if self.start is None else f"[{self.start}:{self.end}]"
        return f"{self.code_id} on answer {self.answer_id}{span} by {self.coder_id}"

    @property
    def is_whole(self) -> bool:
        return self.start is None


class CodedAnswer(models.Model):
    """A reviewer has coded this answer (possibly with no code at all): it counts for agreement."""

    answer = models.ForeignKey("surveys.Answer", on_delete=models.CASCADE, related_name="coded_by")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coded_answers"
    )
    created_at = models.DateTimeField(_("coded"), auto_now_add=True)

    class Meta:
        verbose_name = _("coded answer")
        verbose_name_plural = _("coded answers")
        constraints = [
            models.UniqueConstraint(fields=["answer", "coder"], name="coded_answer_unique")
        ]

    def __str__(self) -> str:
        return f"answer {self.answer_id} coded by {self.coder_id}"


class Quote(TimeStampedModel):
    """An excerpt of an open answer marked as a candidate quote for reports and the proposal.

    How far it may be used follows the respondent's consent (see selectors.usable_quotes);
    it never links to contact details.
    """

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not to be used")

    answer = models.ForeignKey("surveys.Answer", on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("excerpt"))
    start = models.PositiveIntegerField(_("from character"))
    end = models.PositiveIntegerField(_("to character"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="quote_span_ordered"
            ),
            models.UniqueConstraint(fields=["answer", "start", "end"], name="quote_span_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
