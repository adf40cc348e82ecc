"""While the database cannot be reached, visitors get a short "try again in a minute" page
(HTTP 503 with Retry-After) instead of a server error."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response(request=None) -> HttpResponse:
    """The 503 page. Rendered without the request, so no context processor (and nothing
    else) touches the database."""
    html = render_to_string(
        "503.html", {"retry_after": settings.DATABASE_DOWN_RETRY_AFTER, "path": _safe_path(request)}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _safe_path(request) -> str:
    """Where "try again" leads: the page that was asked for (a form's page for a POST)."""
    path = getattr(request, "path", "") or "/"
    return path if path.startswith("/") and not path.startswith("//") else "/"


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


class DatabaseUnavailableMiddleware:
    """Turns a view's OperationalError/InterfaceError (database down or restarting) into the
    503 page. Errors raised outside views reach handler500, which does the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", type(exception).__name__)
        _report(exception)
        return database_unavailable_response(request)


def _report(exception) -> None:
    """Tell the error tracker (when there is one): the response hides the error from Django."""
    if not getattr(settings, "SENTRY_DSN", None):
        return
    import sentry_sdk

    sentry_sdk.capture_exception(exception)
