from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Headers Django does not set itself (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class QueryLanguageMiddleware:
    """`?lang=es` on any link (a partner's newsletter, a flyer) picks the language and keeps it.

    Sits after LocaleMiddleware; the choice is stored in the same cookie the switcher sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.GET.get("lang", "")[:5].lower()
        if lang not in self.codes:
            return self.get_response(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=False,
        )
        return response


def _undecodable(raw: bytes) -> bool:
    """True when url-encoded `raw` (a query string or form body) holds a NUL byte or bytes
    that are not UTF-8 once percent-decoded (`%00`, `%ff`, or such bytes sent as they are)."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def unreadable_input_response(request) -> HttpResponse:
    """The 400 page that says what was wrong with the address or form, in the visitor's
    language."""
    return render(
        request,
        "400.html",
        {
            "reason": _(
                "The address or the form held characters we cannot read (an invisible "
                "control character or text that is not UTF-8). Go back, check what you "
                "typed or pasted, and try again."
            )
        },
        status=400,
    )


class UnreadableInputMiddleware:
    """A NUL byte or text that is not UTF-8 in the query string or in a form gets the
    translated 400 page before any view sees it (Django would otherwise replace such bytes
    silently, and PostgreSQL refuses NUL in text with a server error).

    The query string and url-encoded form bodies are checked here. A multipart body is
    checked in process_view, and only for views whose form the CSRF check reads anyway:
    a csrf_exempt view (the paper import) sets its own upload handlers before the body is
    read, so it must read it first.
    """

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if isinstance(query, str):
            # WSGI hands the query string over as latin-1 decoded bytes.
            query = query.encode("latin-1", errors="replace")
        if _undecodable(query):
            return unreadable_input_response(request)
        if (
            request.method == "POST"
            and request.content_type == self.FORM
            and _undecodable(request.body)
        ):
            return unreadable_input_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if getattr(view_func, "csrf_exempt", False):
            return None
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return unreadable_input_response(request)
        return None
