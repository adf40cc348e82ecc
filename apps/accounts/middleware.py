"""Staff sessions: signed out after inactivity; Administrators need two-factor sign-in.

Practitioners never sign in (their survey progress lives in a signed cookie, see
apps.surveys.ownership), so neither rule can touch a survey in progress.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "last_seen"
# Write the last-seen time at most once a minute, so a busy staff page is not a write each time.
TOUCH_EVERY_SECONDS = 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is nothing to load: anonymous visitors cost nothing.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            reply = self._idle_check(request) or self._two_factor_check(request)
            if reply is not None:
                return reply
            self._admin_check(request)
        return self.get_response(request)

    def _admin_check(self, request):
        """A signed-in account the Django admin would not let in gets the 403 page. (The
        admin itself would send it to its sign-in form, which sends a signed-in visitor
        back to the admin: a redirect loop.)"""
        if not request.path.startswith("/" + settings.ADMIN_URL):
            return
        user = request.user
        if not (user.is_active and user.is_staff):
            raise PermissionDenied

    def _idle_check(self, request):
        now = int(time.time())
        last = request.session.get(LAST_SEEN_KEY)
        idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
        if isinstance(last, int) and now - last > idle:
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)s minutes without activity.")
                % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES},
            )
            return _to_sign_in(request)
        if not isinstance(last, int) or now - last >= TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return None

    def _two_factor_check(self, request):
        if not request.path.startswith(tuple(settings.STAFF_PATH_PREFIXES)):
            return None
        user = request.user
        if user.is_verified():
            return None
        from .two_factor import two_factor_enabled, two_factor_required

        if two_factor_enabled(user):
            # Turned on in another session after this one signed in: ask for the code.
            logout(request)
            return _to_sign_in(request)
        if two_factor_required(user):
            messages.warning(
                request, _("Administrators must turn on two-factor sign-in before going on.")
            )
            setup = reverse("accounts:two_factor_setup")
            return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return None


def _to_sign_in(request):
    target = request.get_full_path() if request.method == "GET" else ""
    url = reverse(settings.LOGIN_URL)
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
