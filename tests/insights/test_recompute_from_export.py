"""The dashboard numbers, recomputed independently from the raw CSV export, agree."""

import math

import pytest

from apps.core.exporting import write_export
from apps.insights import selectors
from apps.surveys.exporters import ResponsesExporter
from devtools.synthetic import synthetic_responses_generate
from tests.exports.helpers import read_zip

pytestmark = pytest.mark.django_db

# The arithmetic is compared without the cell-key noise (apps/insights/disclosure.py); the
# last test checks that with the noise every count stays within MAX_NOISE of the truth.


@pytest.fixture
def exported(survey, tmp_path, settings):
    settings.EXPORTS_DIR = tmp_path
    synthetic_responses_generate(survey=survey, count=150, seed=11)
    path = tmp_path / "all.zip"
    write_export(ResponsesExporter(), {"filters": {}, "labels": False}, "csv", path)
    return read_zip(path)["data.csv"]


def _included(rows):
    """Not flagged, and not the short path of a volunteer (the SOC covers paid work)."""
    return [
        r
        for r in rows
        if r["flag_too_fast"] in ("0", "", "false", "False")
        and r["flag_duplicate"] in ("0", "", "false", "False")
        and r["eligibility"] != "volunteer"
    ]


def test_task_figures_match_a_recomputation_from_the_export(exported, exact):
    rows = _included(exported)
    stats = {s.task.code: s for s in selectors.task_table({})}
    checked = 0
    for code, s in stats.items():
        answered = [r for r in rows if r.get(f"{code}_relevant") not in ("", None)]
        yes = [r for r in answered if r[f"{code}_relevant"] == "1"]
        if s.hidden:
            assert len(answered) < 5, code
            continue
        assert s.n == len(answered), code
        if s.relevance_pct is None:  # yes or no is 1..K-1: the share would give it away
            assert 0 < len(yes) < 5 or 0 < len(answered) - len(yes) < 5, code
        else:
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
        if s.frequency[4]["share"] is not None:
            assert s.frequency[4]["share"] == pytest.approx(100 * daily / len(yes)), code
        checked += 1
    assert checked >= 10


def test_overview_counts_match_a_recomputation_from_the_export(exported, exact):
    rows = _included(exported)
    data = selectors.overview({})
    assert data["total"] == len(rows)
    for row in data["by_role"].rows:
        if not row.hidden:
            assert row.n == sum(1 for r in rows if r["profile_role"] == row.key), row.key
    for row in data["by_state"].rows:
        if not row.hidden:
            assert row.n == sum(1 for r in rows if r["profile_state"] == row.key), row.key


def test_workforce_quartiles_match_a_recomputation_from_the_export(exported, exact):
    rows = _included(exported)
    numbers = {m["key"]: m for m in selectors.workforce_profile({})["numbers"]}
    hours = sorted(float(r["hours_per_week"]) for r in rows if r["hours_per_week"] != "")
    assert numbers["hours_per_week"]["n"] == len(hours)
    position = 0.5 * (len(hours) - 1)
    low = int(position)
    median = hours[low] + (hours[min(low + 1, len(hours) - 1)] - hours[low]) * (position - low)
    assert numbers["hours_per_week"]["median"] == pytest.approx(median)
    assert numbers["hours_per_week"]["mean"] == pytest.approx(sum(hours) / len(hours))


def test_with_the_noise_every_count_is_within_max_noise_of_the_export(exported):
    from apps.insights.disclosure import MAX_NOISE

    rows = _included(exported)
    data = selectors.overview({})
    assert abs(data["total"] - len(rows)) <= MAX_NOISE
    differs = 0
    for table, column in ((data["by_role"], "profile_role"), (data["by_state"], "profile_state")):
        for row in table.rows:
            true = sum(1 for r in rows if r[column] == row.key)
            if row.hidden:
                continue
            assert abs(row.n - true) <= MAX_NOISE, row.key
            assert true == 0 or row.n >= 5  # a shown count never looks like a small one
            differs += row.n != true
    assert differs > 0  # the noise is on: some counts differ from the truth


def test_a_volunteers_short_path_is_kept_but_not_counted(survey, tmp_path, settings, exact):
    """253 volunteers' roles and titles were counted in the workforce figures and the
    proposal's job titles (a reviewer helper): the SOC covers paid work. Their responses are
    exported with counted 0, and no figure counts them."""
    from apps.surveys.models import Response

    settings.EXPORTS_DIR = tmp_path
    synthetic_responses_generate(survey=survey, count=150, seed=11)
    volunteers = Response.objects.filter(status="complete", is_eligible_paid=False)
    assert volunteers.exists()
    counted = Response.objects.included()
    assert not counted.filter(is_eligible_paid=False).exists()
    data = selectors.overview({})
    assert data["total"] == counted.filter(is_too_fast=False, is_duplicate=False).count()
    path = tmp_path / "all.zip"
    write_export(ResponsesExporter(), {"filters": {}, "labels": False}, "csv", path)
    rows = read_zip(path)["data.csv"]
    marked = {r["counted"] for r in rows if r["eligibility"] == "volunteer"}
    assert marked == {"0"}
