"""Two-factor sign-in pages: the code step of sign-in, set-up, recovery codes, turning off."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from apps.core.exceptions import ApplicationError
from apps.core.redirects import is_safe_next

from . import two_factor
from .forms import TwoFactorCodeForm


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe_next(target, request) else default


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in for accounts with two-factor sign-in turned on."""
    user = two_factor.pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again: the code page waited too long."))
        return redirect(settings.LOGIN_URL)
    credentials = {"username": user.get_username()}
    # Wrong codes count as failed sign-ins for django-axes, like wrong passwords.
    if not AxesProxyHandler.is_allowed(request, credentials):
        two_factor.pending_clear(request)
        request.axes_locked_out, request.axes_credentials = True, credentials
        return HttpResponse(status=429)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paused = two_factor.codes_paused(user)
        device = two_factor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            two_factor.pending_clear(request)
            auth_login(request, user, backend=user.backend)
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)s left. Make new ones in your account.")
                    % {"n": two_factor.recovery_codes_left(user)},
                )
            return redirect(safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            two_factor.pending_clear(request)
        form.add_error("code", two_factor.CODE_WAIT if paused else two_factor.CODE_WRONG)
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "next": safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """Your two-factor sign-in: on or off, recovery codes left."""
    return render(
        request,
        "accounts/two_factor_manage.html",
        {
            "enabled": two_factor.two_factor_enabled(request.user),
            "required": two_factor.two_factor_required(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
            "form": TwoFactorCodeForm(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with the first code."""
    if two_factor.two_factor_enabled(request.user):
        return redirect("accounts:two_factor")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_confirm(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("Two-factor sign-in is on."))
            return _show_codes(request, codes, safe_next(request))
    device = two_factor.two_factor_setup_start(user=request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.setup_qr_data_uri(device),
            "secret": two_factor.setup_secret(device),
            "next": safe_next(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = two_factor.two_factor_recovery_codes_renew(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return _show_codes(request, codes, "")
    else:
        messages.error(request, _("Type a code to make new recovery codes."))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _("Type a code to turn two-factor sign-in off."))
    return redirect("accounts:two_factor")


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": next_url or resolve_url("accounts:two_factor")},
    )


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in form would skip the code step: use the portal's."""
    target = safe_next(request, "/" + settings.ADMIN_URL)
    from urllib.parse import urlencode

    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}")
