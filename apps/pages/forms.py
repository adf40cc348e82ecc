from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactMessage

MESSAGE_MAX_LENGTH = 5000


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=120, required=False, help_text=_("Optional.")
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We use it only to answer you."),
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
    )
    organization = forms.CharField(
        label=_("Organization"), max_length=200, required=False, help_text=_("Optional.")
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=ContactMessage.Topic.choices)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_(
            "Up to 5,000 characters. Please do not include sensitive personal information."
        ),
    )
    # Honeypot: hidden from people (and from screen readers), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            "email",
            "organization",
            "topic",
            "message",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Please write at least a few words (10 characters)."))
        return message

    @property
    def is_bot(self) -> bool:
        """True when the honeypot was filled in."""
        return bool(self.cleaned_data.get("website"))
