"""While the database cannot be reached, visitors get a short "try again in a minute" page
(HTTP 503 with Retry-After) instead of a server error.

The page itself lives in core because core's handler500 (apps.core.views.server_error) shows
it too; apps.operations.middleware turns a view's database error into it."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

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
