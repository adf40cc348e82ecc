import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """Shown when a client sends too many requests (django-ratelimit)."""
    return render(request, "429.html", status=429)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 page in the visitor's language that needs no database; the 503 "try again in a
    minute" page when the error is the database being unreachable (outside any view)."""
    from .dbdown import database_unavailable_response, is_database_unavailable

    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return render(request, "500.html", status=500)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired form (stale CSRF token) explained in plain words."""
    return render(request, "403_csrf.html", status=403)
