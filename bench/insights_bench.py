"""`make bench`, dashboards and exports part: at 10,000 and 100,000 synthetic responses on
PostgreSQL, each dashboard page's p50/p95 over the unfiltered view and twenty filter
combinations, and the CSV/XLSX exports' time and peak memory against a raw PostgreSQL COPY
of the same rows. Prints a table and writes bench/results/insights.json.

BENCH_SIZES (default "10000,100000") picks the data sizes. BENCH_PARTS (default
"cube,pages,exports") picks what is measured; parts left out keep the figures of the
results file already there, marked with that file's date. At sizes up to
BENCH_CUBE_REFERENCE_MAX (default 10000) the full build is also timed through the portable
per-dimension path (the one SQLite uses), the same-run reference of "vs_per_dimension".
"""

import json
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
    "insights:overview",
    "insights:duties",
    "insights:titles",
    "insights:crosswalk",
    "insights:workforce",
    "insights:open_answers",
]


def filter_combinations(collector_id: int | None, version_id: int) -> list[dict]:
    today = datetime.now(UTC).date()
    month_ago = today.fromordinal(today.toordinal() - 30).isoformat()
    combos = [
        {"state": "CA"},
        {"state": "TX"},
        {"state": "WY"},
        {"role": "frontline"},
        {"role": "site_lead"},
        {"role": "tutor"},
        {"setting": "school_campus"},
        {"setting": "parks_rec"},
        {"date_from": month_ago},
        {"version": version_id},
        {"flagged": "on"},
        {"state": "CA", "role": "frontline"},
        {"state": "NY", "role": "site_lead"},
        {"role": "frontline", "setting": "community_org"},
        {"date_from": month_ago, "role": "frontline"},
        {"state": "TX", "date_from": month_ago},
        {"role": "coach", "state": "FL"},
        {"setting": "ymca_bgc", "flagged": "on"},
        {"state": "CA", "role": "frontline", "setting": "school_campus"},
    ]
    if collector_id:
        combos.append({"collector": collector_id})
    else:
        combos.append({"role": "specialist"})
    return [{}] + combos


def prepare(size: int, current: int) -> None:
    from django.core.management import call_command

    if size > current:
        call_command("generate_responses", count=size - current, seed=size, verbosity=0)


def measure_pages(client, combos) -> dict:
    from django.core.cache import cache
    from django.urls import reverse

    results = {}
    for name in PAGES:
        url = reverse(name)
        client.get(url)  # warm the survey-structure cache (not a data cache)
        times = []
        for params in combos:
            cache.clear()
            started = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (name, params, response.status_code)
        times.sort()
        results[name] = {
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "max_ms": 1000 * times[-1],
            "views": len(times),
        }
    return results


def measure_cube() -> dict:
    """The pre-aggregated figures: a full build, then the incremental refresh the Celery beat
    task runs after 100 new responses and 10 exclusions, and the rows they hold."""
    from django.core.management import call_command
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
    started = time.perf_counter()
    cube.rebuild()
    full = time.perf_counter() - started
    call_command("generate_responses", count=100, seed=int(time.time()), verbosity=0)
    for response in Response.objects.included().order_by("pk")[:10]:
        response.is_excluded = True
        response.save(update_fields=["is_excluded", "updated_at"])
    started = time.perf_counter()
    state = cube.refresh()
    incremental = time.perf_counter() - started
    for response in Response.objects.filter(is_excluded=True):
        response.is_excluded = False
        response.save(update_fields=["is_excluded", "updated_at"])
    cube.refresh()
    subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE insights_slicecount"],
        check=True,
    )
    return {
        "load_average_before": load,
        "full_build_seconds": full,
        "full_build_per_dimension_seconds": reference,
        "vs_per_dimension": round(full / reference, 3) if reference else None,
        "incremental_refresh_seconds": incremental,
        "incremental_added": state.added,
        "incremental_removed": state.removed,
        "rows": SliceCount.objects.count() + SliceTask.objects.count(),
    }


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
    psql = ["psql", PG_ADMIN, "-qc"]
    subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True, capture_output=True)
    subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from apps.accounts.roles import Role
    from apps.surveys.models import Collector, Response, SurveyVersion
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    call_command("seed_content", verbosity=0)
    call_command("seed_survey", verbosity=0)
    client = Client()
    client.force_login(make_user(Role.REVIEWER, username="bench-reviewer"))
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": {},
    }
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current = 0
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
        combos = filter_combinations(collector.pk if collector else None, version.pk)
        if "pages" in PARTS:
            print(
                f"Measuring dashboards at {current:,} responses ({len(combos)} views a page)...",
                flush=True,
            )
            pages = measure_pages(client, combos)
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
            "exports": exports,
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    row = "| {:<26} | {:>10} | {:>9} | {:>9} | {:>9} |"
    print()
    print(row.format("page", "responses", "p50 ms", "p95 ms", "max ms"))
    print(row.format("-" * 26, "-" * 10, "-" * 9, "-" * 9, "-" * 9))
    for data in results["sizes"].values():
        for name, r in data["pages"].items():
            print(
                row.format(
                    name,
                    f"{data['responses']:,}",
                    f"{r['p50_ms']:.0f}",
                    f"{r['p95_ms']:.0f}",
                    f"{r['max_ms']:.0f}",
                )
            )
    print()
    for data in results["sizes"].values():
        c = data["cube"]
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
    print()
    for data in results["sizes"].values():
        worst = max((r["p95_ms"] for r in data["pages"].values()), default=float("nan"))
        print(f"worst dashboard p95 at {data['responses']:,} responses: {worst:.0f} ms")
    print("(target: every page's p95 under 500 ms at 100,000 responses)")
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
