"""Create the Reviewer, Editor and Administrator groups with their permissions."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from apps.accounts.roles import sync_role_groups

    sync_role_groups(apps, using=schema_editor.connection.alias)


def remove_role_groups(apps, schema_editor):
    from apps.accounts.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=[r.name for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
        ("pages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
