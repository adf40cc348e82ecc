"""Plain functions that make test objects; defaults through kwargs.setdefault."""

import itertools

from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.accounts.roles import Role, sync_role_groups

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-42"


def ensure_roles() -> None:
    """Transactional tests flush the migration's groups; put them back."""
    from django.apps import apps

    if Group.objects.filter(name__in=["Reviewer", "Editor", "Administrator"]).count() < 3:
        sync_role_groups(apps)


def make_user(role: Role | None = None, *, two_factor: bool | None = None, **kwargs) -> User:
    """A user with `role`. Administrators get a confirmed authenticator device by default
    (they must have one); `two_factor=False` makes one without."""
    n = next(_counter)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("email", f"user{n}@example.org")
    user = User.objects.create_user(password=kwargs.pop("password", PASSWORD), **kwargs)
    if role is not None:
        ensure_roles()
        user.groups.add(Group.objects.get(name=role.name))
        if role.level >= Role.EDITOR.level:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    if two_factor is None:
        two_factor = role is not None and role.level >= Role.ADMINISTRATOR.level
    if two_factor:
        add_totp_device(user)
    return user


def add_totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device) -> str:
    """A code the device accepts now: the next time step it has not seen yet (django-otp
    refuses a code twice and allows one step of drift)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    step = max(now, (device.last_t or -1) + 1)
    if step > now + device.tolerance:
        raise RuntimeError("no unused code in the tolerance window")
    totp.time = time.time() + (step - now) * device.step
    return f"{totp.token():0{device.digits}d}"
