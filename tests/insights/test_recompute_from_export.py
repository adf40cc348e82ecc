"""The dashboard numbers, recomputed independently from the raw CSV export, agree."""

import math

import pytest

from apps.exports.base import write_export
from apps.insights import selectors
from apps.surveys.exporters import ResponsesExporter
from devtools.synthetic import synthetic_responses_generate
from tests.exports.helpers import read_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(survey, tmp_path, settings):
    settings.EXPORTS_DIR = tmp_path
    synthetic_responses_generate(survey=survey, count=150, seed=11)
    path = tmp_path / "all.zip"
    write_export(ResponsesExporter(), {"filters": {}, "labels": False}, "csv", path)
    return read_zip(path)["data.csv"]


def _included(rows):
    return [
        r
        for r in rows
        if r["flag_too_fast"] in ("0", "", "false", "False")
        and r["flag_duplicate"] in ("0", "", "false", "False")
    ]


def test_task_figures_match_a_recomputation_from_the_export(exported):
    rows = _included(exported)
    stats = {s.task.code: s for s in selectors.task_table({})}
    checked = 0
    for code, s in stats.items():
        answered = [r for r in rows if r.get(f"{code}_relevant") not in ("", None)]
        yes = [r for r in answered if r[f"{code}_relevant"] == "1"]
        assert s.n == len(answered), code
        if s.hidden:
            continue
        assert s.relevance_pct == pytest.approx(100 * len(yes) / len(answered)), code
        if s.stats_hidden:
            continue
        importance = [int(r[f"{code}_importance"]) for r in yes]
        mean = sum(importance) / len(importance)
        assert s.importance_mean == pytest.approx(mean), code
        if len(importance) > 1:
            sd = math.sqrt(sum((x - mean) ** 2 for x in importance) / (len(importance) - 1))
            assert s.importance_sd == pytest.approx(sd), code
        daily = sum(1 for r in yes if r[f"{code}_frequency"] == "5")
        assert s.frequency[4]["share"] == pytest.approx(100 * daily / len(yes)), code
        checked += 1
    assert checked >= 10


def test_overview_counts_match_a_recomputation_from_the_export(exported):
    rows = _included(exported)
    data = selectors.overview({})
    assert data["total"] == len(rows)
    for row in data["by_role"].rows:
        if not row.hidden:
            assert row.n == sum(1 for r in rows if r["profile_role"] == row.key), row.key
    for row in data["by_state"].rows:
        if not row.hidden:
            assert row.n == sum(1 for r in rows if r["profile_state"] == row.key), row.key


def test_workforce_quartiles_match_a_recomputation_from_the_export(exported):
    rows = _included(exported)
    numbers = {m["key"]: m for m in selectors.workforce_profile({})["numbers"]}
    hours = sorted(float(r["hours_per_week"]) for r in rows if r["hours_per_week"] != "")
    assert numbers["hours_per_week"]["n"] == len(hours)
    position = 0.5 * (len(hours) - 1)
    low = int(position)
    median = hours[low] + (hours[min(low + 1, len(hours) - 1)] - hours[low]) * (position - low)
    assert numbers["hours_per_week"]["median"] == pytest.approx(median)
    assert numbers["hours_per_week"]["mean"] == pytest.approx(sum(hours) / len(hours))
