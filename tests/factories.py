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


def make_user(role: Role | None = None, **kwargs) -> User:
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
    return user
