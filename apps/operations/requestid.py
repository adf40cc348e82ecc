"""A request id on every log line: taken from X-Request-ID (the proxy's) or made here,
sent back in the response, and added to log records by RequestIdFilter. Celery tasks log
their task id the same way."""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# Accept a proxy's id only when it is short and plain (it ends up in logs and headers).
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later log line of the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers[HEADER] = request_id
        return response


def _current_task_id() -> str:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover
        return ""
    task = current_task
    request = getattr(task, "request", None) if task else None
    return getattr(request, "id", None) or ""


class RequestIdFilter(logging.Filter):
    """Adds request_id (web) and task_id (Celery worker) to every record; never filters out."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", "") or _request_id.get()
        record.task_id = getattr(record, "task_id", "") or _current_task_id()
        return True
