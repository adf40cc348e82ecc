import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.models import BilingualMixin, TimeStampedModel


class Role(BilingualMixin, models.Model):
    """A main role from the role taxonomy ("Which best describes your main role?")."""

    slug = models.SlugField(_("code"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120, blank=True)
    titles_en = models.CharField(_("common titles (English)"), max_length=300, blank=True)
    titles_es = models.CharField(_("common titles (Spanish)"), max_length=300, blank=True)
    # How the role reads in a first-person comment ("My main role: site coordinator or site
    # director."): no slashes, and in Spanish the function, not a gendered title
    # ("coordinación o dirección de un sitio"). Empty: the comment builder states no role.
    in_sentence_en = models.CharField(
        _("in a comment (English)"),
        max_length=160,
        blank=True,
        help_text=_('Completes "My main role: ...", lower case, no slashes.'),
    )
    in_sentence_es = models.CharField(
        _("in a comment (Spanish)"),
        max_length=160,
        blank=True,
        help_text=_(
            'Completes "Mi función principal: ...", lower case, no slashes: name the function '
            '("coordinación de un sitio"), not a gendered title.'
        ),
    )

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.label_en


class Task(BilingualMixin, TimeStampedModel):
    """A task statement of the task bank, rated in the duties section."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    text_en = models.TextField(_("task (English)"))
    text_es = models.TextField(_("task (Spanish)"), blank=True)
    area_en = models.CharField(_("content area (English)"), max_length=120, blank=True)
    area_es = models.CharField(_("content area (Spanish)"), max_length=120, blank=True)
    label_en = models.CharField(
        _("short label (English)"),
        max_length=80,
        blank=True,
        help_text=_(
            "A few words heading the task on the rating screens (the full statement is one tap "
            "away). Empty: the full statement is shown."
        ),
    )
    label_es = models.CharField(_("short label (Spanish)"), max_length=80, blank=True)
    roles = models.ManyToManyField(
        Role, verbose_name=_("shown first to"), blank=True, related_name="tasks"
    )
    for_all_roles = models.BooleanField(_("shown first to every role"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("task statement")
        verbose_name_plural = _("task bank")

    def __str__(self) -> str:
        return f"{self.code} {self.text_en[:60]}"

    def rating_label(self) -> str:
        """The short label in the language shown, else the full statement in that language
        (never an English label on a Spanish page)."""
        lang = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return getattr(self, f"label_{lang}", "") or self.tr("text")


class Survey(BilingualMixin, TimeStampedModel):
    slug = models.SlugField(_("address"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English, Markdown)"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish, Markdown)"), blank=True)
    thank_you_en = models.TextField(_("thank-you text (English, Markdown)"), blank=True)
    thank_you_es = models.TextField(_("thank-you text (Spanish, Markdown)"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("minutes it takes"), default=15)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("surveys:landing", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )

    def has_not_opened(self, now=None) -> bool:
        return self.opens_at is not None and (now or timezone.now()) < self.opens_at


class SurveyVersion(TimeStampedModel):
    """The questions of a survey at one time. A published version with answers is frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    notes = models.TextField(_("what changed"), blank=True)
    max_rated_tasks = models.PositiveSmallIntegerField(
        _("at most this many tasks rated per respondent"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Empty: everyone rates every task they check. A number: each respondent rates "
            "importance and frequency for at most this many of the tasks they check, chosen so "
            "that every task is rated by about the same number of people."
        ),
    )

    class Meta:
        ordering = ["survey", "-number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["survey"],
                condition=Q(status="published"),
                name="one_published_version_per_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        """Published or retired versions with responses must not change (answers point at them)."""
        return self.status != self.Status.DRAFT and self.responses.exists()


class SurveyPage(BilingualMixin, models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="pages")
    key = models.SlugField(_("key"))
    order = models.PositiveIntegerField(_("order"), default=100)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English, Markdown)"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish, Markdown)"), blank=True)
    condition = models.JSONField(
        _("shown when"), null=True, blank=True, help_text=_("Empty: always shown.")
    )

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("survey page")
        verbose_name_plural = _("survey pages")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="page_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.title_en}"


class Question(BilingualMixin, models.Model):
    class Type(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTI_CHOICE = "multi_choice", _("Multiple choice")
        NUMBER = "number", _("Number")
        SCALE = "scale", _("Scale")
        YES_NO = "yes_no", _("Yes or no")
        STATE_ZIP = "state_zip", _("State and ZIP")
        TIME_USE = "time_use", _("Time-use shares (total 100)")
        TASK_MATRIX = "task_matrix", _("Task-rating matrix")
        EMAIL = "email", _("Email (kept apart from answers)")

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=100)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text_en = models.TextField(_("question (English)"))
    text_es = models.TextField(_("question (Spanish)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    help_es = models.TextField(_("help (Spanish)"), blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    condition = models.JSONField(_("shown when"), null=True, blank=True)
    min_value = models.DecimalField(
        _("lowest"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    step = models.DecimalField(_("step"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["page__order", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="question_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_type_display()})"


class Choice(BilingualMixin, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(_("code"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=100)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_es = models.CharField(_("label (Spanish)"), max_length=300, blank=True)
    is_other = models.BooleanField(_("'other', please specify"), default=False)
    is_exclusive = models.BooleanField(
        _("exclusive"), default=False, help_text=_("Cannot be combined with other choices.")
    )

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label_en}"


class Collector(TimeStampedModel):
    """A distribution link of a partner organization; responses record which one they came by."""

    class Channel(models.TextChoices):
        WEB = "web", _("Portal home page")
        EMAIL = "email", _("Email or newsletter")
        SOCIAL = "social", _("Social media")
        EVENT = "event", _("Event or training")
        QR = "qr", _("Flyer or QR code")
        PAPER = "paper", _("Paper forms")
        OTHER = "other", _("Other")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="collectors")
    slug = models.SlugField(
        _("link code"), unique=True, help_text=_("The link is /s/ followed by this code.")
    )
    name = models.CharField(_("name"), max_length=120)
    organization = models.CharField(_("partner organization"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("collector (partner link)")
        verbose_name_plural = _("collectors (partner links)")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:collector", kwargs={"slug": self.slug})


class ResponseQuerySet(models.QuerySet):
    def complete(self):
        return self.filter(status=Response.Status.COMPLETE)

    def included(self):
        """Complete responses staff have not excluded, of people who work in the field for
        pay (or whose eligibility is not known): the short path of those who answered "Yes,
        only as a volunteer" is kept but not counted, as the SOC covers work done for pay
        (its role and job title once entered the workforce figures and the proposal's list
        of titles)."""
        return self.complete().filter(is_excluded=False).exclude(is_eligible_paid=False)


class Response(models.Model):
    """One practitioner's answers. Holds nothing that identifies a person."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETE = "complete", _("Complete")
        SCREENED_OUT = "screened_out", _("Ended at eligibility")

    class QuoteConsent(models.TextChoices):
        NONE = "", _("Not asked")
        ANONYMOUS = "anonymous", _("May be quoted anonymously")
        INTERNAL = "internal", _("Internal use only")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    collector = models.ForeignKey(
        Collector, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.IN_PROGRESS
    )
    language = models.CharField(_("language"), max_length=5)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    last_page_key = models.CharField(_("last page saved"), max_length=50, blank=True)
    # Where the respondent stopped: the page the last save led to (the next page after Next,
    # the same page after "Save and finish later", the previous one after Back), or the page
    # a background draft came from. Every way back in (links, email, cookie) opens it.
    resume_page_key = models.CharField(_("page to resume on"), max_length=50, blank=True)
    duration_seconds = models.PositiveIntegerField(
        _("minutes taken, in seconds"), null=True, blank=True
    )
    # Copied from the answers on save, so dashboards filter on indexed columns.
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    setting = models.CharField(_("setting"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    is_eligible_paid = models.BooleanField(_("paid OST staff"), null=True)
    quote_consent = models.CharField(
        _("quote consent"), max_length=10, choices=QuoteConsent.choices, blank=True
    )
    # Quality flags: flagged responses are kept; staff decide to exclude them.
    browser_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    is_too_fast = models.BooleanField(_("completed too fast"), default=False)
    is_duplicate = models.BooleanField(_("possible duplicate"), default=False)
    is_staff_entered = models.BooleanField(_("entered by staff (paper)"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_excluded = models.BooleanField(_("excluded by staff"), default=False)
    excluded_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["version", "status"]),
            models.Index(fields=["collector", "status"]),
            models.Index(fields=["role", "status"]),
            models.Index(fields=["state", "status"]),
            models.Index(fields=["setting", "status"]),
            # The dashboards' freshness check (count and latest change of complete responses)
            # and completion funnel read only these indexes.
            models.Index(fields=["status", "updated_at"], name="response_status_updated"),
            models.Index(
                fields=["version", "status", "last_page_key", "collector"], name="response_funnel"
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} ({self.get_status_display()})"

    @property
    def is_flagged(self) -> bool:
        return self.is_too_fast or self.is_duplicate


class ResumeToken(models.Model):
    """A private link that reopens a draft. Only the SHA-256 of the token is stored."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="resume_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("resume link")
        verbose_name_plural = _("resume links")

    def __str__(self) -> str:
        return f"Resume link for response {self.response_id}"


class ResponsePage(models.Model):
    """One page of one response as the respondent met it: when it was first shown, when it was
    last saved, and what was typed on it since (a draft, kept until the page is saved)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="page_states")
    page_key = models.CharField(max_length=50)
    seen_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    # The page's form fields as typed ({name: [values]}), not validated; never shown to staff.
    draft = models.JSONField(null=True, blank=True)
    draft_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response page")
        verbose_name_plural = _("response pages")
        constraints = [
            models.UniqueConstraint(fields=["response", "page_key"], name="response_page_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page_key} of response {self.response_id}"

    @property
    def revision(self) -> str:
        """Changes whenever the page is saved: a draft typed on an older revision is stale."""
        return str(int(self.saved_at.timestamp() * 1000)) if self.saved_at else "0"


class PageSubmission(models.Model):
    """One accepted page submission, by the key its form carried: a replayed offline queue, a
    resent POST or a double tap with the same key and the same answers changes nothing."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="submissions")
    key = models.CharField(max_length=64)
    page_key = models.CharField(max_length=50)
    digest = models.CharField(max_length=64)
    target = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("page submission")
        verbose_name_plural = _("page submissions")
        constraints = [
            models.UniqueConstraint(fields=["response", "key"], name="page_submission_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page_key} of response {self.response_id} ({self.key[:8]})"


class Answer(models.Model):
    """One typed value: a choice, a number, a text, or a yes/no; `part` names a sub-field."""

    # No single-column indexes on response and question: (response, question) and
    # (question, choice, response) below lead with them (fewer indexes to write per page).
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    part = models.CharField(max_length=20, blank=True)
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text_value = models.TextField(blank=True)
    number_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bool_value = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # Dashboards count choices per question for a set of responses: with the
            # response in the index, PostgreSQL answers from the index alone.
            models.Index(fields=["question", "choice", "response"], name="answer_question_choice"),
            models.Index(
                fields=["question", "number_value", "response"],
                name="answer_question_number",
                condition=Q(number_value__isnull=False),
            ),
            models.Index(fields=["response", "question"]),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}={self.choice_id or self.number_value or self.text_value[:20]}"


class TaskRating(models.Model):
    """O*NET-style rating of one task: relevance; if relevant, importance 1-5 and frequency 1-7.

    Relevance comes from the duties checklist, importance and frequency from the second pass.
    `is_assigned` says whether the respondent was asked to rate the task: with planned
    missingness (SurveyVersion.max_rated_tasks) a relevant task may be left unrated by design.
    """

    # Led by the unique (response, task) and the covering index: no index of its own.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="task_ratings", db_index=False
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="ratings")
    is_relevant = models.BooleanField()
    importance = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.PositiveSmallIntegerField(null=True, blank=True)
    is_assigned = models.BooleanField(_("asked to rate"), default=True)

    class Meta:
        verbose_name = _("task rating")
        verbose_name_plural = _("task ratings")
        constraints = [
            models.UniqueConstraint(fields=["response", "task"], name="one_rating_per_task"),
            models.CheckConstraint(
                condition=(
                    Q(
                        is_relevant=True,
                        importance__gte=1,
                        importance__lte=5,
                        frequency__gte=1,
                        frequency__lte=7,
                    )
                    # Checked, not rated yet (or not assigned for rating).
                    | Q(importance__isnull=True, frequency__isnull=True)
                ),
                name="rating_both_scales_or_none",
            ),
        ]
        indexes = [
            # Covers the duties dashboard's aggregation (index-only scan joined by response).
            models.Index(
                fields=["response", "task", "is_relevant", "importance", "frequency"],
                name="rating_response_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.is_relevant}/{self.importance}/{self.frequency}"


class RespondentContact(models.Model):
    """Contact details, kept apart from the answers and visible to Administrators only."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(_("email"))
    # Keyed hash of the normalized address, to spot duplicates without comparing addresses.
    email_digest = models.CharField(max_length=64, db_index=True)
    wants_follow_up = models.BooleanField(_("agreed to follow-up"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("respondent contact")
        verbose_name_plural = _("respondent contacts")

    def __str__(self) -> str:
        return f"Contact for response {self.response_id}"
