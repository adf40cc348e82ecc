"""Staff roles: three groups created by migration, each with the permissions it needs.

Roles are ordered; a higher role can do everything a lower one can:
Reviewer (reads dashboards, codes responses) < Editor (content and proposal)
< Administrator (users, surveys, exports with personal data).
"""

from apps.core.roles import ROLE_BY_NAME, ROLES, Role, user_role_level

__all__ = ["ROLE_BY_NAME", "ROLES", "Role", "user_role_level", "ROLE_PERMISSIONS"]

ALL = ("add", "change", "delete", "view")
# (app_label, model, actions). A model that does not exist yet is skipped, so later
# apps add their lines here and the next migrate grants them.
_CONTENT = [
    ("pages", "page", ALL),
    ("pages", "faqentry", ALL),
    ("pages", "glossaryterm", ALL),
    ("pages", "milestone", ALL),
    ("pages", "organization", ALL),
    ("pages", "occupation", ALL),
    ("insights", "representationtarget", ALL),
    ("insights", "titlemapping", ALL),
    ("notices", "notice", ALL),
    ("notices", "toolkitsection", ALL),
    ("notices", "talkingpoint", ALL),
    ("notices", "samplecomment", ALL),
    ("notices", "socialpost", ALL),
    ("mailings", "mailingsettings", ("view", "change")),
    ("mailings", "reminder", ("view",)),
]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    Role.REVIEWER.name: [],
    Role.EDITOR.name: _CONTENT,
    Role.ADMINISTRATOR.name: _CONTENT
    + [
        ("accounts", "user", ALL),
        ("auth", "group", ("view",)),
        ("core", "auditevent", ("view",)),
        ("pages", "contactmessage", ("view", "change", "delete")),
        ("pages", "sitesettings", ("view", "change")),
        ("surveys", "survey", ALL),
        ("surveys", "surveyversion", ALL),
        ("surveys", "surveypage", ALL),
        ("surveys", "question", ALL),
        ("surveys", "choice", ALL),
        ("surveys", "collector", ALL),
        ("surveys", "role", ALL),
        ("surveys", "task", ALL),
        ("surveys", "response", ("view", "change")),
        ("surveys", "respondentcontact", ("view", "delete")),
        ("exports", "exportjob", ("view",)),
        ("mailings", "subscriber", ("view", "delete")),
        ("partners", "partner", ALL),
        ("partners", "partnerlink", ALL),
        ("partners", "partnermember", ALL),
    ],
}


def sync_role_groups(apps, using: str = "default") -> None:
    """Create the role groups and give each exactly its listed permissions. Idempotent."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        # Historical app configs (inside a migration) have no models module, and
        # create_permissions skips those: mark them for the call, then restore.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = original
    for role_name, entries in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role_name)
        wanted = []
        for app_label, model, actions in entries:
            codenames = [f"{action}_{model}" for action in actions]
            wanted += list(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate: keep the groups' permissions in step with ROLE_PERMISSIONS."""
    if app_config is None or app_config.name != "apps.accounts" or apps is None:
        return
    from django.apps import apps as global_apps

    sync_role_groups(global_apps, using=using)
