from django import forms
from django.utils.translation import gettext_lazy as _


class DeletionRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address in the request"),
        max_length=254,
        help_text=_("The address the person used in the survey or elsewhere on the portal."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the request; delete everything listed"), required=False
    )
