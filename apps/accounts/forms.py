from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That username and password do not match an account. Both are case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        # AuthenticationForm sets max_length after the field is built, so it is never
        # checked: a longer username would reach the failed-login record (255 characters)
        # and fail there. Refuse it as a field error instead.
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length or 150))
        self.fields["password"].label = _("Password")


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
