"""The backup drill (ops/backup_drill.sh) on the real PostgreSQL: dump, restore, compare."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from apps.surveys.models import Survey
from apps.surveys.seeding import seed_survey
from devtools.synthetic import synthetic_responses_generate

ROOT = Path(__file__).resolve().parents[2]
DRILL = ROOT / "ops" / "backup_drill.sh"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the backup drill needs PostgreSQL (DATABASE_URL)",
    ),
]


def _source_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _drill(**env):
    restore = f"{connection.settings_dict['NAME']}_restore_check"
    return subprocess.run(
        ["bash", str(DRILL), _source_url(), restore],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


@pytest.fixture
def data(db):
    seed_survey()
    synthetic_responses_generate(survey=Survey.objects.get(slug="ost-roles-duties"), count=40)


def test_restore_brings_back_every_row_of_every_table(data):
    result = _drill()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every table has the same row count after the restore" in result.stdout
    assert "surveys_answer" in result.stdout


def test_the_drill_notices_rows_that_did_not_come_back(data):
    result = _drill(PG_DUMP_EXTRA_ARGS="--exclude-table-data=surveys_answer")
    assert result.returncode == 1
    assert "row counts differ" in result.stderr
    assert "surveys_answer" in result.stderr


def test_the_drill_refuses_to_restore_over_the_source():
    name = connection.settings_dict["NAME"]
    result = subprocess.run(
        ["bash", str(DRILL), _source_url(), name], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
