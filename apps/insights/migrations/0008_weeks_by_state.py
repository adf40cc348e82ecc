from django.db import migrations


def rebuild_next(apps, schema_editor):
    """The figures no longer hold days but hold each state's weeks (cube._SETS): the next
    refresh rebuilds them all (no build time, so `refresh` takes the full path), and until
    then no page reads them (`current_build` is None: the pages read the responses)."""
    apps.get_model("insights", "CubeBuild").objects.update(built_at=None, watermark="")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0007_recount_without_volunteers"),
    ]

    operations = [migrations.RunPython(rebuild_next, migrations.RunPython.noop)]
