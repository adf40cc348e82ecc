"""`make bench`, dashboards and exports part: at 10,000 and 100,000 synthetic responses on
PostgreSQL, each dashboard page's p50/p95 over the unfiltered view and twenty filter
combinations, and the CSV/XLSX exports' time and peak memory against a raw PostgreSQL COPY
of the same rows. Prints a table and writes bench/results/insights.json.

BENCH_SIZES (default "10000,100000") picks the data sizes.
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
DB_NAME = "ostportal_bench_insights"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
RESULTS = ROOT / "bench" / "results" / "insights.json"

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

    from apps.insights import cube
    from apps.insights.models import SliceCount, SliceTask
    from apps.surveys.models import Response

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
        "full_build_seconds": full,
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
    current = 0
    for size in SIZES:
        print(f"Generating up to {size:,} responses...", flush=True)
        started = time.perf_counter()
        prepare(size, current)
        current = Response.objects.complete().count()
        generated_in = time.perf_counter() - started
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
        cube_times = measure_cube()
        collector = Collector.objects.first()
        version = SurveyVersion.objects.first()
        combos = filter_combinations(collector.pk if collector else None, version.pk)
        print(
            f"Measuring dashboards at {current:,} responses ({len(combos)} views a page)...",
            flush=True,
        )
        pages = measure_pages(client, combos)
        print("Measuring exports...", flush=True)
        exports = measure_exports(current)
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
            f"{data['responses']:>9,} responses raw COPY: {e['copy_seconds']:.1f} s; "
            f"CSV export / COPY = {e.get('csv_vs_copy', float('nan')):.2f} (target <= 4)"
        )
    worst = max(r["p95_ms"] for d in results["sizes"].values() for r in d["pages"].values())
    print(f"\nworst dashboard p95: {worst:.0f} ms (target < 500 ms at 100,000 responses)")
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
