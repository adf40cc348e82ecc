"""Every dashboard figure and every evidence block, recomputed from the responses export alone.

Generated responses on two survey versions (the second drops a page), through partner links,
with exclusions, flags, unfinished and screened-out responses, are exported as CSV; the
figures are then recomputed by tests/insights/recompute.py (csv module only, none of the
app's selectors, sources, cube or formatting) and compared with the dashboards' selectors,
their CSV downloads and the proposal's evidence blocks, unfiltered and under several
filters (pre-aggregated and computed-from-responses paths both). Suppressed cells are
compared as suppressed: the recomputation works out which cells the rule hides. Tables
that share margins with others (the crosswalk's roles and pooled codes) are protected
together: there the test checks what the rule guarantees (every cell of 1..K-1 hidden, no
shown total beside exactly one hidden cell) rather than which complement was picked.
The figures are compared without the cell-key noise (`exact`); how far the noise moves a
count is tested in test_recompute_from_export.py and test_disclosure.py.
"""

import csv
import io
import json
import os
import re
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.exporting import write_export
from apps.insights import cube
from apps.insights import selectors as insights
from apps.insights.formatting import HIDDEN_COUNT as HIDDEN
from apps.proposals import evidence
from apps.proposals.models import EvidenceBlock
from apps.surveys.exporters import ResponseIdentifiersExporter, ResponsesExporter
from apps.surveys.models import Collector, Response, SurveyPage
from apps.surveys.seeding import SEED_FILE
from apps.surveys.versioning import version_copy_as_draft, version_publish
from devtools.synthetic import synthetic_responses_generate
from tests.exports.helpers import read_zip
from tests.factories import make_user

from . import recompute
from .recompute import (
    CORE_IMPORTANCE,
    CORE_RELEVANCE,
    Export,
    fmt,
    fmt_beside,
    suppressed,
)

pytestmark = pytest.mark.django_db

SEED_PAGES = [page["key"] for page in json.loads(SEED_FILE.read_text())["pages"]]
DROPPED_IN_V2 = "time_use"
SINGLE = ("full_time", "split_shift", "pay_type", "salary_band", "education", "enrolled")
SINGLE += ("how_entered", "stay_1_year", "stay_3_years", "age_band", "gender")
MULTI = ("benefits", "credentials", "schedule", "ages_served", "race_ethnicity")
MULTI += ("languages_at_work",)


@pytest.fixture
def dataset(survey):
    """About 260 responses: v1 (all pages) then v2 (without the time-use page), partner links,
    7 excluded, 6 unfinished at different pages, 3 screened out; flags as generated."""
    v1 = survey.versions.get()
    synthetic_responses_generate(survey=survey, count=160, seed=5)
    draft = version_copy_as_draft(version=v1)
    SurveyPage.objects.filter(version=draft, key=DROPPED_IN_V2).delete()
    v2 = version_publish(version=draft)
    synthetic_responses_generate(survey=survey, count=110, seed=6)
    ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
    Response.objects.filter(pk__in=ids[3:220:31]).update(is_excluded=True, excluded_reason="test")
    for n, (pk, page) in enumerate(
        zip(
            ids[10:250:40],
            ["role", "time_use", "setting", "hours_pay", "duties", "crosswalk"],
            strict=True,
        )
    ):
        Response.objects.filter(pk=pk).update(
            status=Response.Status.IN_PROGRESS,
            submitted_at=None,
            last_page_key=page,
            started_at=timezone.now() - timedelta(days=2 + 9 * n),
        )
    Response.objects.filter(pk__in=ids[5:8]).update(
        status=Response.Status.SCREENED_OUT, last_page_key="eligibility"
    )
    cube.rebuild()
    return {"v1": v1, "v2": v2}


def _filters(dataset) -> list[dict]:
    today = timezone.localdate()
    monday = today - timedelta(days=45 + (today - timedelta(days=45)).weekday())
    sunday = today + timedelta(days=6 - today.weekday())
    collector = Collector.objects.order_by("pk").first()
    return [
        {},
        # Whole weeks (Monday to Sunday): the dashboards widen any date range to them.
        {"date_from": monday.isoformat(), "date_to": sunday.isoformat()},
        {"state": "CA"},
        {"role": "frontline"},
        {"collector": collector.pk},
        {"flagged": True},
        {"version": dataset["v1"].pk},
        {"state": "CA", "role": "frontline"},  # not pre-aggregated: computed from responses
        {"setting": "school_campus", "flagged": True},
    ]


def _export(params: dict, tmp_path) -> Export:
    path = tmp_path / f"export-{abs(hash(json.dumps(params, sort_keys=True)))}.zip"
    write_export(ResponsesExporter(), {"filters": params, "labels": False}, "csv", path)
    files = read_zip(path)
    # Free text (job titles) is in the opt-in second file: joined on the response number.
    second = path.with_name(path.stem + "-identifiers.zip")
    write_export(ResponseIdentifiersExporter(), {"filters": params, "labels": False}, "csv", second)
    extra = read_zip(second)
    by_id = {row["response_id"]: row for row in extra["data.csv"]}
    rows = [{**row, **by_id.get(row["response_id"], {})} for row in files["data.csv"]]
    codebook = files["codebook.csv"] + [
        c for c in extra["codebook.csv"] if c["column"] != "response_id"
    ]
    return Export(rows, codebook, flagged=bool(params.get("flagged")))


class Mismatches(list):
    compared = 0

    def check(self, where: str, shown, expected) -> None:
        self.compared += 1
        if shown != expected:
            self.append(f"{where}: shown {shown!r}, recomputed {expected!r}")

    def close(self, where: str, shown, expected) -> None:
        self.compared += 1
        if (shown is None) != (expected is None) or (
            shown is not None and abs(shown - expected) > 1e-9
        ):
            self.append(f"{where}: shown {shown!r}, recomputed {expected!r}")


def _compare_table(bad, where, table, counts: Counter, k, total=None, share_digits=1):
    """A dashboard Table against recomputed counts (suppressed cells as suppressed)."""
    shown_hidden = {r.key for r in table.rows if r.hidden}
    hidden, total_hidden = suppressed(dict(counts), k, total, prefer=shown_hidden)
    bad.check(f"{where} categories", sorted(r.key for r in table.rows), sorted(counts))
    expected_total = sum(counts.values()) if total is None else total
    bad.check(f"{where} total hidden", table.total_hidden, total_hidden)
    if not total_hidden:
        bad.check(f"{where} total", table.total, expected_total)
    for row in table.rows:
        bad.check(f"{where}[{row.key}] hidden", row.hidden, row.key in hidden)
        if row.key in hidden or row.key not in counts:
            continue
        bad.check(f"{where}[{row.key}] n", row.n, counts[row.key])
        bad.check(
            f"{where}[{row.key}] %",
            fmt(row.share, share_digits),
            # a share of a hidden total is not shown (a zero row can sit beside one), nor one
            # whose complement (total minus row) is 1..K-1
            "—"
            if total_hidden or 0 < expected_total - counts[row.key] < k
            else fmt(100 * counts[row.key] / expected_total, share_digits),
        )


def _compare_linked_table(bad, where, table, counts: Counter, k):
    """A table protected together with others: shown cells exact, every small cell hidden,
    never exactly one hidden non-zero cell beside a shown total."""
    bad.check(f"{where} categories", sorted(r.key for r in table.rows), sorted(counts))
    total = sum(counts.values())
    bad.check(f"{where} total hidden", table.total_hidden or 0 < total < k, table.total_hidden)
    hidden = {r.key for r in table.rows if r.hidden}
    for key, n in counts.items():
        if 0 < n < k:
            bad.check(f"{where}[{key}] small cell hidden", key in hidden, True)
    if not table.total_hidden:
        bad.check(f"{where} total", table.total, total)
        hidden_nonzero = [key for key in hidden if counts.get(key)]
        bad.check(f"{where} not one hidden cell beside the total", len(hidden_nonzero) == 1, False)
    for row in table.rows:
        if row.hidden or row.key not in counts:
            continue
        bad.check(f"{where}[{row.key}] n", row.n, counts[row.key])
        if not table.total_hidden:
            share = (
                "—" if 0 < total - counts[row.key] < k else fmt(100 * counts[row.key] / total, 1)
            )
            bad.check(f"{where}[{row.key}] %", fmt(row.share, 1), share)
    return hidden


def _compare_distribution_block(bad, where, block_table, table, counts, k, total=None):
    """An evidence block's table (strings) against the recomputation, row by row."""
    shown_hidden = {
        r.key
        for r, cells in zip(table.rows, block_table["rows"], strict=False)
        if cells[1][0] == "<"
    }
    hidden, total_hidden = suppressed(dict(counts), k, total, prefer=shown_hidden)
    expected_total = sum(counts.values()) if total is None else total
    bad.check(f"{where} rows", len(block_table["rows"]), len(table.rows))
    for cells, row in zip(block_table["rows"], table.rows, strict=False):
        if row.key in hidden:
            bad.check(f"{where}[{row.key}]", cells[1:3], [HIDDEN, "—"])
        else:
            share = (
                "—"
                if total_hidden or 0 < expected_total - counts[row.key] < k
                else fmt(100 * counts[row.key] / expected_total, 1)
            )
            bad.check(f"{where}[{row.key}]", cells[1:3], [str(counts[row.key]), share])
    bad.check(
        f"{where} total", block_table["total"], HIDDEN if total_hidden else str(expected_total)
    )


def _frequency_labels(export: Export) -> dict[int, str]:
    """Frequency category labels, read from the export's codebook ("1 = ...; 2 = ...")."""
    column = next(c for c in export.codebook if c.endswith("_frequency"))
    pairs = [p.split(" = ", 1) for p in export.codebook[column]["values"].split("; ")]
    return {int(code): label for code, label in pairs}


def _compare_tasks(bad, where, params, export: Export, k, duties_csv, block):
    shown = {s.task.code: s for s in insights.task_table(params)}
    expected = {code: export.task(code) for code in export.task_codes()}
    expected = {code: t for code, t in expected.items() if t}
    bad.check(f"{where} tasks", sorted(shown), sorted(expected))
    csv_rows = {row["task"]: row for row in duties_csv}
    block_rows = {row[0].split()[0]: row for row in block["tables"][0]["rows"]}
    labels = _frequency_labels(export)
    for code, t in expected.items():
        s = shown.get(code)
        if s is None:
            continue
        w = f"{where} {code}"
        hidden, stats_hidden = t["n"] < k, t["yes"] < k
        bad.check(f"{w} hidden", (s.hidden, s.stats_hidden), (hidden, stats_hidden))
        # The share is hidden when yes or no is 1..K-1: share times n would give it.
        no = t["n"] - t["yes"]
        relevance_hidden = hidden or 0 < t["yes"] < k or 0 < no < k
        relevance = "—" if relevance_hidden else fmt_beside(t["relevance"], CORE_RELEVANCE, 0)
        if stats_hidden:
            importance, klass, modal = "—", "—", "—"
        else:
            importance = fmt_beside(t["mean"], CORE_IMPORTANCE, 2)
            if t["low"] is not None:
                importance += f" ({fmt(t['low'], 2)}–{fmt(t['high'], 2)})"
            klass, modal = t["class"], labels[t["modal"]]
            # The label follows the frequency counts printed beside it: the largest shown,
            # none when the most common is hidden to protect another cell, the most common
            # when every count is hidden.
            printed = {f["category"]: f["n"] for f in s.frequency if f["n"]}
            if printed:
                top = max(printed, key=lambda c: printed[c])
                modal = labels[top] if t["modal"] in printed else "—"
            if relevance_hidden and not hidden:
                # A hidden share is labelled only when every yes count with the same small
                # cells (yes, no, both: 1..K-1) gives the same label.
                def pattern(y, n=t["n"]):
                    return (0 < y < k, 0 < n - y < k)

                outcomes = {
                    100 * y / t["n"] >= CORE_RELEVANCE and t["mean"] >= CORE_IMPORTANCE
                    for y in range(1, t["n"])
                    if pattern(y) == pattern(t["yes"])
                }
                if len(outcomes) > 1:
                    klass = "—"
        bad.close(f"{w} relevance", s.relevance_pct, None if relevance_hidden else t["relevance"])
        # Frequency shares: a distribution over the yes answers, protected like any table.
        freq_hidden, _ = suppressed(
            t["frequency_n"],
            k,
            t["yes"],
            # (Keys as the counts have them: frequency codes 1..7. Compared as strings, no
            # preference ever matched, and ties went to the lowest code, as the page's
            # suppression happened to choose while it chose by the rows' places.)
            prefer={int(f["category"]) for f in s.frequency if f["share"] is None},
        )
        freq_hidden = {int(c) for c in freq_hidden}
        expected_freq = {
            c: None
            if c in freq_hidden or 0 < t["yes"] - t["frequency_n"][c] < k
            else t["frequency"][c]
            for c in range(1, 8)
        }
        if not stats_hidden:
            bad.close(f"{w} mean", s.importance_mean, t["mean"])
            bad.close(f"{w} sd", s.importance_sd, t["sd"])
            bad.close(f"{w} ci low", s.ci_low, t["low"])
            for f in s.frequency:
                bad.close(f"{w} freq {f['category']}", f["share"], expected_freq[f["category"]])
        # The duties CSV, as downloaded from the dashboard.
        row = csv_rows[code]
        bad.check(f"{w} csv n", row["n"], HIDDEN if hidden else str(t["n"]))
        csv_relevance = HIDDEN if hidden else ("" if relevance_hidden else relevance)
        bad.check(f"{w} csv relevance", row["relevance_pct"], csv_relevance)
        bad.check(f"{w} csv class", row["classification"] or "—", klass)
        if not stats_hidden:
            bad.check(
                f"{w} csv mean", row["importance_mean"], fmt_beside(t["mean"], CORE_IMPORTANCE, 2)
            )
            bad.check(
                f"{w} csv frequency",
                [row[f"frequency_{c}_pct"] for c in range(1, 8)],
                ["" if expected_freq[c] is None else fmt(expected_freq[c], 1) for c in range(1, 8)],
            )
        # The evidence block.
        cells = block_rows.get(code)
        if cells is not None:
            n_text = HIDDEN if hidden else str(t["n"])
            bad.check(f"{w} block", cells[1:], [n_text, relevance, importance, modal, klass])


def _compare_crosswalk(bad, where, params, export: Export, k, crosswalk_csv, block):
    data = insights.crosswalk(params)
    counts = export.column_values("crosswalk_code")
    hidden = _compare_linked_table(bad, f"{where} crosswalk", data["pooled"], counts, k)
    fits = export.fit_by_code()
    for row, cells in zip(data["pooled"].rows, block["tables"][0]["rows"], strict=False):
        n_fit, mean = fits.get(row.key, (0, None))
        expected_fit = mean if n_fit >= k and row.key not in hidden else None
        bad.close(f"{where} fit {row.key}", getattr(row, "fit_mean", None), expected_fit)
        pooled = sum(counts.values())
        share = (
            "—"
            if row.key in hidden or 0 < pooled - counts[row.key] < k
            else fmt(100 * counts[row.key] / pooled, 1)
        )
        n_text = HIDDEN if row.key in hidden else str(counts[row.key])
        bad.check(
            f"{where} crosswalk block {row.key}", cells[1:], [n_text, share, fmt(expected_fit, 2)]
        )
    csv_fit = {
        r["category"]: r.get("mean_fit")
        for r in crosswalk_csv
        if r["table"] == data["pooled"].title
    }
    for row in data["pooled"].rows:
        n_fit, mean = fits.get(row.key, (0, None))
        expected = fmt(mean, 2) if n_fit >= k and row.key not in hidden else ""
        bad.check(f"{where} crosswalk csv fit {row.key}", csv_fit.get(row.label), expected)
    by_role = export.crosswalk_by_role()
    shown = {t.key: t for t in data["by_role"]}
    bad.check(f"{where} crosswalk roles", sorted(shown), sorted(by_role))
    for role, role_counts in by_role.items():
        if role in shown:
            _compare_linked_table(bad, f"{where} crosswalk {role}", shown[role], role_counts, k)
    if "scales" in block["tables"][0]:
        bad.check(f"{where} fit scale", block["tables"][0]["scales"]["fit"], [1, 4])
    else:
        bad.append(f"{where}: the crosswalk block does not name the fit scale")


def _compare_workforce(bad, where, params, export: Export, k, workforce_csv, block):
    data = insights.workforce_profile(params)
    tables = {t.key: t for t in data["tables"] + data["demographics"]}
    # Every choice is listed whatever the filters, with 0 when nobody chose it.
    for key in SINGLE:
        counts = export.all_choices(key)
        _compare_table(bad, f"{where} {key}", tables[key], counts, k)
    for key in MULTI:
        counts, answered = export.multi(key)
        for column in export.codebook:
            choice = column.startswith(f"{key}_") and column != f"{key}_other_text"
            if choice and export.codebook[column]["type"] == "0/1":
                counts.setdefault(column[len(key) + 1 :], 0)
        _compare_table(bad, f"{where} {key}", tables[key], counts, k, total=answered)
    csv_numbers = {row[0]: row for row in workforce_csv}
    block_numbers = {row[0]: row for row in block["tables"][0]["rows"]}
    for number in data["numbers"]:
        key = number["key"]
        expected = export.summary(key)
        w = f"{where} {key}"
        bad.check(f"{w} n", number["n"], None if 0 < expected["n"] < k else expected["n"])
        small = expected["n"] < k
        for stat in ("mean", "p25", "median", "p75"):
            bad.close(f"{w} {stat}", number[stat], None if small else expected[stat])
        values = ["—" if small else fmt(expected[s], 1) for s in ("mean", "p25", "median", "p75")]
        n_text = HIDDEN if 0 < expected["n"] < k else str(expected["n"])
        csv_row = csv_numbers.get(number["title"])
        bad.check(
            f"{w} csv",
            csv_row[1:] if csv_row else None,
            [n_text] + [v.replace("—", "") for v in values],
        )
        cells = block_numbers.get(number["title"])
        if cells is not None:
            range_text = "—" if small else f"{values[1]}–{values[3]}"
            bad.check(f"{w} block", cells[1:], [n_text, values[0], values[2], range_text])
    block_tables = {t["title"]: t for t in block["tables"][1:]}
    for key in SINGLE + MULTI:
        table = tables[key]
        if str(table.title) in block_tables:
            if key in MULTI:
                counts, answered = export.multi(key)
            else:
                counts, answered = export.column_values(key), None
            _compare_distribution_block(
                bad,
                f"{where} {key} block",
                block_tables[str(table.title)],
                table,
                counts,
                k,
                answered,
            )


def _normalized_title(text: str) -> str:
    """Lowercase, punctuation to spaces, single spaces (the rule the job-titles page states)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def _without_accents(text: str) -> str:
    """The page's rule "without accents": each letter's accents dropped (í -> i, ñ -> n)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _compare_titles(bad, where, params, export: Export, k, titles_csv, block):
    """Job titles (no staff merges here, so each canonical title is its normalized text,
    compared without accents and shown as most of its respondents wrote it)."""
    by_key: dict[str, Counter] = {}
    written: dict[str, Counter] = {}
    for r in export.rows:
        title = _normalized_title(r.get("job_title", ""))
        if title:
            key = _without_accents(title)
            by_key.setdefault(key, Counter())[r["profile_role"]] += 1
            written.setdefault(key, Counter())[title] += 1

    def shown(key: str) -> str:
        ways = written[key]
        most = max(ways.values())
        common = sorted(w for w, n in ways.items() if n == most)
        accented = [w for w in common if _without_accents(w) != w]
        return (accented or common)[0]

    by_title = {shown(key): counts for key, counts in by_key.items()}
    data = insights.job_titles(params)
    listed = {t: sum(c.values()) for t, c in by_title.items() if sum(c.values()) >= k}
    if not params and len(listed) < 3:
        bad.append(f"{where}: too few job titles to compare ({len(listed)})")
    bad.check(f"{where} titles listed", {c["title"]: c["n"] for c in data["canonical"]}, listed)
    bad.check(
        f"{where} titles total", data["total"], sum(sum(c.values()) for c in by_title.values())
    )
    csv_totals = {r["canonical_title"]: r["n"] for r in titles_csv if r["role"] == "All roles"}
    bad.check(f"{where} titles csv", csv_totals, {t: str(n) for t, n in listed.items()})
    block_rows = {row[0]: row[1] for row in block["tables"][0]["rows"]}
    expected_block = dict(
        sorted(listed.items(), key=lambda item: (-item[1], item[0]))[: evidence.DEFAULT_TITLE_LIMIT]
    )
    bad.check(f"{where} titles block", block_rows, {t: str(n) for t, n in expected_block.items()})
    for canonical in data["canonical"]:
        counts = by_title.get(canonical["title"], Counter())
        hidden, _total_hidden = suppressed(
            dict(counts), k, prefer={r.key for r in canonical["roles"] if r.hidden}
        )
        for row in canonical["roles"]:
            shown = "<k" if row.hidden else row.n
            expected = "<k" if row.key in hidden else counts[row.key]
            bad.check(f"{where} title {canonical['title']} by {row.key}", shown, expected)


def _compare_overview(bad, where, params, export: Export, k, block):
    data = insights.overview(params)
    rows = export.rows
    bad.check(f"{where} total", data["total"], len(rows))
    _compare_table(
        bad, f"{where} roles", data["by_role"], Counter(r["profile_role"] for r in rows), k
    )
    _compare_table(
        bad, f"{where} states", data["by_state"], Counter(r["profile_state"] for r in rows), k
    )
    _compare_table(
        bad, f"{where} settings", data["by_setting"], Counter(r["profile_setting"] for r in rows), k
    )
    collectors = Counter(r["collector"] or "Portal home page" for r in rows)
    _compare_table(bad, f"{where} partner links", data["by_collector"], collectors, k)
    _compare_table(
        bad, f"{where} employers", data["by_employer"], export.all_choices("employer_type"), k
    )
    complete, partial = export.weekly()
    weeks = {row.key: row for row in data["over_time"].rows}
    expected_weeks = sorted(set(complete) | set(partial))
    bad.check(f"{where} weeks", sorted(weeks), [w.isoformat() for w in expected_weeks])
    for week in expected_weeks:
        row = weeks.get(week.isoformat())
        if row is None:
            continue
        if not row.hidden:
            bad.check(f"{where} week {week} complete", row.n, complete[week])
        expected_partial = None if 0 < partial[week] < k else partial[week]
        bad.check(f"{where} week {week} unfinished", row.partial, expected_partial)
    pages_v2 = [p for p in SEED_PAGES if p != DROPPED_IN_V2]
    funnel = export.funnel(SEED_PAGES, {"1": SEED_PAGES, "2": pages_v2})
    shown = {row.key: row for row in data["funnel"].rows}
    if funnel["started"]:
        bad.check(f"{where} funnel steps", list(shown), ["started", *SEED_PAGES, "complete"])
    for key, n in funnel.items():
        row = shown.get(key)
        if row is None:
            if n:
                bad.append(f"{where}: funnel lacks {key} ({n})")
            continue
        bad.check(f"{where} funnel {key}", "<k" if row.hidden else row.n, "<k" if 0 < n < k else n)
    bad.check(
        f"{where} block total",
        block["facts"][0][1],
        HIDDEN if 0 < len(rows) < k else str(len(rows)),
    )
    tables = {"by_role": "profile_role", "by_setting": "profile_setting"}
    for index, (key, column) in enumerate(tables.items()):
        _compare_distribution_block(
            bad, f"{where} {key} block", block["tables"][index], data[key],
            Counter(r[column] for r in rows), k,
        )  # fmt: skip
    _compare_distribution_block(
        bad, f"{where} employers block", block["tables"][2], data["by_employer"],
        export.column_values("employer_type"), k,
    )  # fmt: skip


def _csv(client, name, params) -> list:
    content = client.get(reverse(name), {**params, "format": "csv"}).content.decode()
    return list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))


def _dicts(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if row]


def test_every_figure_matches_a_recomputation_from_the_export(dataset, client, tmp_path, exact):
    k = settings.SUPPRESSION_MIN_N
    client.force_login(make_user(Role.REVIEWER))
    bad = Mismatches()
    compared = 0
    for params in _filters(dataset):
        where = json.dumps(params, sort_keys=True)
        export = _export(params, tmp_path)
        for row in export.all:
            bad.check(
                f"{where} counted {row['response_id']}",
                row["counted"],
                str(int(export.is_counted(row))),
            )
        assert export.rows, where
        blocks = {
            kind: evidence.snapshot_build(kind, params, options)
            for kind, options in (
                (EvidenceBlock.Kind.TASKS, {}),
                (EvidenceBlock.Kind.CROSSWALK, {}),
                (EvidenceBlock.Kind.PROFILE, {"facts": list(evidence.PROFILE_FACTS)}),
                (EvidenceBlock.Kind.OVERVIEW, {}),
                (EvidenceBlock.Kind.JOB_TITLES, {}),
            )
        }
        before = len(bad)
        _compare_tasks(
            bad, where, params, export, k, _dicts(_csv(client, "insights:duties", params)),
            blocks[EvidenceBlock.Kind.TASKS],
        )  # fmt: skip
        _compare_crosswalk(
            bad, where, params, export, k, _dicts(_csv(client, "insights:crosswalk", params)),
            blocks[EvidenceBlock.Kind.CROSSWALK],
        )  # fmt: skip
        workforce_rows = _csv(client, "insights:workforce", params)
        numbers = workforce_rows[1 : workforce_rows.index([])]
        _compare_workforce(
            bad, where, params, export, k, numbers, blocks[EvidenceBlock.Kind.PROFILE]
        )
        _compare_overview(bad, where, params, export, k, blocks[EvidenceBlock.Kind.OVERVIEW])
        _, partial = export.weekly()
        unfinished = {
            row[1]: row[2]
            for row in _csv(client, "insights:overview", params)
            if row and row[0] == "Responses started and not finished, by week started"
        }
        unfinished.pop("Total", None)
        for week, n in partial.items():
            shown = unfinished.get(week.isoformat())
            bad.check(f"{where} csv unfinished {week}", shown, HIDDEN if 0 < n < k else str(n))
        _compare_titles(
            bad, where, params, export, k, _dicts(_csv(client, "insights:titles", params)),
            blocks[EvidenceBlock.Kind.JOB_TITLES],
        )  # fmt: skip
        compared += 1
        assert len(bad) >= before
    assert compared == len(_filters(dataset))
    assert bad.compared > 5000
    report = os.environ.get("RECOMPUTE_REPORT")
    if report:  # every mismatch, one a line, for a closer look
        Path(report).write_text(f"{bad.compared} compared\n" + "\n".join(bad) + "\n")
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:80])


# --- Cross-tabs ---

CROSSTAB_PAIRS = [
    ("role", "full_time"),
    ("split_shift", "benefits"),
    ("state", "education"),
    ("race_ethnicity", "setting"),
    ("collector", "pay_type"),
    ("enrolled", "stay_1_year"),
]


def _crosstab_key(axis: str, line_key: str, label: str) -> str:
    """The recomputation's name of a category: the export writes partner links by name and
    "no answer" as a blank."""
    from apps.insights.crosstab import NO_ANSWER

    if line_key == NO_ANSWER:
        return recompute.NO_ANSWER
    if axis == "collector":
        return "" if label == "Portal home page" else label
    return line_key


def _compare_crosstab(bad, where, params, export, k, row_axis, column_axis, csv_rows):
    from apps.insights.crosstab import crosstab

    table = crosstab(params, row_axis, column_axis)
    cells, row_totals, column_totals, grand = recompute.crosstab(export, row_axis, column_axis)
    w = f"{where} {row_axis}x{column_axis}"
    columns = [_crosstab_key(column_axis, key, label) for key, label in table.columns]
    rows = [_crosstab_key(row_axis, line.key, line.label) for line in table.rows]
    bad.check(f"{w} rows", sorted(rows), sorted(row_totals))
    bad.check(f"{w} columns", sorted(columns), sorted(column_totals))
    bad.check(f"{w} grand", table.grand.n, None if 0 < grand < k else grand)
    csv_cells = {(r[0], r[1]): (r[2], r[3]) for r in csv_rows}
    for line, row in zip(table.rows, rows, strict=True):
        total = row_totals[row]
        if 0 < total < k:
            bad.check(f"{w}[{row}] small row total hidden", line.total.hidden, True)
        if not line.total.hidden:
            bad.check(f"{w}[{row}] total", line.total.n, total)
        bad.check(
            f"{w}[{row}] csv total",
            csv_cells.get((line.label, "Total")),
            (HIDDEN if line.total.hidden else str(total), ""),
        )
        hidden_shown_as_hidden = 0  # zeros too: a hidden zero looks like any "<K"
        for (_key, label), column, cell in zip(table.columns, columns, line.cells, strict=True):
            n = cells[(row, column)]
            where_cell = f"{w}[{row},{column}]"
            if 0 < n < k:
                bad.check(f"{where_cell} small cell hidden", cell.hidden, True)
            hidden_shown_as_hidden += cell.hidden
            if cell.hidden:
                bad.check(f"{where_cell} csv", csv_cells.get((line.label, label)), (HIDDEN, ""))
                continue
            bad.check(f"{where_cell} n", cell.n, n)
            share = None
            if not line.total.hidden and not (0 < n < k or 0 < total - n < k):
                share = fmt(100 * n / total, 1)
            bad.check(f"{where_cell} %", fmt(cell.share, 1), share or "—")
            bad.check(
                f"{where_cell} csv", csv_cells.get((line.label, label)), (str(n), share or "")
            )
        if 0 < total < k:  # a row of a few people: all its cells hidden, zeros too
            bad.check(f"{w}[{row}] small row all hidden", all(c.hidden for c in line.cells), True)
        if not line.total.hidden and not table.multi_columns:
            bad.check(
                f"{w}[{row}] not one hidden cell beside the total",
                hidden_shown_as_hidden == 1,
                False,
            )
    for column, cell in zip(columns, table.column_totals, strict=True):
        n = column_totals[column]
        if 0 < n < k:
            bad.check(f"{w} column {column} small total hidden", cell.hidden, True)
        if not cell.hidden:
            bad.check(f"{w} column {column} total", cell.n, n)


def test_every_crosstab_cell_matches_a_recomputation_from_the_export(
    dataset, client, tmp_path, exact
):
    k = settings.SUPPRESSION_MIN_N
    client.force_login(make_user(Role.REVIEWER))
    bad = Mismatches()
    shown_cells = 0
    for params in _filters(dataset):
        where = json.dumps(params, sort_keys=True)
        export = _export(params, tmp_path)
        for row_axis, column_axis in CROSSTAB_PAIRS:
            reply = client.get(
                reverse("insights:crosstab"),
                {**params, "rows": row_axis, "columns": column_axis, "format": "csv"},
            )
            assert reply.status_code == 200, (where, row_axis, column_axis)
            csv_rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))[2:]
            before = bad.compared
            _compare_crosstab(
                bad, where, params, export, k, row_axis, column_axis, [r for r in csv_rows if r]
            )
            shown_cells += bad.compared - before
    assert bad.compared > 3000, bad.compared
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:80])
