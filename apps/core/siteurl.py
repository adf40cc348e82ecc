"""The portal's public address, for absolute links in emails and feeds.

In order of precedence:
1. `settings.PORTAL_BASE_URL` (environment PORTAL_BASE_URL) when it is set: production sets it.
2. The address of the request being handled (SiteAddressMiddleware). A Celery task queued
   while handling a request carries that address in a message header and runs with it, so a
   confirmation or resume email sent by a worker links to where the visitor was.
3. The last address a request came in on, remembered in the cache (for beat jobs such as
   deadline reminders, which no request triggers).
4. `settings.PORTAL_SERVED_AT`: what `make run` serves at (HOST and PORT), else
   http://127.0.0.1:8000.

Only hosts Django accepts (ALLOWED_HOSTS) are ever used: request.get_host() refuses others.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

HEADER = "portal_base_url"
CACHE_KEY = "core:served-at"
_current: ContextVar[str] = ContextVar("portal_base_url", default="")
_remembered_here = {"value": ""}


def request_base_url(request: HttpRequest) -> str:
    """scheme://host[:port] of a request, or "" when its host is not allowed."""
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ""


def current() -> str:
    """The address of the request (or task) being handled, if any."""
    return _current.get()


def site_url() -> str:
    configured = (getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    served = _current.get() or (_safe_cache_get() or "")
    if served:
        return served
    return (getattr(settings, "PORTAL_SERVED_AT", "") or "http://127.0.0.1:8000").rstrip("/")


def absolute(path: str) -> str:
    """An absolute link to a path of the portal."""
    return site_url() + path


def _safe_cache_get() -> str:
    try:
        return cache.get(CACHE_KEY) or ""
    except Exception:  # noqa: BLE001  (cache down: fall back to the configured default)
        return ""


def _remember(url: str) -> None:
    if url == _remembered_here["value"]:
        return
    try:
        cache.set(CACHE_KEY, url, timeout=None)
    except Exception:  # noqa: BLE001
        return
    _remembered_here["value"] = url


class SiteAddressMiddleware:
    """Holds the request's own address for everything done while handling it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        url = request_base_url(request)
        if not url:
            return self.get_response(request)
        _remember(url)
        token = _current.set(url)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


# --- Celery: a task queued during a request runs with that request's address ---------------


def carry_on_publish(headers=None, **kwargs) -> None:
    url = _current.get()
    if url and isinstance(headers, dict):
        headers[HEADER] = url


def _task_header(task) -> str:
    request = getattr(task, "request", None)
    value = getattr(request, HEADER, None) if request is not None else None
    if not value and request is not None:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return value if isinstance(value, str) else ""


_task_tokens: dict[str, object] = {}


def restore_on_prerun(task_id=None, task=None, **kwargs) -> None:
    url = _task_header(task)
    if url and task_id:
        _task_tokens[task_id] = _current.set(url)


def clear_on_postrun(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (should not happen); just clear it
            _current.set("")


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(carry_on_publish, weak=False, dispatch_uid="siteurl-publish")
    task_prerun.connect(restore_on_prerun, weak=False, dispatch_uid="siteurl-prerun")
    task_postrun.connect(clear_on_postrun, weak=False, dispatch_uid="siteurl-postrun")
