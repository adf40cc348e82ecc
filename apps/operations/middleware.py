"""While the database cannot be reached, visitors get a short "try again in a minute" page
(HTTP 503 with Retry-After) instead of a server error."""

import logging

from django.conf import settings

from apps.core.dbdown import (  # noqa: F401  (re-exported: the 503 page's home is core)
    DATABASE_ERRORS,
    database_unavailable_response,
    is_database_unavailable,
)

logger = logging.getLogger(__name__)


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
