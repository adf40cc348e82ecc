"""The responses stamp: one row, bumped by triggers on the responses table whenever the set
of complete responses changes (a response becomes complete, a complete one is updated or
deleted), so that the dashboards' freshness check reads one row instead of counting every
complete response.

PostgreSQL: inserts and deletes are checked once per statement over its transition table
(a bulk load of a million complete responses bumps once, starting a survey not at all);
updates once per row of a complete response (page saves of responses in progress never
fire). The triggers are ENABLE ALWAYS, so they fire under session_replication_role =
replica too (the synthetic-data bulk loader sets it to skip foreign-key checks).
SQLite: row triggers with the same conditions.
"""

from django.db import migrations, models

STAMP = "insights_responsesstamp"
RESPONSE = "surveys_response"
COMPLETE = "complete"

POSTGRESQL = [
    f"""
    CREATE FUNCTION insights_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE {STAMP} SET value = value + 1 WHERE id = 1;
      RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION insights_stamp_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM stamp_new WHERE status = '{COMPLETE}') THEN
          UPDATE {STAMP} SET value = value + 1 WHERE id = 1;
        END IF;
      ELSIF EXISTS (SELECT 1 FROM stamp_old WHERE status = '{COMPLETE}') THEN
        UPDATE {STAMP} SET value = value + 1 WHERE id = 1;
      END IF;
      RETURN NULL;
    END $$
    """,
    f"CREATE TRIGGER insights_stamp_insert AFTER INSERT ON {RESPONSE} "
    "REFERENCING NEW TABLE AS stamp_new FOR EACH STATEMENT EXECUTE FUNCTION insights_stamp_rows()",
    f"CREATE TRIGGER insights_stamp_delete AFTER DELETE ON {RESPONSE} "
    "REFERENCING OLD TABLE AS stamp_old FOR EACH STATEMENT EXECUTE FUNCTION insights_stamp_rows()",
    f"CREATE TRIGGER insights_stamp_update AFTER UPDATE ON {RESPONSE} FOR EACH ROW "
    f"WHEN (OLD.status = '{COMPLETE}' OR NEW.status = '{COMPLETE}') "
    "EXECUTE FUNCTION insights_stamp_bump()",
    *(
        f"ALTER TABLE {RESPONSE} ENABLE ALWAYS TRIGGER insights_stamp_{event}"
        for event in ("insert", "delete", "update")
    ),
]
POSTGRESQL_REVERSE = [
    *(
        f"DROP TRIGGER insights_stamp_{event} ON {RESPONSE}"
        for event in ("insert", "delete", "update")
    ),
    "DROP FUNCTION insights_stamp_rows()",
    "DROP FUNCTION insights_stamp_bump()",
]
_BUMP = f"BEGIN UPDATE {STAMP} SET value = value + 1 WHERE id = 1; END"
SQLITE = [
    f"CREATE TRIGGER insights_stamp_insert AFTER INSERT ON {RESPONSE} "
    f"WHEN NEW.status = '{COMPLETE}' {_BUMP}",
    f"CREATE TRIGGER insights_stamp_delete AFTER DELETE ON {RESPONSE} "
    f"WHEN OLD.status = '{COMPLETE}' {_BUMP}",
    f"CREATE TRIGGER insights_stamp_update AFTER UPDATE ON {RESPONSE} "
    f"WHEN OLD.status = '{COMPLETE}' OR NEW.status = '{COMPLETE}' {_BUMP}",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER insights_stamp_{event}" for event in ("insert", "delete", "update")
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def create_row(apps, schema_editor):
    apps.get_model("insights", "ResponsesStamp").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_cube_change_window"),
        ("surveys", "0011_drop_redundant_fk_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResponsesStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "responses stamp",
                "verbose_name_plural": "responses stamps",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
