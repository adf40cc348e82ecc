"""What the disclosure layer costs a dashboard page (issue 12: at most 20%).

Run by hand, not in the suite:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ost_disclosure \\
        .venv/bin/pytest bench/disclosure_overhead.py -s -p no:cacheprovider

On BENCH_RESPONSES (default 3000) generated responses, each dashboard page is fetched
REPEAT times with the layer as it is, and REPEAT times with the layer reduced to what came
before it (plain per-table suppression: no record-key sums in SQL, no noise, no linked
protection, no perturbation of statistics); each page's median and 95th percentile and the
ratio of the medians are printed (BENCH_REPEAT=20 or more for a meaningful 95th percentile).
"""

import os
import statistics
import time
from contextlib import ExitStack
from unittest import mock

import pytest
from django.db.models import Value
from django.db.models.aggregates import Max
from django.urls import reverse

from apps.accounts.roles import Role
from apps.insights import cube, disclosure, selectors, sources
from devtools.synthetic import synthetic_responses_generate
from tests.factories import make_user
from tests.insights.conftest import survey  # noqa: F401  (seeded survey fixture)

pytestmark = pytest.mark.django_db
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "3000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
PAGES = [
    ("insights:overview", {}),
    ("insights:duties", {}),
    ("insights:crosswalk", {}),
    ("insights:workforce", {}),
    ("insights:overview", {"state": "CA", "setting": "school_campus"}),
    ("insights:duties", {"state": "CA", "setting": "school_campus"}),
]


def _bare_key_sum(*args, **kwargs):
    return Max(Value(0))


def _bare_table(rows, total=None):
    total = sum(r.n for r in rows) if total is None else total
    for row in rows:
        row.hidden = disclosure.is_small(row.n)
        row.share = None if row.hidden or not total else 100 * row.n / total
    return rows, disclosure.is_small(total)


def _bare_grid(cells, row_totals=None, column_totals=None):
    return (
        {cell for cell, n in cells.items() if disclosure.is_small(n)},
        {r for r, n in (row_totals or {}).items() if disclosure.is_small(n)},
        {c for c, n in (column_totals or {}).items() if disclosure.is_small(n)},
        False,
    )


def _without_layer() -> ExitStack:
    stack = ExitStack()
    for module in (sources, selectors):
        stack.enter_context(mock.patch.object(module, "key_sum", _bare_key_sum))
    stack.enter_context(mock.patch.object(selectors, "protect_table", _bare_table))
    stack.enter_context(mock.patch.object(selectors, "protect_grid", _bare_grid))
    stack.enter_context(mock.patch.object(selectors, "shown_count", lambda n: n))
    stack.enter_context(
        mock.patch.object(selectors, "protect_share", lambda a, b: 100 * a / b if b else None)
    )
    # Statistics: suppression only, no perturbation.
    stack.enter_context(mock.patch.object(selectors, "protect_stat", _bare_stat))
    stack.enter_context(
        mock.patch.object(
            selectors, "protect_quartiles", lambda qs, n, **kw: [_bare_stat(q, n) for q in qs]
        )
    )
    return stack


def _bare_stat(value, n, **kwargs):
    return None if n is None or n < disclosure.k() else value


def _time(client, name, params) -> tuple[float, float]:
    """(median, 95th percentile) of REPEAT requests, in seconds."""
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        assert client.get(reverse(name), params).status_code == 200
        samples.append(time.perf_counter() - started)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return statistics.median(samples), p95


def test_disclosure_layer_overhead(client, survey):  # noqa: F811
    synthetic_responses_generate(survey=survey, count=RESPONSES, seed=3)
    cube.rebuild()
    client.force_login(make_user(Role.REVIEWER))
    for name, params in PAGES:  # warm caches
        client.get(reverse(name), params)
    print(f"\n{RESPONSES} responses, {REPEAT} requests per page, load {os.getloadavg()}")
    print(
        f"{'page':45} {'with: median':>12} {'p95':>8} {'without: median':>15} {'p95':>8} "
        f"{'ratio':>6}"
    )
    ratios = []
    for name, params in PAGES:
        with_layer, with_p95 = _time(client, name, params)
        with _without_layer():
            without, without_p95 = _time(client, name, params)
        ratios.append(with_layer / without)
        label = name + (" " + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")
        print(
            f"{label:45} {with_layer * 1000:10.1f}ms {with_p95 * 1000:6.1f}ms "
            f"{without * 1000:13.1f}ms {without_p95 * 1000:6.1f}ms {ratios[-1]:6.2f}"
        )
    print(f"ratio of medians: largest {max(ratios):.2f}, median {statistics.median(ratios):.2f}")
    print(f"load average after: {os.getloadavg()}")
