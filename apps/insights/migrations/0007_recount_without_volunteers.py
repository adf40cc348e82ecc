from django.db import migrations


def check_every_member(apps, schema_editor):
    """The figures no longer count the short path of volunteers (Response.objects.included):
    the next refresh checks every member against its response (`scanned_at` unset), which
    takes the volunteers' figures out, and the build no longer looks current until then (an
    empty watermark), so no page reads figures that still hold them as current."""
    apps.get_model("insights", "CubeBuild").objects.update(scanned_at=None, watermark="")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0006_figures_fillfactor"),
    ]

    operations = [migrations.RunPython(check_every_member, migrations.RunPython.noop)]
