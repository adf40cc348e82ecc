"""The staff status page's line about the dashboards' pre-aggregated figures."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.operations.status import StatusItem, register

from . import cube


@register(order=25)
def dashboard_figures() -> list[StatusItem]:
    """Dashboard figures"""
    state = cube.current_build()
    mark = cube.watermark()
    if state is None and mark.startswith("0:"):
        return [StatusItem(_("Dashboard figures"), _("no responses yet"), "info")]
    if state is None:
        return [
            StatusItem(
                _("Dashboard figures"),
                _("not built yet"),
                "warning",
                _(
                    "The dashboards read the responses directly (slower) until the Celery beat "
                    "task has built them."
                ),
            )
        ]
    current = state.watermark == mark
    age = (timezone.now() - state.built_at).total_seconds()
    when = formats.date_format(timezone.localtime(state.built_at), "DATETIME_FORMAT")
    if current:
        value, level = _("up to date (refreshed %(when)s)") % {"when": when}, "ok"
    elif age <= cube.max_age_seconds():
        value, level = _("refreshing (last refreshed %(when)s)") % {"when": when}, "ok"
    else:
        value, level = _("behind the responses since %(when)s") % {"when": when}, "problem"
    return [
        StatusItem(
            _("Dashboard figures"),
            value,
            level,
            _(
                "Refreshed every 30 seconds by the Celery beat task; while they are more than a "
                "minute behind, the dashboards read the responses directly (slower). Last "
                "refresh took %(seconds).1f s."
            )
            % {"seconds": state.seconds},
        )
    ]
