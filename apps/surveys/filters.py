"""The filters every dashboard, aggregate export and proposal evidence block share.

The filter state lives in the URL (GET parameters), so a view can be bookmarked and shared.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.surveys.models import Collector, Response, Role, SurveyVersion
from apps.surveys.scales import US_STATES

FILTER_KEYS = (
    "date_from",
    "date_to",
    "version",
    "collector",
    "state",
    "role",
    "setting",
    "flagged",
)


class ResponseFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.ModelChoiceField(
        label=_("Survey version"),
        required=False,
        queryset=SurveyVersion.objects.all(),
        empty_label=_("All versions"),
    )
    collector = forms.ModelChoiceField(
        label=_("Partner link"),
        required=False,
        queryset=Collector.objects.all(),
        empty_label=_("All partner links"),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + US_STATES
    )
    role = forms.ModelChoiceField(
        label=_("Main role"),
        required=False,
        queryset=Role.objects.all(),
        to_field_name="slug",
        empty_label=_("All roles"),
    )
    setting = forms.CharField(label=_("Setting"), required=False, max_length=40)
    flagged = forms.BooleanField(
        label=_("Include flagged responses (too fast, possible duplicates)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def filter_params(data) -> dict:
    """Validated filter values from GET data (JSON-safe: ids, slugs, ISO dates).

    Invalid values are dropped rather than failing the page."""
    form = ResponseFilterForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    params: dict = {}
    for key in FILTER_KEYS:
        value = cleaned.get(key)
        if value in (None, "", False):
            continue
        if key in ("version", "collector"):
            value = value.pk
        elif key == "role":
            value = value.slug
        elif key in ("date_from", "date_to"):
            value = value.isoformat()
        params[key] = value
    return params


def filtered_responses(params: dict) -> QuerySet[Response]:
    """Complete, not excluded responses matching the filters (flagged ones only if asked)."""
    from datetime import date, datetime, time

    from django.utils import timezone

    qs = Response.objects.included()
    if not params.get("flagged"):
        qs = qs.filter(is_too_fast=False, is_duplicate=False)
    if params.get("date_from"):
        start = datetime.combine(date.fromisoformat(params["date_from"]), time.min)
        qs = qs.filter(submitted_at__gte=timezone.make_aware(start))
    if params.get("date_to"):
        end = datetime.combine(date.fromisoformat(params["date_to"]), time.max)
        qs = qs.filter(submitted_at__lte=timezone.make_aware(end))
    if params.get("version"):
        qs = qs.filter(version_id=params["version"])
    if params.get("collector"):
        qs = qs.filter(collector_id=params["collector"])
    if params.get("state"):
        qs = qs.filter(state=params["state"])
    if params.get("role"):
        qs = qs.filter(role__slug=params["role"])
    if params.get("setting"):
        qs = qs.filter(setting=params["setting"])
    return qs
