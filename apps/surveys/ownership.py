"""Which responses this browser may open: a signed cookie, not the session.

The cookie holds the public ids of the responses started here (or reopened from a resume
link), signed with the secret key so it cannot be forged. Survey pages then need no session
lookup at all, which keeps a page save cheap under load.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

OWNED_COOKIE = "ost_survey"
COLLECTOR_COOKIE = "ost_collector"
_SALT = "ostportal.surveys.owned"
MAX_OWNED = 20


def _max_age() -> int:
    return settings.SURVEY_RESUME_DAYS * 24 * 60 * 60


def _read(request: HttpRequest, name: str):
    raw = request.COOKIES.get(name)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=f"{_SALT}.{name}", max_age=_max_age())
    except signing.BadSignature:
        return None


def _write(request: HttpRequest, reply: HttpResponse, name: str, value) -> None:
    reply.set_cookie(
        name,
        signing.dumps(value, salt=f"{_SALT}.{name}", compress=True),
        max_age=_max_age(),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )


def owned_ids(request: HttpRequest) -> list[str]:
    ids = _read(request, OWNED_COOKIE)
    return [str(i) for i in ids] if isinstance(ids, list) else []


def remember_response(request: HttpRequest, reply: HttpResponse, public_id) -> None:
    """Let this browser open the response from now on (newest last, at most MAX_OWNED)."""
    ids = [i for i in owned_ids(request) if i != str(public_id)] + [str(public_id)]
    _write(request, reply, OWNED_COOKIE, ids[-MAX_OWNED:])


def collector_id(request: HttpRequest) -> int | None:
    value = _read(request, COLLECTOR_COOKIE)
    return value if isinstance(value, int) else None


def remember_collector(request: HttpRequest, reply: HttpResponse, pk: int) -> None:
    _write(request, reply, COLLECTOR_COOKIE, pk)
