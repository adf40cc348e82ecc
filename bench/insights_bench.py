"""`make bench`, dashboards and exports part: at 10,000 and 100,000 synthetic responses on
PostgreSQL, each dashboard page (the six staff dashboards and the cross-tab) over the
unfiltered view, each filter alone, every pair of filters and eight triples (37 views): p95
cold (every cache cleared just before the view) and warm (the same view again at once), and
the database queries of each view, which must be the same at every size. Then the CSV/XLSX
exports' time and peak memory against a raw PostgreSQL COPY of the same rows. Prints a table
and writes bench/results/insights.json, with the convention's "summary" rows.

Above 100,000 responses a page is measured over 17 representative views (unfiltered, each
filter, six pairs, three triples: REPRESENTATIVE_PAIRS); BENCH_VIEWS_MAX caps the views of a
page at any size.
BENCH_SIZES (default "10000,100000") picks the data sizes. BENCH_PARTS (default
"cube,pages,exports") picks what is measured; parts left out keep the figures of the
results file already there, marked with that file's date. At sizes up to
BENCH_CUBE_REFERENCE_MAX (default 10000) the full build is also timed through the portable
per-dimension path (the one SQLite uses), the same-run reference of "vs_per_dimension".
BENCH_INSIGHTS_DB names the database; BENCH_KEEP_DB=1 continues on it (generating only the
responses missing up to each size, refreshing the figures when they are behind) and keeps
the sizes of the results file that this run does not measure.
"""

import itertools
import json
import math
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_INSIGHTS_DB", "ostportal_bench_insights")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
RESULTS = ROOT / "bench" / "results" / "insights.json"
PARTS = set(os.environ.get("BENCH_PARTS", "cube,pages,exports").split(","))
CUBE_REFERENCE_MAX = int(os.environ.get("BENCH_CUBE_REFERENCE_MAX", "10000"))
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"

os.environ.update(
    DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
    DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
    DJANGO_ALLOWED_HOSTS="testserver",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME,
    DJANGO_LOG_LEVEL="ERROR",
)
os.environ.pop("REDIS_CACHE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)

PAGES = [
    ("insights:overview", {}),
    ("insights:duties", {}),
    ("insights:titles", {}),
    ("insights:crosswalk", {}),
    ("insights:workforce", {}),
    ("insights:open_answers", {}),
    ("insights:crosstab", {"rows": "role", "columns": "full_time"}),
]
# The filters a view can combine (values chosen to select large groups, the slow case).
FILTERS = ("date", "version", "collector", "state", "role", "setting", "flagged")
THREE_FILTERS = [
    ("state", "role", "setting"),
    ("date", "state", "role"),
    ("version", "state", "setting"),
    ("collector", "state", "role"),
    ("date", "setting", "flagged"),
    ("state", "setting", "flagged"),
    ("date", "version", "collector"),
    ("role", "setting", "flagged"),
]
PAGE_GOALS = {"cold": 500.0, "warm": 200.0}  # ms, p95 of each page
# Above 100,000 responses (or with BENCH_VIEWS_MAX set) each page is measured over a
# representative subset of the views, so that `BENCH_SIZES=1000000 make bench` stays within
# the hour: unfiltered, every filter alone, these six pairs and the first three triples
# (17 views), cut to BENCH_VIEWS_MAX when that is smaller.
REPRESENTATIVE_PAIRS = [
    ("date", "state"),
    ("state", "setting"),
    ("version", "role"),
    ("collector", "state"),
    ("role", "setting"),
    ("date", "flagged"),
]
REPRESENTATIVE_TRIPLES = THREE_FILTERS[:3]
ALL_VIEWS_MAX_SIZE = 100_000


def filter_values(collector_id: int | None, version_id: int) -> dict[str, dict]:
    today = datetime.now(UTC).date()
    month_ago = today.fromordinal(today.toordinal() - 30).isoformat()
    return {
        "date": {"date_from": month_ago},
        "version": {"version": version_id},
        "collector": {"collector": collector_id} if collector_id else {"state": "TX"},
        "state": {"state": "CA"},
        "role": {"role": "frontline"},
        "setting": {"setting": "school_campus"},
        "flagged": {"flagged": "on"},
    }


def filter_combinations(collector_id: int | None, version_id: int) -> list[tuple[str, dict]]:
    """(label, params): unfiltered, each filter alone, every pair of filters and a set of
    triples (the pre-aggregated figures answer the first two kinds)."""
    values = filter_values(collector_id, version_id)
    combos = [("unfiltered", ())]
    combos += [(name, (name,)) for name in FILTERS]
    combos += [("+".join(pair), pair) for pair in itertools.combinations(FILTERS, 2)]
    combos += [("+".join(triple), triple) for triple in THREE_FILTERS]
    out = []
    for label, names in combos:
        params: dict = {}
        for name in names:
            params.update(values[name])
        out.append((label, params))
    return out


def views_for(size: int, combos: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Every view up to ALL_VIEWS_MAX_SIZE responses, else the representative subset (see
    REPRESENTATIVE_PAIRS); BENCH_VIEWS_MAX caps the number at any size."""
    cap = os.environ.get("BENCH_VIEWS_MAX", "")
    limit = int(cap) if cap else None
    if limit is None and size <= ALL_VIEWS_MAX_SIZE:
        return combos
    if limit is not None and limit >= len(combos):
        return combos
    keep = ["unfiltered", *FILTERS]
    keep += ["+".join(pair) for pair in REPRESENTATIVE_PAIRS]
    keep += ["+".join(triple) for triple in REPRESENTATIVE_TRIPLES]
    by_label = dict(combos)
    chosen = [(label, by_label[label]) for label in keep if label in by_label]
    return chosen[:limit] if limit is not None else chosen


def p95(times: list[float]) -> float:
    """Nearest-rank 95th percentile, in ms."""
    ordered = sorted(times)
    return 1000 * ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def kind_of(label: str) -> str:
    return "unfiltered" if label == "unfiltered" else f"{label.count('+') + 1} filters"


def answered_by_figures(page: str, params: dict) -> bool:
    """Whether the pre-aggregated figures answer this view (apps/insights/sources.py: at most
    one filter dimension besides role and "include flagged", or a pair the figures hold);
    the cross-tab's cells only when it crosses a question by main role). Asked of the
    filters as the view reads them (`filter_params`: dates widened to whole weeks)."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    from apps.insights import sources
    from apps.surveys.filters import filter_params

    if page == "insights:crosstab" and "role" not in (params.get("rows"), params.get("columns")):
        return False
    seen = filter_params(QueryDict(urlencode(params, doseq=True)))
    return sources._cube_slice(seen) is not None


def measure_pages(client, combos) -> dict:
    """Each page under each filter combination, cold (every cache cleared just before the
    view) then warm (the same view again at once), with its number of database queries."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    results = {}
    for name, extra in PAGES:
        url = reverse(name)
        client.get(url, extra)  # the first request of the process (imports, templates)
        views = {}
        for label, params in combos:
            query = {**extra, **params}
            cache.clear()
            with CaptureQueriesContext(connection) as cold_queries:
                started = time.perf_counter()
                response = client.get(url, query)
                cold = time.perf_counter() - started
            assert response.status_code == 200, (name, query, response.status_code)
            with CaptureQueriesContext(connection) as warm_queries:
                started = time.perf_counter()
                response = client.get(url, query)
                warm = time.perf_counter() - started
            assert response.status_code == 200, (name, query, response.status_code)
            views[label] = {
                "figures": answered_by_figures(name, query),
                "cold_ms": round(1000 * cold, 1),
                "warm_ms": round(1000 * warm, 1),
                "queries_cold": len(cold_queries.captured_queries),
                "queries_warm": len(warm_queries.captured_queries),
                "too_small": b"so no figures are shown" in response.content,
            }
        cold_times = [v["cold_ms"] / 1000 for v in views.values()]
        warm_times = [v["warm_ms"] / 1000 for v in views.values()]
        by_kind: dict[str, list] = {}
        for label, v in views.items():
            by_kind.setdefault(kind_of(label), []).append(v)
        slowest = max(views.items(), key=lambda item: item[1]["cold_ms"])
        results[name] = {
            "views": len(views),
            "cold_p50_ms": round(1000 * statistics.median(cold_times), 1),
            "cold_p95_ms": round(p95(cold_times), 1),
            "cold_max_ms": round(1000 * max(cold_times), 1),
            "warm_p50_ms": round(1000 * statistics.median(warm_times), 1),
            "warm_p95_ms": round(p95(warm_times), 1),
            "warm_max_ms": round(1000 * max(warm_times), 1),
            "slowest_cold": slowest[0],
            "queries_max": max(v["queries_cold"] for v in views.values()),
            "queries_min": min(v["queries_warm"] for v in views.values()),
            "by_source": {
                source: {
                    "views": len(vs),
                    "cold_p95_ms": round(p95([v["cold_ms"] / 1000 for v in vs]), 1),
                    "warm_p95_ms": round(p95([v["warm_ms"] / 1000 for v in vs]), 1),
                }
                for source in ("figures", "responses")
                if (vs := [v for v in views.values() if v["figures"] == (source == "figures")])
            },
            "by_kind": {
                kind: {
                    "views": len(vs),
                    "cold_p95_ms": round(p95([v["cold_ms"] / 1000 for v in vs]), 1),
                    "warm_p95_ms": round(p95([v["warm_ms"] / 1000 for v in vs]), 1),
                }
                for kind, vs in by_kind.items()
            },
            "per_view": views,
        }
        print(
            f"  {name:<24} cold p95 {results[name]['cold_p95_ms']:>7.0f} ms  warm p95 "
            f"{results[name]['warm_p95_ms']:>7.0f} ms  queries <= {results[name]['queries_max']} "
            f"(slowest: {slowest[0]})",
            flush=True,
        )
    return results


def queries_constant(sizes: dict, name: str) -> bool | None:
    """Whether a page's most queries in a view is the same at every size measured (None when
    only one size was measured). Per view, counts may differ by the 3 queries of the staff
    session's "last seen" touch (apps/accounts/middleware.py, once every few minutes,
    whichever view it falls on), so the page's maximum is what is compared."""
    counts = [
        data["pages"][name]["queries_max"]
        for data in sizes.values()
        if "queries_max" in data.get("pages", {}).get(name, {})
    ]
    if len(counts) < 2:
        return None
    return len(set(counts)) == 1


def page_summary(sizes: dict) -> list[dict]:
    """The convention's rows for the pages part: per page and size, cold and warm p95 and
    the most queries a view ran."""
    rows = []
    for data in sizes.values():
        for name, r in data.get("pages", {}).items():
            if "cold_p95_ms" not in r:
                continue
            for temp in ("cold", "warm"):
                value = r[f"{temp}_p95_ms"]
                rows.append(
                    {
                        "part": "dashboards",
                        "measure": f"{name} p95 {temp} ({r['views']} views)",
                        "size": data["responses"],
                        "value": value,
                        "unit": "ms",
                        "reference": None,
                        "ratio": None,
                        "goal": f"< {PAGE_GOALS[temp]:.0f} ms",
                        "met": value < PAGE_GOALS[temp],
                    }
                )
            # Not goals: the same p95 over the views the pre-aggregated figures answer and
            # over those read from the responses, to show where the time goes.
            for source, b in r.get("by_source", {}).items():
                for temp in ("cold", "warm"):
                    rows.append(
                        {
                            "part": "dashboards",
                            "measure": f"{name} p95 {temp}, the {b['views']} views read from "
                            f"the {source}",
                            "size": data["responses"],
                            "value": b[f"{temp}_p95_ms"],
                            "unit": "ms",
                            "reference": None,
                            "ratio": None,
                            "goal": "info",
                            "met": None,
                        }
                    )
            rows.append(
                {
                    "part": "dashboards",
                    "measure": f"{name} queries per view (most)",
                    "size": data["responses"],
                    "value": float(r["queries_max"]),
                    "unit": "queries",
                    "reference": None,
                    "ratio": None,
                    "goal": "constant across sizes",
                    "met": queries_constant(sizes, name),
                }
            )
    return rows


def setup_database() -> None:
    """The run's database: with BENCH_DATASET (default 1), a copy of the shared
    `ostportal_bench_<N>` of the first size (bench/dataset.py: generated once, reused by
    data_bench.py and later runs; the copy takes the cube's writes); else an empty one."""
    if os.environ.get("BENCH_DATASET", "1") == "1":
        from bench import dataset

        marker = dataset.clone(SIZES[0], DB_NAME)
        print(
            f"{DB_NAME}: a copy of {dataset.name(SIZES[0])} "
            f"({'reused' if marker['reused'] else 'generated'}, built {marker['built']})",
            flush=True,
        )
        return
    psql = ["psql", PG_ADMIN, "-qc"]
    subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True, capture_output=True)
    subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)


def prepare(size: int, current: int) -> None:
    """Generate up to `size` complete responses (counted here: a copied dataset has some)."""
    from django.core.management import call_command

    from apps.surveys.models import Response

    current = Response.objects.complete().count()
    if size > current:
        call_command("generate_responses", count=size - current, seed=size, verbosity=0)


def measure_cube() -> dict:
    """The pre-aggregated figures: a full build, then the incremental refresh the Celery beat
    task runs after 100 new responses and 10 exclusions, and the rows they hold."""
    from django.db import connection

    from apps.insights import cube
    from apps.insights.models import SliceCount, SliceTask
    from apps.surveys.models import Response

    reference = None
    if connection.vendor == "postgresql" and Response.objects.count() <= CUBE_REFERENCE_MAX:
        # The portable path (a statement per figure and dimension) on the same data.
        original = cube._apply_grouping_sets
        cube._apply_grouping_sets = cube._apply_per_dimension
        try:
            started = time.perf_counter()
            cube.rebuild()
            reference = time.perf_counter() - started
        finally:
            cube._apply_grouping_sets = original
    load = [round(x, 2) for x in os.getloadavg()]
    # A first build fills empty tables; a rebuild also deletes the figures already there.
    over_existing = SliceCount.objects.exists()
    started = time.perf_counter()
    cube.rebuild()
    full = time.perf_counter() - started
    live = [_refresh_round(seed=int(time.time()) + i, live=True) for i in range(REFRESH_ROUNDS)]
    incremental, added, removed = sorted(live)[len(live) // 2]
    backdated, _, _ = _refresh_round(seed=int(time.time()) + REFRESH_ROUNDS, live=False)
    subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE insights_slicecount"],
        check=True,
    )
    return {
        "load_average_before": load,
        "full_build_seconds": full,
        "full_build_over_existing_figures": over_existing,
        "full_build_per_dimension_seconds": reference,
        "vs_per_dimension": round(full / reference, 3) if reference else None,
        "incremental_refresh_seconds": incremental,
        "incremental_refresh_rounds": [round(r[0], 3) for r in live],
        "incremental_added": added,
        "incremental_removed": removed,
        "backdated_refresh_seconds": backdated,
        "rows": SliceCount.objects.count() + SliceTask.objects.count(),
    }


REFRESH_ROUNDS = 3


def _refresh_round(*, seed: int, live: bool) -> tuple[float, int, int]:
    """Seconds of what the beat task runs (`refresh_if_stale`: the check, then the refresh)
    after 100 new responses and 10 exclusions, and the responses it added and removed; the
    10 are restored afterwards (refreshed, not timed). `live`: the new responses were
    submitted since the last refresh, as submissions reach a refresh every half minute;
    otherwise they keep the generator's dates, spread over the survey's weeks, as a batch of
    back-dated paper responses would (each adds to figures of other days and weeks)."""
    from django.core.management import call_command
    from django.db import connection

    from apps.insights import cube
    from apps.surveys.models import Response

    before = Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("generate_responses", count=100, seed=seed, verbosity=0)
    if live:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE surveys_response SET started_at = now() - (submitted_at - started_at), "
                "submitted_at = now(), updated_at = now() WHERE id > %s",
                [before],
            )
    excluded = list(Response.objects.included().filter(pk__lte=before).order_by("pk")[:10])
    for response in excluded:
        response.is_excluded = True
        response.save(update_fields=["is_excluded", "updated_at"])
    started = time.perf_counter()
    refreshed = cube.refresh_if_stale()
    seconds = time.perf_counter() - started
    if not refreshed:
        raise RuntimeError("the beat task's refresh did not run (the figures looked current)")
    state = cube.current_build()
    for response in excluded:  # only the 10 excluded here
        response.is_excluded = False
        response.save(update_fields=["is_excluded", "updated_at"])
    cube.refresh()
    return seconds, state.added, state.removed


CUBE_FULL_GOAL = "< 30 s at 100,000; < 5 min at 1,000,000"
CUBE_FULL_LIMITS = {100_000: 30.0, 1_000_000: 300.0}


def cube_summary(size: int, c: dict) -> list[dict]:
    """The convention's summary rows of the cube part at one size (none when not measured)."""
    if "full_build_seconds" not in c or c.get("note"):
        return []
    full, reference = c["full_build_seconds"], c.get("full_build_per_dimension_seconds")
    limit = CUBE_FULL_LIMITS.get(size)
    incremental = c["incremental_refresh_seconds"]
    return [
        {
            "part": "cube",
            "measure": (
                "full rebuild"
                + (
                    " over existing figures"
                    if c.get("full_build_over_existing_figures", True)
                    else " (first build, empty tables)"
                )
                + ("; reference: per-dimension path" if reference else "")
            ),
            "size": size,
            "value": round(full, 2),
            "unit": "s",
            "reference": round(reference, 2) if reference else None,
            "ratio": round(full / reference, 3) if reference else None,
            "goal": CUBE_FULL_GOAL,
            "met": full < limit if limit else None,
        },
        {
            "part": "cube",
            "measure": (
                f"incremental refresh, median of {len(c.get('incremental_refresh_rounds', [0]))} "
                f"({c['incremental_added']} new since the last refresh, "
                f"{c['incremental_removed']} excluded; reference: full rebuild)"
            ),
            "size": size,
            "value": round(incremental, 3),
            "unit": "s",
            "reference": round(full, 2),
            "ratio": round(incremental / full, 4),
            "goal": "< 1 s",
            "met": incremental < 1.0,
        },
    ] + (
        [
            {
                "part": "cube",
                "measure": "incremental refresh, 100 new back-dated over the survey's weeks "
                "(a paper batch) and 10 excluded",
                "size": size,
                "value": round(c["backdated_refresh_seconds"], 3),
                "unit": "s",
                "reference": None,
                "ratio": None,
                "goal": "info",
                "met": None,
            }
        ]
        if "backdated_refresh_seconds" in c
        else []
    )


def measure_exports(size: int) -> dict:
    """Time and peak memory of each export in a separate process, and the raw COPY."""
    out = {}
    for fmt in ("csv", "xlsx"):
        code = (
            f"import sys,json,django;sys.path.insert(0,{str(ROOT)!r});django.setup();"
            f"from bench.export_probe import run;print(json.dumps(run({fmt!r})))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=os.environ, capture_output=True, text=True
        )
        if result.returncode != 0:
            out[fmt] = {"error": result.stderr.strip().splitlines()[-1:]}
        else:
            out[fmt] = json.loads(result.stdout.strip().splitlines()[-1])
    copy_started = time.perf_counter()
    sql = (
        "COPY (SELECT r.*, a.* FROM surveys_response r JOIN surveys_answer a "
        "ON a.response_id = r.id WHERE r.status = 'complete' ORDER BY r.id) TO STDOUT CSV"
    )
    with open(os.devnull, "wb") as sink:
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", sql], stdout=sink, check=True)
    copy_ratings = "COPY (SELECT * FROM surveys_taskrating ORDER BY response_id) TO STDOUT CSV"
    with open(os.devnull, "wb") as sink:
        subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-qc", copy_ratings], stdout=sink, check=True
        )
    out["copy_seconds"] = time.perf_counter() - copy_started
    if "seconds" in out.get("csv", {}):
        out["csv_vs_copy"] = out["csv"]["seconds"] / out["copy_seconds"]
    return out


def main() -> int:
    if not KEEP_DB:
        setup_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from apps.accounts.roles import Role
    from apps.insights import cube
    from apps.surveys.models import Collector, Response, Survey, SurveyVersion
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    if not Survey.objects.exists():
        call_command("seed_content", verbosity=0)
        call_command("seed_survey", verbosity=0)
    client = Client()
    reviewer = get_user_model().objects.filter(username="bench-reviewer").first()
    client.force_login(reviewer or make_user(Role.REVIEWER, username="bench-reviewer"))
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": {},
    }
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current = Response.objects.complete().count()
    pages_load: dict[str, dict] = {}
    for size in SIZES:
        print(f"Generating up to {size:,} responses...", flush=True)
        started = time.perf_counter()
        prepare(size, current)
        current = Response.objects.complete().count()
        generated_in = time.perf_counter() - started
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
        earlier = previous.get("sizes", {}).get(str(size), {})
        kept = {"measured": previous.get("date"), "note": "not measured in this run"}
        cube_times = measure_cube() if "cube" in PARTS else {**earlier.get("cube", {}), **kept}
        collector = Collector.objects.first()
        version = SurveyVersion.objects.first()
        combos = views_for(
            size, filter_combinations(collector.pk if collector else None, version.pk)
        )
        if "pages" in PARTS:
            if "cube" not in PARTS:
                cube.refresh_if_stale()  # the pages read current figures, as in production
            load = [round(x, 2) for x in os.getloadavg()]
            print(
                f"Measuring dashboards at {current:,} responses ({len(combos)} views a page, "
                f"cold and warm; load average {load})...",
                flush=True,
            )
            # As in production, where a broker is configured: the pages check the figures'
            # latest change and leave the full watermark to the beat task
            # (apps/insights/sources.source_for). The figures are current here, so nothing is
            # queued.
            from ostportal.celery_app import app as celery_app

            eager = celery_app.conf.task_always_eager
            celery_app.conf.task_always_eager = False
            try:
                pages = measure_pages(client, combos)
            finally:
                celery_app.conf.task_always_eager = eager
            pages_load[str(size)] = {
                "before": load,
                "after": [round(x, 2) for x in os.getloadavg()],
            }
        else:
            pages = earlier.get("pages", {})
            results.setdefault("kept_from_earlier_run", {})[f"{size} pages"] = kept
        if "exports" in PARTS:
            print("Measuring exports...", flush=True)
            exports = measure_exports(current)
        else:
            exports = {**earlier.get("exports", {}), **kept}
        results["sizes"][str(size)] = {
            "responses": current,
            "generated_seconds": generated_in,
            "cube": cube_times,
            "pages": pages,
            "pages_load_average": pages_load.get(str(size)),
            "exports": exports,
        }
    if KEEP_DB:  # sizes measured by earlier runs and not this one stay in the file
        for size, data in previous.get("sizes", {}).items():
            results["sizes"].setdefault(size, {**data, "kept_from_earlier_run": True})
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: int(kv[0])))
    results["summary"] = page_summary(results["sizes"])
    for size, data in results["sizes"].items():
        results["summary"].extend(cube_summary(int(size), data.get("cube", {})))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    row = "| {:<24} | {:>10} | {:>5} | {:>13} | {:>13} | {:>7} |"
    print()
    print(row.format("page", "responses", "views", "cold p95 ms", "warm p95 ms", "queries"))
    print(row.format("-" * 24, "-" * 10, "-" * 5, "-" * 13, "-" * 13, "-" * 7))
    for data in results["sizes"].values():
        for name, r in data["pages"].items():
            if "cold_p95_ms" not in r:
                continue
            print(
                row.format(
                    name,
                    f"{data['responses']:,}",
                    r["views"],
                    f"{r['cold_p95_ms']:.0f}",
                    f"{r['warm_p95_ms']:.0f}",
                    r["queries_max"],
                )
            )
    print("(goals: p95 under 500 ms cold, under 200 ms warm; queries constant across sizes)")
    print()
    for data in results["sizes"].values():
        c = data["cube"]
        if "full_build_seconds" not in c:
            continue
        print(
            f"{data['responses']:>9,} responses pre-aggregated figures: full build "
            f"{c['full_build_seconds']:.1f} s, incremental refresh "
            f"({c['incremental_added']} added, {c['incremental_removed']} removed) "
            f"{c['incremental_refresh_seconds']:.2f} s, "
            f"{c['rows']:,} rows"
        )
    print()
    for data in results["sizes"].values():
        e = data["exports"]
        for fmt in ("csv", "xlsx"):
            r = e.get(fmt, {})
            if "seconds" in r:
                print(
                    f"{data['responses']:>9,} responses {fmt}: {r['seconds']:.1f} s, "
                    f"peak memory {r['peak_mb']:.0f} MB, {r['rows']:,} rows"
                )
            else:
                print(f"{data['responses']:>9,} responses {fmt}: {r}")
        print(
            f"{data['responses']:>9,} responses raw COPY: {e.get('copy_seconds', 0):.1f} s; "
            f"CSV export / COPY = {e.get('csv_vs_copy', float('nan')):.2f} (target <= 4)"
        )
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
