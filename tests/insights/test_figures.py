"""Figures that were wrong, each pinned at its cause: yes/no answers, the completion funnel
and the weekly rows under filters, the label beside a threshold, numbers in markup for
Spanish-speaking staff, and the export columns that say why a response is not counted."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.exporting import write_export
from apps.insights import cube, selectors
from apps.insights.sources import CubeSource, RawSource, source_for
from apps.surveys.exporters import ResponsesExporter
from apps.surveys.models import Question, Response, Task
from apps.surveys.versioning import version_copy_as_draft, version_publish
from devtools.synthetic import synthetic_responses_generate
from tests.exports.helpers import read_zip
from tests.factories import make_user

# Hand-worked numbers: compared without the cell-key noise (tested in test_disclosure.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exact")]

SHOWN_TYPES = ("single_choice", "multi_choice", "scale", "yes_no", "number")


def _export_rows(tmp_path, filters=None) -> tuple[list[dict], list[dict]]:
    path = tmp_path / "responses.zip"
    write_export(ResponsesExporter(), {"filters": filters or {}, "labels": False}, "csv", path)
    files = read_zip(path)
    return [r for r in files["data.csv"] if r["counted"] == "1"], files["codebook.csv"]


@pytest.fixture
def generated(survey):
    synthetic_responses_generate(survey=survey, count=120, seed=3)
    cube.rebuild()


@pytest.mark.parametrize("kind", ["responses", "pre-aggregated"])
def test_every_question_type_is_counted_as_the_export_shows_it(generated, tmp_path, kind):
    """Each question the dashboards show, of every type, counted by the source the dashboards
    read (raw answers or pre-aggregated figures) as the responses export has it."""
    source = source_for({})
    if kind == "responses":
        source = RawSource({})
    assert isinstance(source, CubeSource if kind == "pre-aggregated" else RawSource)
    rows, codebook = _export_rows(tmp_path)
    columns = [c["column"] for c in codebook]
    keys = selectors.PROFILE_CHOICES + selectors.DEMOGRAPHICS + ("crosswalk_code", "employer_type")
    types = dict(Question.objects.filter(key__in=keys).values_list("key", "type"))
    counts, answered = source.choices(keys)
    checked = Counter()
    for key in keys:
        if types[key] == "multi_choice":
            choice_columns = [
                c for c in columns if c.startswith(f"{key}_") and "other_text" not in c
            ]
            expected = Counter()
            expected_answered = 0
            for r in rows:
                chosen = [c[len(key) + 1 :] for c in choice_columns if r[c] == "1"]
                expected.update(chosen)
                expected_answered += bool(chosen)
        else:
            expected = Counter(r[key] for r in rows if r[key] != "")
            expected_answered = sum(expected.values())
        assert counts[key] == dict(expected), key
        assert answered[key] == expected_answered, key
        assert expected_answered > 0, key
        checked[types[key]] += 1
    numbers = source.numbers(selectors.PROFILE_NUMBERS + ("crosswalk_fit",))
    for key, by_value in numbers.items():
        expected = Counter(float(r[key]) for r in rows if r[key] != "")
        assert by_value == dict(expected), key
        checked[Question.objects.filter(key=key).values_list("type", flat=True).first()] += 1
    assert set(checked) == set(SHOWN_TYPES)
    assert checked["yes_no"] == 2  # split shift and enrolled


def test_yes_no_tables_on_the_workforce_page_and_csv_are_not_empty(generated, client, tmp_path):
    rows, _codebook = _export_rows(tmp_path)
    client.force_login(make_user(Role.REVIEWER))
    content = client.get(reverse("insights:workforce"), {"format": "csv"}).content.decode()
    split = Question.objects.filter(key="split_shift").first().text_en
    total = next(line for line in content.splitlines() if line.startswith(f"{split},Total"))
    assert total.split(",")[2] == str(sum(1 for r in rows if r["split_shift"] != ""))
    yes = next(line for line in content.splitlines() if line.startswith(f"{split},Yes,"))
    assert yes.split(",")[2] == str(sum(1 for r in rows if r["split_shift"] == "yes"))


def test_funnel_counts_every_version_after_a_new_one_is_published(build, survey):
    """Publishing version 2 left the funnel counting only version 2 (all "<5")."""
    for _ in range(8):
        build()
    version_publish(version=version_copy_as_draft(version=survey.versions.get()))
    funnel = {row.key: row for row in selectors.completion_funnel({}).rows}
    assert funnel["started"].n == 8 and not funnel["started"].hidden
    assert funnel["role"].n == 8 and funnel["complete"].n == 8


def test_the_funnel_never_rises_from_one_step_to_the_next(build, monkeypatch, settings):
    """Each step's count is perturbed on its own; a step reached by one person fewer could
    show more than the step before it. Noise here of +2 or -2 by the parity of the record
    keys' sum, so neighbouring steps differing by one person move in opposite directions."""
    from apps.insights import disclosure

    settings.INSIGHTS_NOISE = True
    monkeypatch.setattr(disclosure, "noise", lambda key: 2 if key % 2 else -2)
    for _ in range(12):
        build(state="CA")
    pages = selectors._funnel_pages({Response.objects.first().version_id})[0]
    for stop in pages[1:6]:  # one unfinished response stopping at each of five pages
        unfinished = build(state="CA")
        Response.objects.filter(pk=unfinished.pk).update(
            status=Response.Status.IN_PROGRESS, submitted_at=None, last_page_key=stop
        )
    settings.INSIGHTS_NOISE = False
    true = [row.n for row in selectors.completion_funnel({}).rows]
    settings.INSIGHTS_NOISE = True
    shown = [row.n for row in selectors.completion_funnel({}).rows]
    assert true == sorted(true, reverse=True) and len(set(true)) > 3
    assert shown == sorted(shown, reverse=True), list(zip(true, shown, strict=True))
    assert all(abs(s - t) <= 2 for s, t in zip(shown, true, strict=True))
    assert shown != true  # the noise was on


def test_funnel_honours_filters_and_leaves_out_excluded_and_flagged(build):
    for _ in range(6):
        build(state="CA", role="frontline")
        build(state="TX", role="tutor", days_ago=40)
    build(state="CA", role="frontline", is_excluded=True)
    build(state="CA", role="frontline", is_too_fast=True)
    unfinished = build(state="CA", role="frontline")
    Response.objects.filter(pk=unfinished.pk).update(
        status=Response.Status.IN_PROGRESS, submitted_at=None, last_page_key="setting"
    )

    def funnel(params):
        return {row.key: row.n for row in selectors.completion_funnel(params).rows}

    assert funnel({})["started"] == 13 and funnel({})["complete"] == 12
    assert funnel({"flagged": True})["complete"] == 13
    ca = funnel({"state": "CA"})
    assert ca["started"] == 7 and ca["complete"] == 6 and ca["setting"] == 7
    assert ca["duties"] == 6  # the unfinished one stopped at the setting page
    assert funnel({"role": "tutor"})["started"] == 6
    recent = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert funnel({"date_from": recent})["started"] == 7
    assert funnel({"setting": "camp"}) == {}  # nothing started: no rows


def test_weekly_unfinished_rows_honour_the_date_range(build):
    build(days_ago=2)
    old = build(days_ago=1)
    Response.objects.filter(pk=old.pk).update(
        status=Response.Status.IN_PROGRESS,
        submitted_at=None,
        started_at=timezone.now() - timedelta(days=60),
    )
    everything = selectors.overview({})["over_time"].rows
    # One unfinished response: a count of 1, shown as hidden in its week.
    assert [row.partial_hidden for row in everything].count(True) == 1
    recent = (timezone.localdate() - timedelta(days=20)).isoformat()
    rows = selectors.overview({"date_from": recent})["over_time"].rows
    assert all(row.partial == 0 and not row.partial_hidden for row in rows)
    assert [row.hidden for row in rows] == [True]  # the one complete response, hidden


def _stats_at_the_boundary():
    """25,000 raters, 16,749 say relevant: 66.996%, just below 67% (supplemental)."""
    task = Task.objects.order_by("order").first()
    yes = 16749
    row = {"n": 25000, "yes": yes, "imp_sum": 4 * yes, "imp_sq": 16 * yes}
    row.update({f"f{c}": yes if c == 5 else 0 for c in range(1, 8)})
    return selectors._task_stats(task, row)


def test_a_figure_beside_a_threshold_never_reads_as_the_other_side(survey, client, monkeypatch):
    stats = _stats_at_the_boundary()
    assert stats.classification == "supplemental"
    monkeypatch.setattr(selectors, "task_table", lambda params, sort="relevance": [stats])
    monkeypatch.setattr(selectors, "query_set_reaches", lambda params, limit: min(25000, limit))
    client.force_login(make_user(Role.REVIEWER))
    page = client.get(reverse("insights:duties")).content.decode()
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', page)
    assert "66.996" in cells and "67" not in cells
    assert "compared before rounding" in page
    content = client.get(reverse("insights:duties"), {"format": "csv"}).content.decode()
    assert ",66.996,4.00," in content and "supplemental" in content


def test_numbers_in_svg_markup_are_never_localized(build, client):
    """Spanish formats 52.9 as "52,9", which browsers reject in SVG attributes."""
    for i in range(17):
        build(role="frontline" if i < 9 else ("tutor" if i < 14 else "site_lead"))
    client.force_login(make_user(Role.REVIEWER))
    client.cookies["django_language"] = "es"
    page = client.get(reverse("insights:overview"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in page
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert svgs
    attributes = [
        value
        for svg in svgs
        for value in re.findall(r'\b(?:x|y|width|height|viewBox)="([^"]*)"', svg)
        if value != "100%"
    ]
    assert any("." in value for value in attributes)  # 300 × 5/9: a fraction
    for value in attributes:
        for number in value.split():
            float(number)  # raises on "52,9"
    assert "52,9" in page  # people read the Spanish format in the table (9 of 17)


def test_export_says_why_a_response_is_not_counted(build, tmp_path):
    counted = build()
    excluded = build(is_excluded=True)
    flagged = build(is_duplicate=True)
    unfinished = build()
    Response.objects.filter(pk=unfinished.pk).update(
        status=Response.Status.IN_PROGRESS, submitted_at=None, last_page_key="setting"
    )
    path = tmp_path / "all.zip"
    write_export(ResponsesExporter(), {"filters": {}, "labels": False}, "csv", path)
    files = read_zip(path)
    rows = {int(r["response_id"]): r for r in files["data.csv"]}
    described = {r["column"]: r for r in files["codebook.csv"]}
    for column in ("status", "started_at", "last_page", "excluded", "counted", "flag_duplicate"):
        assert described[column]["question"], column
    assert "counted" in described["counted"]["question"].lower()
    assert rows[counted.pk]["counted"] == "1" and rows[counted.pk]["status"] == "complete"
    assert rows[excluded.pk]["excluded"] == "1" and rows[excluded.pk]["counted"] == "0"
    assert rows[flagged.pk]["flag_duplicate"] == "1" and rows[flagged.pk]["counted"] == "0"
    assert rows[unfinished.pk]["status"] == "in_progress"
    assert rows[unfinished.pk]["last_page"] == "setting" and rows[unfinished.pk]["counted"] == "0"
    with_flagged = tmp_path / "flagged.zip"
    write_export(
        ResponsesExporter(), {"filters": {"flagged": True}, "labels": False}, "csv", with_flagged
    )
    again = {int(r["response_id"]): r for r in read_zip(with_flagged)["data.csv"]}
    assert again[flagged.pk]["counted"] == "1"


@override_settings(LANGUAGE_CODE="en")
def test_formatting_rounds_half_up_and_localizes_only_for_people():
    from django.utils import translation

    from apps.insights import formatting

    assert formatting.plain(3.925, 2) == "3.93" and formatting.plain(2.5, 0) == "3"
    assert formatting.plain(None, 1) == "" and formatting.figure(None, "share") == "—"
    assert formatting.beside_threshold(66.996, 67, "relevance") == "66.996"
    assert formatting.beside_threshold(67.0, 67, "relevance") == "67"
    assert formatting.beside_threshold(2.9999, 3, "importance") == "2.9999"
    with translation.override("es"):
        assert formatting.local(52.94, 1) == "52,9" and formatting.plain(52.94, 1) == "52.9"
