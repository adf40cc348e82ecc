"""Generating synthetic data and writing XLSX, on PostgreSQL: how long `generate_responses`
takes (COPY, against the former bulk_create path on a small batch in the same run), and the
responses XLSX export with XlsxWriter's constant_memory mode against openpyxl's write-only
mode on the same data (each export in a fresh process: time and peak resident memory).
Every measurement carries the load average read just before it. Writes
bench/results/data.json.

BENCH_SIZES (default "10000,100000") picks the data sizes (generation is pooled past 2,000
responses: see devtools/synthetic.py; "walk_sample" is the unpooled path on BENCH_ORM_SAMPLE
responses in the same run, the reference of "vs_walk_sample"); BENCH_ORM_SAMPLE (default 2000)
the responses written through bulk_create for the comparison; BENCH_EXPORTS=0 skips the
exports; BENCH_COMPARE_MAX (default
100000) the largest size at which XlsxWriter's per-cell path (bench/xlsx_cells.py, the
reference of "xlsx_vs_cells") and, with BENCH_OPENPYXL=1, openpyxl are timed too.
BENCH_KEEP_DB=1 continues on the database and results file of an earlier run (adding the
sizes not yet measured).
"""

import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DATA_DB", "ostportal_bench_data")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
ORM_SAMPLE = int(os.environ.get("BENCH_ORM_SAMPLE", "2000"))
COMPARE_MAX = int(os.environ.get("BENCH_COMPARE_MAX", "100000"))
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
EXPORTS = os.environ.get("BENCH_EXPORTS", "1") == "1"  # 0: generation only
OPENPYXL = os.environ.get("BENCH_OPENPYXL") == "1"  # 1: time openpyxl's writer too
RESULTS = ROOT / "bench" / "results" / "data.json"

os.environ.update(
    DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
    DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
    DJANGO_ALLOWED_HOSTS="testserver",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME,
    DJANGO_LOG_LEVEL="ERROR",
)
os.environ.pop("REDIS_CACHE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def generate(count: int, seed: int, *, orm: bool = False, pool: int | None = None) -> dict:
    """`count` responses through the generator; `orm` forces the bulk_create path; `pool`
    sets how many respondents walk the survey (`pool=count`: every one, the unpooled path)."""
    from apps.surveys.models import Survey
    from devtools import synthetic

    load = load_average()
    survey = Survey.objects.get(slug="ost-roles-duties")
    original = synthetic._can_copy
    if orm:
        synthetic._can_copy = lambda: False
    try:
        summary = synthetic.synthetic_responses_generate(
            survey=survey, count=count, seed=seed, pool=pool
        )
    finally:
        synthetic._can_copy = original
    rows = summary.responses + summary.answers + summary.ratings + summary.contacts
    return {
        "path": "bulk_create" if orm else "copy" if summary.walked == count else "pooled",
        "responses": summary.responses,
        "walked": summary.walked,
        "rows": rows,
        "seconds": round(summary.seconds, 2),
        "responses_per_second": round(summary.responses / summary.seconds),
        "rows_per_second": round(rows / summary.seconds),
        "load_average_before": load,
    }


def planning_only(count: int) -> dict:
    """The generator's Python side alone (no database writes): how much of the time is it."""
    import random

    from django.utils import timezone

    from apps.surveys.models import Survey
    from apps.surveys.selectors import survey_published_version, version_structure
    from devtools import synthetic

    load = load_average()
    survey = Survey.objects.get(slug="ost-roles-duties")
    structure = version_structure(survey_published_version(survey))
    generator = synthetic._Generator(structure, random.Random(1), [], timezone.now())
    started = time.perf_counter()
    for _ in range(count):
        generator.remember(generator.plan())
    seconds = time.perf_counter() - started
    return {
        "responses": count,
        "seconds": round(seconds, 2),
        "microseconds_per_response": round(1e6 * seconds / count),
        "load_average_before": load,
    }


def export(fmt: str, writer: str = "xlsxwriter") -> dict:
    load = load_average()
    code = (
        f"import sys,json,django;sys.path.insert(0,{str(ROOT)!r});django.setup();"
        f"from bench.export_probe import run;print(json.dumps(run({fmt!r}, {writer!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=os.environ, capture_output=True, text=True
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:], "load_average_before": load}
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out["load_average_before"] = load
    out["load_average_after"] = load_average()
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}


def main() -> int:
    psql = ["psql", PG_ADMIN, "-qc"]
    if not KEEP_DB:
        subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
        subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    import django

    django.setup()
    from django.core.management import call_command

    from apps.surveys.models import Response

    if KEEP_DB:
        results = json.loads(RESULTS.read_text())
    else:
        call_command("migrate", verbosity=0)
        call_command("seed_survey", verbosity=0)
        results = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": (
                f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}"
            ),
            "postgresql": subprocess.run(
                ["psql", PG_ADMIN, "-tAc", "SHOW server_version"], capture_output=True, text=True
            ).stdout.strip(),
            "note": "Shared 2-core machine with other sessions running: see each load average.",
            "orm_sample": generate(ORM_SAMPLE, seed=1, orm=True),
            "walk_sample": generate(ORM_SAMPLE, seed=2, pool=ORM_SAMPLE),
            "planning_only": planning_only(ORM_SAMPLE),
            "sizes": {},
        }
        print(
            json.dumps(
                {k: results[k] for k in ("orm_sample", "walk_sample", "planning_only")}, indent=2
            )
        )
    for size in SIZES:
        current = Response.objects.count()
        step = generate(size - current, seed=size) if size > current else None
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
        earlier = results["sizes"].get(str(size), {})
        if step is None:
            step = earlier.get("generate")
        elif results.get("walk_sample"):
            # Same run, same machine: how many times the unpooled walk's rate.
            step["vs_walk_sample"] = round(
                step["responses_per_second"] / results["walk_sample"]["responses_per_second"], 2
            )
        entry = {**earlier, "generate": step, "total_responses": Response.objects.count()}
        results["sizes"][str(size)] = entry
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(json.dumps({size: entry}, indent=2), flush=True)
        if not EXPORTS:
            continue
        entry["rows_only"] = export("rows")
        entry["xlsx_xlsxwriter"] = export("xlsx", "xlsxwriter")
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        if size <= COMPARE_MAX:
            entry["xlsx_xlsxwriter_cells"] = export("xlsx", "xlsxwriter_cells")
            fast, cells = entry["xlsx_xlsxwriter"], entry["xlsx_xlsxwriter_cells"]
            if "seconds" in fast and "seconds" in cells:
                # Same data, same run: the row writer against XlsxWriter's per-cell methods.
                entry["xlsx_vs_cells"] = round(fast["seconds"] / cells["seconds"], 2)
            if OPENPYXL:
                entry["xlsx_openpyxl"] = export("xlsx", "openpyxl")
        print(json.dumps({size: entry}, indent=2), flush=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
