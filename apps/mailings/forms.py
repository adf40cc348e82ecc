from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGE_CHOICES, Announcement, Topic
from .selectors import email_is_disposable, normalize_email

EMAIL_INVALID = _("Enter an email address like name@example.org.")
EMAIL_DISPOSABLE = _(
    "Addresses from throwaway email services are not accepted. Please use an address you "
    "will still read in a few months."
)
TOPICS_REQUIRED = _("Choose at least one topic.")
TOPICS_HELP = _("You can change these, or stop all emails, from a link in every message.")


def _language_initial() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("en", "es") else "en"


class _TopicsMixin(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label=_("What would you like to hear about?"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": TOPICS_REQUIRED},
        help_text=TOPICS_HELP,
    )


class SignupForm(_TopicsMixin):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"invalid": EMAIL_INVALID, "required": EMAIL_INVALID},
    )
    # Honeypot: hidden from people (and from screen readers), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "language", "topics", "website"]

    def __init__(self, *args, compact: bool = False, **kwargs):
        kwargs.setdefault(
            "initial", {"language": _language_initial(), "topics": [t.value for t in Topic]}
        )
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        if compact:
            self.fields["topics"].help_text = ""
        self.helper.layout = Layout(
            "email",
            "language",
            "topics",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if email_is_disposable(email):
            raise forms.ValidationError(EMAIL_DISPOSABLE)
        return email

    @property
    def is_bot(self) -> bool:
        """True when the honeypot was filled in."""
        return bool(self.cleaned_data.get("website"))


class PreferencesForm(_TopicsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].help_text = _(
            "To stop every email, use the unsubscribe button below instead."
        )


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["topic", "subject_en", "subject_es", "body_en", "body_es"]
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 12}),
            "body_es": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "topic": _("Only confirmed subscribers who chose this topic receive it."),
            "body_en": _("Markdown: **bold**, *italic*, [link](https://...), lists with -."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "topic",
            Div(
                Div("subject_en", "body_en", css_class="col-lg-6"),
                Div("subject_es", "body_es", css_class="col-lg-6"),
                css_class="row",
            ),
        )


class SendForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have read the preview in both languages and sent myself a test."),
        error_messages={"required": _("Please confirm that you checked the preview.")},
    )
