from django.db import migrations


def rebuild_figures(apps, schema_editor):
    """Figures built before they held the respondents per survey version (the completion
    funnel reads them) have none: the next refresh rebuilds all, and until then the pages
    read the responses."""
    apps.get_model("insights", "CubeBuild").objects.update(built_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_cube_change_window"),
    ]

    operations = [
        migrations.RunPython(rebuild_figures, migrations.RunPython.noop),
    ]
