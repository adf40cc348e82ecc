import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.mailings.forms import EMAIL_DISPOSABLE, EMAIL_INVALID
from apps.mailings.selectors import email_is_disposable, normalize_email
from apps.notices.selectors import talking_point_published_list
from apps.pages.selectors import occupation_soc_list
from apps.surveys.scales import states_led_by
from apps.surveys.selectors import role_list, task_active_list

STORY_MAX_LENGTH = 2500
# The survey's open answers hold up to 5,000 characters: a description brought over from the
# survey is kept whole (cut at 2,500 it once ended a draft mid-word), and a draft over the
# notice's limit says so beside the text.
DESCRIPTION_MAX_LENGTH = 5000
DETAIL_MAX_LENGTH = 600
# The builder keeps drafts longer than any comment form so nothing typed is cut off; the
# counter warns about the form's own limit.
DRAFT_MAX_LENGTH = 20000
MAX_TASKS = 8
MAX_TALKING_POINTS = 3
ID_LIMIT = 2**63  # a 64-bit primary key (PostgreSQL bigint, SQLite integer)


class IdsField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows by id. An id past the 64-bit range ("99999999999999999999") is a
    choice that does not exist, refused like any other, before the IN query it would
    overflow (Django checks the range of a single value, not of a list: a 500 on SQLite)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent's own message for a value that is not a number
            if not -ID_LIMIT <= number < ID_LIMIT:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)


TRACKING_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")

# The survey's setting codes, so a survey answer fills this in directly.
SETTING_CHOICES = [
    ("", _("Prefer not to say")),
    ("school_campus", _("At a school")),
    ("community_org", _("Community organization or community center")),
    ("ymca_bgc", _("YMCA, Boys & Girls Club or similar")),
    ("parks_rec", _("Parks and recreation")),
    ("library_museum", _("Library or museum")),
    ("faith_based", _("Faith-based organization")),
    ("camp", _("Camp")),
    ("licensed_childcare", _("Licensed child care for school-age children")),
    ("tribal", _("Tribal program or community")),
    ("other", _("Somewhere else")),
]


ASK_CHOICES = [
    ("new_code", _("Create a new detailed occupation for work like mine")),
    ("definition", _("Change the definition of an existing occupation to include work like mine")),
    ("titles", _("List my job title under the occupation that fits it")),
]
LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]
# The survey's answer for "none of these occupations fits my job".
NO_OCCUPATION_FITS = "none"
# The survey's scale for how well the closest occupation describes the job.
FIT_CHOICES = [
    ("1", _("Not at all")),
    ("2", _("Poorly")),
    ("3", _("Somewhat")),
    ("4", _("Very well")),
]


class HoneypotMixin:
    """A field people never see; naive bots fill it in."""

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def _honeypot() -> forms.CharField:
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def occupation_choices() -> list[tuple[str, str]]:
    seen, choices = set(), [("", _("I don't know"))]
    for occ in occupation_soc_list():
        if occ.code not in seen:
            seen.add(occ.code)
            choices.append((occ.code, f"{occ.code} {occ.tr('title')}"))
    return choices


class BuilderForm(HoneypotMixin, forms.Form):
    """The guided questions; the answers become a first draft the person then edits."""

    role = forms.ChoiceField(label=_("Which best describes your main role?"))
    volunteer = forms.BooleanField(
        label=_("I do this work as a volunteer, not for pay"),
        required=False,
        help_text=_("Your draft then says you volunteer in these programs."),
    )
    job_title = forms.CharField(
        label=_("Your job title"),
        max_length=120,
        required=False,
        help_text=_('Optional. In your own words, for example "group leader".'),
    )
    years_in_field = forms.IntegerField(
        label=_("Years working in out-of-school-time or youth programs"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_("Optional. Whole years; 0 if less than one."),
    )
    setting = forms.ChoiceField(
        label=_("Where does your program mainly take place?"),
        choices=SETTING_CHOICES,
        required=False,
    )
    state = forms.ChoiceField(label=_("State or territory"), required=False)
    tasks = IdsField(
        label=_("Tasks you actually do"),
        queryset=task_active_list().none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pick three to five that take up most of your time (at most eight)."),
        error_messages={"required": _("Pick at least one task you do.")},
    )
    employer_code = forms.ChoiceField(
        label=_("The occupation code your employer uses for your job, if you know it"),
        required=False,
        help_text=_(
            "Employers report jobs under these codes in federal surveys. Leave \"I don't "
            'know" unless you have seen the code, for example on a human resources form.'
        ),
    )
    closest_code = forms.ChoiceField(
        label=_("Which existing occupation comes closest to your work?"),
        required=False,
        help_text=_("Optional. Think about what you actually do, not your job title."),
    )
    closest_fit = forms.ChoiceField(
        label=_("How well does that occupation describe your work?"),
        # "Skip" first, so a choice made by mistake can be taken back in the browser.
        choices=[("", _("Skip this question"))] + FIT_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Optional. Your draft will say exactly what you choose here."),
    )
    story = forms.CharField(
        label=_("A story from your work"),
        max_length=STORY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": STORY_MAX_LENGTH}),
        help_text=_(
            "A real moment that shows what your job involves. Leave out names of children, "
            "families and coworkers."
        ),
    )
    description = forms.CharField(
        label=_("How you describe your work"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_(
            "Optional. Your answer to the survey's question about how you would describe your "
            "work to someone outside the field, if you gave one. Edit it or clear it."
        ),
    )
    # Nothing chosen beforehand: the draft asks only what the person picked (a preselected
    # "create a new occupation" put that request in drafts of people who never chose it).
    ask = forms.ChoiceField(
        label=_("What do you ask the committee to do?"),
        choices=[("", _("Skip this question"))] + ASK_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Optional. Your draft will say exactly what you choose here."),
    )
    ask_detail = forms.CharField(
        label=_("Anything to add to your request"),
        max_length=DETAIL_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": DETAIL_MAX_LENGTH}),
        help_text=_("Optional, for example a title or wording you suggest."),
    )
    talking_points = IdsField(
        label=_("Points to add (optional)"),
        queryset=talking_point_published_list().none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "At most three. They are shown beside your draft, not written into it: say them "
            "in your own words."
        ),
    )
    draft_language = forms.ChoiceField(
        label=_("Language of your comment"), choices=LANGUAGE_CHOICES
    )
    website = _honeypot()

    def __init__(self, *args, language: str = "en", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("draft_language", language[:2])
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + [(r.slug, r.tr("label")) for r in role_list()]
        self.fields["state"].choices = states_led_by(_("Prefer not to say"))()
        self.fields["tasks"].queryset = task_active_list()
        self.fields["tasks"].label_from_instance = lambda t: t.tr("text")
        self.fields["talking_points"].queryset = talking_point_published_list()
        self.fields["talking_points"].label_from_instance = lambda p: p.tr("title")
        occupations = occupation_choices()
        self.fields["employer_code"].choices = occupations
        self.fields["closest_code"].choices = (
            [("", _("Skip this question"))]
            + occupations[1:]
            + [(NO_OCCUPATION_FITS, _("None of these fits my work"))]
        )
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "role",
                "volunteer",
                "job_title",
                "years_in_field",
                "setting",
                "state",
            ),
            Fieldset(
                _("Your work"),
                "tasks",
                "story",
                "description",
                "employer_code",
                "closest_code",
                "closest_fit",
            ),
            Fieldset(_("Your request"), "ask", "ask_detail", "talking_points"),
            "draft_language",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_tasks(self):
        tasks = self.cleaned_data["tasks"]
        if len(tasks) > MAX_TASKS:
            raise forms.ValidationError(
                _("Pick at most %(max)d tasks: the ones that matter most."),
                params={"max": MAX_TASKS},
            )
        return tasks

    def clean_talking_points(self):
        points = self.cleaned_data["talking_points"]
        if len(points) > MAX_TALKING_POINTS:
            raise forms.ValidationError(
                _("Pick at most %(max)d points."), params={"max": MAX_TALKING_POINTS}
            )
        return points

    def clean_story(self) -> str:
        return self.cleaned_data["story"].strip()

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean(self):
        data = super().clean()
        closest = data.get("closest_code") or ""
        if data.get("closest_fit") and closest in ("", NO_OCCUPATION_FITS):
            self.add_error(
                "closest_fit",
                _(
                    "Choose the occupation that comes closest first, or leave how well it "
                    "fits unanswered."
                ),
            )
        return data


class DraftForm(HoneypotMixin, forms.Form):
    """The draft as the person edited it, sent back to check it or to download it."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=DRAFT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "form-control draft-text"}),
        error_messages={
            "required": _("Your comment is empty. Write your comment, then try again."),
            "max_length": _(
                "This is too long for the builder (at most %(limit_value)d characters; it has "
                "%(show_value)d). Put longer material in an attachment to your comment."
            ),
        },
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, widget=forms.HiddenInput, required=False)
    # The talking points picked in the builder, kept to show beside the draft on each check.
    points = IdsField(
        queryset=talking_point_published_list().none(),
        widget=forms.MultipleHiddenInput,
        required=False,
    )
    website = _honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = talking_point_published_list()

    def clean_points(self):
        return list(self.cleaned_data["points"])[:MAX_TALKING_POINTS]

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or "en"

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError(
                _("Your comment is empty. Write your comment, then try again.")
            )
        return text


def _optional_role_and_state(form: forms.Form) -> None:
    """Fill the form's role and state choices, each led by "Prefer not to say"."""
    form.fields["role"].choices = [("", _("Prefer not to say"))] + [
        (r.slug, r.tr("label")) for r in role_list()
    ]
    form.fields["state"].choices = states_led_by(_("Prefer not to say"))()


class SubmittedForm(HoneypotMixin, forms.Form):
    """I submitted my comment: role and state for the counts, tracking number optional."""

    role = forms.ChoiceField(label=_("Your main role"), required=False)
    state = forms.ChoiceField(label=_("State or territory"), required=False)
    tracking_number = forms.CharField(
        label=_("Tracking number (optional)"),
        max_length=40,
        required=False,
        help_text=_(
            "regulations.gov shows it after you submit. We keep only a scrambled form of it, "
            "to count each comment once."
        ),
    )
    website = _honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional_role_and_state(self)
        self.fields["tracking_number"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "role",
            "state",
            "tracking_number",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_tracking_number(self) -> str:
        value = self.cleaned_data["tracking_number"].strip()
        if value and not TRACKING_RE.match(value):
            raise forms.ValidationError(
                _("A tracking number has only letters, digits and dashes, like kd3-abcd-9xyz.")
            )
        return value.lower()


def comment_char_limit(notice) -> int:
    return notice.comment_char_limit if notice else settings.COMMENT_CHAR_LIMIT


class PledgeForm(HoneypotMixin, forms.Form):
    """One tap: an address (confirmed by email), and optionally the role and state counted."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"invalid": EMAIL_INVALID, "required": EMAIL_INVALID},
        help_text=_("Only for the two reminders and the confirmation link. Never published."),
    )
    role = forms.ChoiceField(label=_("Your main role (optional)"), required=False)
    state = forms.ChoiceField(label=_("State or territory (optional)"), required=False)
    website = _honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional_role_and_state(self)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "email",
            "role",
            "state",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if email_is_disposable(email):
            raise forms.ValidationError(EMAIL_DISPOSABLE)
        return email
