from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.surveys.scales import states_led_by
from apps.surveys.selectors import role_list

from .models import Partner, PartnerLink


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        value = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class LinkCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the link"),
        max_length=120,
        help_text=_("For example the event or the program site, as your team will know it."),
    )
    kind = forms.ChoiceField(label=_("For"), choices=PartnerLink.Kind.choices)
    ends_on = forms.DateField(
        label=_("End date"),
        help_text=_("After this day the link stops taking new responses."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The end date cannot be in the past."))
        return value


class PartnerFilterForm(forms.Form):
    """Filters a partner may apply inside its own scope (its own links only)."""

    date_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    collector = forms.TypedChoiceField(
        label=_("Link"), required=False, coerce=int, empty_value=None, choices=()
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=states_led_by(_("All states"))
    )
    role = forms.ModelChoiceField(
        label=_("Main role"),
        required=False,
        queryset=role_list(),
        to_field_name="slug",
        empty_label=_("All roles"),
    )

    def __init__(self, *args, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].choices = [("", _("All your links"))] + [
            (link.collector_id, link.collector.name) for link in links
        ]


# A realistic ceiling for one partner's target (the whole field is at most a few million
# people): the database's own limit surfaced in the message ("less than or equal to
# 9223372036854775807").
TARGET_MAX = 1_000_000


def _target_field(form: forms.ModelForm) -> None:
    field = form.fields["target_responses"]
    field.max_value = TARGET_MAX
    field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
    field.validators += [MinValueValidator(0), MaxValueValidator(TARGET_MAX)]
    field.widget.attrs.update(min=0, max=TARGET_MAX)


class PartnerCreateForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "target_responses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _target_field(self)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the partner contact"))


class TargetForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["target_responses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _target_field(self)
