from django import forms
from django.utils.translation import gettext_lazy as _

from .base import exporter_classes_for
from .models import ExportJob


class ExportRequestForm(forms.Form):
    """What to export and how; the response filters travel beside it (filter_params)."""

    kind = forms.ChoiceField(label=_("Data"))
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportJob.Format.choices, initial=ExportJob.Format.CSV
    )
    labels = forms.BooleanField(
        label=_("Write answers as their English labels instead of codes"), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (cls.identifier, cls.verbose_name) for cls in exporter_classes_for(user)
        ]
