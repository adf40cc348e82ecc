"""The statements every dashboard page runs on the responses table whatever the pre-aggregated
figures hold: the figures' freshness check (`cube.latest_change`, what a page checks with a
broker; the full `cube.watermark` the beat task checks beside it), the minimum query-set gate
(`selectors.query_set_reaches`, counted up to K, with the exact count beside it), the "nothing
matches" check, the completion funnel and the unfinished responses by week; unfiltered and
with two filters. Not part of `make bench`:

    .venv/bin/python bench/dashboard_floor.py DATABASE_NAME [DATABASE_NAME ...]

on existing benchmark databases (e.g. ones `bench/insights_bench.py` or
`manage.py generate_responses` filled), each measured in its own process, one after the
other. Prints one JSON line a database (per statement the fastest and the median of three
runs, in ms, with the load average) and writes bench/results/dashboard_floor.json with the
convention's "summary" rows (the overview's sum of the three; every page runs the first two).
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
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "bench" / "results" / "dashboard_floor.json"


def timed(fn, runs: int = 3) -> list[int]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - started))
    return [round(min(out)), round(statistics.median(out))]


def measure(database: str) -> int:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=PG.rsplit("/", 1)[0] + "/" + database,
        DJANGO_LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from apps.insights import cube, selectors
    from apps.insights.disclosure import k, key_sum
    from apps.insights.sources import scoped
    from apps.surveys.filters import filtered_responses, funnel_responses
    from apps.surveys.models import Response

    def unfinished(params):
        rows = (
            scoped(funnel_responses(params), params)
            .filter(status=Response.Status.IN_PROGRESS)
            .values(day=TruncDate("started_at"))
            .annotate(n=Count("pk"), ck=key_sum("pk"))
            .order_by()
        )
        return list(rows)

    result = {
        "database": database,
        "responses": Response.objects.count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    for label, params in (
        ("unfiltered", {}),
        ("state+setting", {"state": "CA", "setting": "school_campus"}),
    ):
        result[label] = {
            "freshness": timed(cube.latest_change),
            "watermark": timed(cube.watermark),
            # What the gate runs (counted up to K); the exact count beside it for comparison.
            "query_set_size": timed(lambda p=params: selectors.query_set_reaches(p, k())),
            "query_set_exact": timed(lambda p=params: selectors.query_set_size(p)),
            "nothing_matches": timed(lambda p=params: filtered_responses(p).exists()),
            "funnel": timed(lambda p=params: selectors.completion_funnel(p)),
            "unfinished_by_week": timed(lambda p=params: unfinished(p)),
        }
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))
    return 0


def main() -> int:
    runs = []
    for database in sys.argv[1:]:
        out = subprocess.run(
            [sys.executable, __file__, "--one", database],
            capture_output=True,
            text=True,
            check=True,
        )
        line = out.stdout.strip().splitlines()[-1]
        print(line, flush=True)
        runs.append(json.loads(line))
    summary = []
    for run in runs:
        for label in ("unfiltered", "state+setting"):
            value = sum(run[label][k][0] for k in ("freshness", "query_set_size", "funnel"))
            summary.append(
                {
                    "part": "dashboards",
                    "measure": f"overview: freshness check + gate count + funnel ({label})",
                    "size": run["responses"],
                    "value": float(value),
                    "unit": "ms",
                    "reference": None,
                    "ratio": None,
                    "goal": "< 500 ms (a page's whole budget)",
                    "met": value < 500,
                }
            )
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.node()} {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "runs": runs,
                "summary": summary,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        sys.exit(measure(sys.argv[2]))
    sys.exit(main())
