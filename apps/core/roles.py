"""Staff roles as every app sees them: three ordered levels and the level a user holds.

Reviewer (reads dashboards, codes responses) < Editor (content and proposal)
< Administrator (users, surveys, exports with personal data).

This lives in core (the bottom layer) so that core's own admin and the exporter framework can
check a role without importing a feature app; apps.accounts.roles re-exports it and adds the
groups and permissions each role is given.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    name: str
    level: int
    label: str

    REVIEWER: "Role" = None  # type: ignore[assignment]
    EDITOR: "Role" = None  # type: ignore[assignment]
    ADMINISTRATOR: "Role" = None  # type: ignore[assignment]


Role.REVIEWER = Role("Reviewer", 1, _("Reviewer"))
Role.EDITOR = Role("Editor", 2, _("Editor"))
Role.ADMINISTRATOR = Role("Administrator", 3, _("Administrator"))
ROLES = (Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR)
ROLE_BY_NAME = {role.name: role for role in ROLES}


def user_role_level(user) -> int:
    """0 for no staff role, else the level of the highest role the user holds."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    if user.is_superuser:
        return Role.ADMINISTRATOR.level
    cached = getattr(user, "_role_level", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = max((r.level for r in ROLES if r.name in names), default=0)
        user._role_level = cached
    return cached
