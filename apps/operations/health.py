"""Readiness checks: can this process reach the database and the task broker right now?

Each check answers True/False within a few seconds and never raises; what went wrong goes to
the log (with the request id), never to the response.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def database_ready(alias: str = "default") -> bool:
    """One `SELECT 1` on the database (the connection's connect_timeout bounds the wait)."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001  (any failure means not ready)
        logger.warning("Readiness: database check failed", exc_info=True)
        # Do not keep a broken persistent connection for the next request.
        connection.close_if_unusable_or_obsolete()
        return False


def broker_ready() -> bool:
    """Connect to the Celery broker (or accept eager mode, where there is none)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    from ostportal.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
            )
        return True
    except Exception:  # noqa: BLE001
        logger.warning("Readiness: broker check failed", exc_info=True)
        return False


def readiness() -> dict[str, bool]:
    return {"database": database_ready(), "broker": broker_ready()}


# Warnings that leave the process ready but need a person: {name: check returning True when
# the problem is there}. Feature apps add theirs (apps.pages.status_checks), so operations
# imports none of them.
_READINESS_WARNINGS: dict[str, Callable[[], bool]] = {}


def register_readiness_warning(check: Callable[[], bool]) -> Callable[[], bool]:
    """Decorator: the function's name is reported when it returns True."""
    _READINESS_WARNINGS[check.__name__] = check
    return check


def readiness_warnings() -> list[str]:
    """Names of problems that leave the process ready but need a person (never raises)."""
    names = []
    for name, check in sorted(_READINESS_WARNINGS.items()):
        try:
            if check():
                names.append(name)
        except Exception:  # noqa: BLE001  (a warning check must not fail the readiness answer)
            logger.warning("Readiness: %s check failed", name, exc_info=True)
    return names
