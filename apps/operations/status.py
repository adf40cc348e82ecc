"""The staff status page's checks: a small registry that any app can add to.

An app adds a check in its own `status_checks` module (found at start-up):

    from apps.operations.status import StatusItem, register

    @register(order=50)
    def announcements_last_sent() -> list[StatusItem]:
        ...

A check returns a few StatusItems and should run a constant number of queries. A check that
raises shows as one "could not be checked" line instead of breaking the page.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass
class StatusItem:
    label: str
    value: str
    state: str = "ok"  # "ok", "warning", "problem" or "info"
    detail: str = ""
    url: str = ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))


STATE_LABELS = {
    "ok": _("OK"),
    "warning": _("Needs a look"),
    "problem": _("Problem"),
    "info": _("Information"),
}
CHECK_FAILED = _("This check could not be run; see the server log.")


@dataclass(order=True)
class _Entry:
    order: int
    name: str
    check: Callable[[], list[StatusItem]] = field(compare=False)


_REGISTRY: dict[str, _Entry] = {}

# Failures this recent are shown (export jobs, announcement emails).
RECENT_DAYS = 7


def format_when(value) -> str:
    """A moment for a status line, in the portal's time zone ("never" for None)."""
    if value is None:
        return _gettext("never")
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def register(check=None, *, order: int = 100):
    """Decorator: add a check to the status page (registering the same name again replaces it)."""

    def add(func):
        name = f"{func.__module__}.{func.__qualname__}"
        _REGISTRY[name] = _Entry(order, name, func)
        return func

    return add(check) if check is not None else add


def registered_checks() -> list[Callable[[], list[StatusItem]]]:
    return [entry.check for entry in sorted(_REGISTRY.values())]


def status_items() -> list[StatusItem]:
    """Run every registered check, in order."""
    items: list[StatusItem] = []
    for check in registered_checks():
        try:
            items.extend(check())
        except Exception:  # noqa: BLE001  (one broken check must not hide the others)
            logger.exception("Status check %s failed", check.__name__)
            label = (check.__doc__ or check.__name__).strip().splitlines()[0]
            items.append(StatusItem(label=label, value="—", state="problem", detail=CHECK_FAILED))
    return items
