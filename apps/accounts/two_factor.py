"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and one-time recovery codes.

The password step never signs anyone in on its own when the account has a confirmed device:
`pending_*` keeps the half-finished sign-in in the session until a code is checked.
"""

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .roles import Role, user_role_level

PENDING_KEY = "two_factor_pending"
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"

CODE_WRONG = _("That code is not right. Check the time on your phone and try the newest code.")
TWO_FACTOR_REQUIRED = _("Administrators must keep two-factor sign-in turned on.")
CODE_WAIT = _("Too many wrong codes in a row. Wait a few seconds, then type the newest code.")
NO_SETUP_IN_PROGRESS = _("Start the set-up again: the code you scanned is no longer waiting.")


def _normalize(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:16]


def two_factor_enabled(user) -> bool:
    """True when the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """Administrators (and superusers) may not use the staff area without two-factor sign-in."""
    return (
        settings.TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS
        and user_role_level(user) >= Role.ADMINISTRATOR.level
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_setup_start(*, user) -> TOTPDevice:
    """The unconfirmed device whose secret the set-up page shows (made once, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def setup_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code in a data: URI (the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def setup_secret(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for apps that cannot scan a code."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, user, code: str, request=None) -> list[str]:
    """Confirm the waiting device with a first code; returns new recovery codes (shown once)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=DEVICE_NAME)
        .first()
    )
    if device is None:
        raise ApplicationError(NO_SETUP_IN_PROGRESS)
    if not device.verify_token(_normalize(code)):
        raise ApplicationError(CODE_WRONG)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    if request is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=user,
        target=user,
        details={"two_factor": "turned on"},
        request=request,
    )
    return codes


@transaction.atomic
def two_factor_recovery_codes_renew(*, user, code: str, request=None) -> list[str]:
    """Replace the recovery codes after checking a current code. Audited."""
    if verify_code(user=user, code=code) is None:
        raise ApplicationError(CODE_WRONG)
    codes = _new_recovery_codes(user)
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=user,
        target=user,
        details={"two_factor": "new recovery codes"},
        request=request,
    )
    return codes


@transaction.atomic
def two_factor_disable(*, user, code: str, request=None) -> None:
    """Turn two-factor sign-in off after checking a code; refused for Administrators."""
    if two_factor_required(user):
        raise ApplicationError(TWO_FACTOR_REQUIRED)
    if verify_code(user=user, code=code) is None:
        raise ApplicationError(CODE_WRONG)
    two_factor_reset_unsafe(user=user)
    if request is not None:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=user,
        target=user,
        details={"two_factor": "turned off"},
        request=request,
    )


def two_factor_reset_unsafe(*, user) -> None:
    """Remove every device (lost phone): no code checked, so callers must be trusted."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify_code(*, user, code: str):
    """The device that accepts this code (an app code, or a recovery code, used up), or None.

    django-otp throttles each device after a wrong code and refuses a code used before."""
    token = _normalize(code)
    if not token:
        return None
    # Six digits go to the app; anything else is a recovery code. A recovery code tried
    # against the app would count as a wrong app code and pause it.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def codes_paused(user) -> bool:
    """True while the app device pauses after wrong codes (django-otp doubles the pause
    after each failure); a code typed now is refused even if right."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


# --- The sign-in between the password and the code ---


def pending_start(request, user) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": int(time.time()),
    }


def pending_user(request):
    """The user who gave the right password a moment ago, or None (expired or absent)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if int(time.time()) - int(data.get("at", 0)) > settings.TWO_FACTOR_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is not None:
        user.backend = data.get("backend")
    return user


def pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)
