from django.db import migrations

TABLES = ("insights_slicecount", "insights_slicetask")


def leave_room(apps, schema_editor):
    """On PostgreSQL, leave 15% of each page of the figures free, so that a refresh adding to
    a figure writes its new row version on the same page (a HOT update) instead of adding an
    entry to each of the table's two indexes for it. Pages are laid out that way by the next
    full build: `manage.py refresh_dashboard_figures --full` after deploying (docs/
    operations.md; the pages keep reading the current figures while it runs). Not forced
    here: a rebuild over existing figures takes five minutes or more at 1,000,000 responses,
    and the figures stay right with full pages, a refresh only slower."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = 85)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_version_profile"),
    ]

    operations = [
        migrations.RunPython(leave_room, fill_pages),
    ]
