"""The filters every dashboard, aggregate export and proposal evidence block share.

The filter state lives in the URL (GET parameters), so a view can be bookmarked and shared.
"""

from datetime import date, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.surveys.models import Collector, Response, Role, SurveyVersion
from apps.surveys.scales import states_led_by

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


EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("Enter a date between %(first)s and %(last)s.")


def _within_range(day):
    """Dates far outside the survey's life would overflow date arithmetic: refused."""
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(
            DATE_OUT_OF_RANGE, params={"first": EARLIEST_DAY.year, "last": LATEST_DAY.year}
        )
    return day


class DayInput(forms.DateInput):
    """A date picker (<input type="date">). Its value must be a real ISO date (HTML): what
    is typed in the address ("bad", "2026-13-45") is not echoed into it (the field shows
    empty, as a browser shows it anyway, and its error says what is wrong)."""

    input_type = "date"

    def format_value(self, value):
        text = super().format_value(value)
        if not text:
            return text
        try:
            date.fromisoformat(str(text))
        except ValueError:
            return None
        return text


class ResponseFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Submitted from"), required=False, widget=DayInput())
    date_to = forms.DateField(label=_("Submitted until"), required=False, widget=DayInput())
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
        label=_("State"), required=False, choices=states_led_by(_("All states"))
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

    def clean_date_from(self):
        return _within_range(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _within_range(self.cleaned_data.get("date_to"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def filter_params(data) -> dict:
    """Validated filter values from GET data (JSON-safe: ids, slugs, ISO dates).

    Invalid values are dropped rather than failing the page. Dates are widened to whole
    weeks (Monday to Sunday), so two views can never differ by the responses of a single
    day (disclosure control, apps/insights/disclosure.py)."""
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
        elif key == "date_from":  # whole weeks: Monday ...
            value = (value - timedelta(days=value.weekday())).isoformat()
        elif key == "date_to":  # ... to Sunday
            value = (value + timedelta(days=6 - value.weekday())).isoformat()
        params[key] = value
    return params


def _day_bounds(params: dict):
    """(start, end) aware datetimes of the filters' date range (either may be None)."""
    from datetime import date, datetime, time

    from django.utils import timezone

    start = end = None
    if params.get("date_from"):
        start = timezone.make_aware(
            datetime.combine(date.fromisoformat(params["date_from"]), time.min)
        )
    if params.get("date_to"):
        end = timezone.make_aware(datetime.combine(date.fromisoformat(params["date_to"]), time.max))
    return start, end


def _dimensions(qs: QuerySet[Response], params: dict) -> QuerySet[Response]:
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


def filtered_responses(params: dict) -> QuerySet[Response]:
    """Complete, not excluded responses matching the filters (flagged ones only if asked)."""
    qs = Response.objects.included()
    if not params.get("flagged"):
        qs = qs.filter(is_too_fast=False, is_duplicate=False)
    start, end = _day_bounds(params)
    if start:
        qs = qs.filter(submitted_at__gte=start)
    if end:
        qs = qs.filter(submitted_at__lte=end)
    return _dimensions(qs, params)


def matching_responses(params: dict) -> QuerySet[Response]:
    """Every response matching the filters' dimensions, whatever its status, exclusion or
    flags: complete ones by the day submitted, the others by the day started. The figures
    count the subset `filtered_responses` gives; the responses export lists all of these
    with the columns that say why a response is or is not counted."""
    qs = Response.objects.all()
    start, end = _day_bounds(params)
    complete = Q(status=Response.Status.COMPLETE)
    if start:
        qs = qs.filter(
            (complete & Q(submitted_at__gte=start)) | (~complete & Q(started_at__gte=start))
        )
    if end:
        qs = qs.filter((complete & Q(submitted_at__lte=end)) | (~complete & Q(started_at__lte=end)))
    return _dimensions(qs, params)


def funnel_responses(params: dict) -> QuerySet[Response]:
    """Responses the completion funnel counts: started (not ended at eligibility), not
    excluded, not of a volunteer, flagged ones only if asked, matching the filters (see
    matching_responses)."""
    qs = (
        matching_responses(params)
        .exclude(status=Response.Status.SCREENED_OUT)
        .filter(is_excluded=False)
        .exclude(is_eligible_paid=False)  # volunteers are not counted (Response.included)
    )
    if not params.get("flagged"):
        qs = qs.filter(is_too_fast=False, is_duplicate=False)
    return qs


def is_counted(
    *, status: str, is_excluded: bool, is_flagged: bool, flagged: bool, is_volunteer: bool = False
) -> bool:
    """Whether a response counts in the figures: complete, not excluded, not of a volunteer
    (eligibility "only as a volunteer"), and not flagged unless flagged responses are
    included (the rule `filtered_responses` applies)."""
    return (
        status == Response.Status.COMPLETE
        and not is_excluded
        and not is_volunteer
        and (flagged or not is_flagged)
    )
