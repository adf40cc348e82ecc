"""Generating synthetic data and writing XLSX, on PostgreSQL: how long generating N
responses takes (bench/dataset.py's shared `ostportal_bench_<N>` database, built by
`generate_responses`' bulk load in a child process with its peak memory, or reused with the
figures of its build; its rate against the unpooled walk and the former bulk_create path on a
small batch in the same run), and the responses XLSX export with XlsxWriter's constant_memory
mode against openpyxl's write-only mode on the same data (each export in a fresh process: time
and peak resident memory). Every measurement carries the load average read just before it.
Writes bench/results/data.json, with its one-table rows under "summary".

BENCH_SIZES (default "10000,100000") picks the data sizes (BENCH_REBUILD=1 generates their
databases even when reusable); the samples go in BENCH_DATA_DB: "walk_sample" is the
unpooled path on BENCH_ORM_SAMPLE responses in the same run, the reference of
"vs_walk_sample"; BENCH_ORM_SAMPLE (default 2000) the responses written through bulk_create
for the comparison; BENCH_EXPORTS=0 skips the exports; BENCH_COMPARE_MAX (default
10000) the largest size at which XlsxWriter's per-cell path (bench/xlsx_cells.py, the
reference of "xlsx_vs_cells") and, with BENCH_OPENPYXL=1, openpyxl are timed too.
BENCH_KEEP_DB=1 continues on the results file of an earlier run (adding the sizes asked).

Exports (each in a fresh process: wall time, CPU time of the process, peak resident memory):
the responses CSV zip against `copy_reference`, a psql COPY of the same columns the export
reads (the exporter's own three queries: responses, answers, ratings; "csv_vs_copy" = CSV
seconds / COPY seconds); the XLSX (and the rows alone, without a writer) up to
BENCH_XLSX_MAX responses (default 100000), timed
BENCH_XLSX_RUNS times (default 1; the summary keeps the fastest, each run with its load).
The summary rows (see BRIEF's convention) are rebuilt from every size in the file.
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
COMPARE_MAX = int(os.environ.get("BENCH_COMPARE_MAX", "10000"))
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
EXPORTS = os.environ.get("BENCH_EXPORTS", "1") == "1"  # 0: generation only
OPENPYXL = os.environ.get("BENCH_OPENPYXL") == "1"  # 1: time openpyxl's writer too
RESULTS = ROOT / "bench" / "results" / "data.json"
XLSX_MAX = int(os.environ.get("BENCH_XLSX_MAX", "100000"))
# The XLSX goal is at 100,000 responses: a run whose sizes are all larger (BENCH_SIZES=1000000)
# measures the exports at BENCH_XLSX_MAX too, so every export goal is in the run's table.
if EXPORTS and XLSX_MAX and not any(size <= XLSX_MAX for size in SIZES):
    SIZES = sorted({*SIZES, XLSX_MAX})
XLSX_RUNS = int(os.environ.get("BENCH_XLSX_RUNS", "1"))

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


def export_queries() -> list[str]:
    """The three queries the responses export streams (no filters), as SQL for psql."""
    from django.db import connection

    from apps.surveys.exporters import _RESPONSE_FIELDS, _all_matching
    from apps.surveys.models import Answer, TaskRating
    from apps.surveys.selectors import AnswerRow

    matching = _all_matching({}).order_by()
    ids = matching.values("pk")
    querysets = (
        matching.order_by("pk").values_list(*_RESPONSE_FIELDS),
        Answer.objects.filter(response_id__in=ids)
        .order_by("response_id", "id")
        .values_list("response_id", *AnswerRow._fields),
        TaskRating.objects.filter(response_id__in=ids)
        .order_by("response_id", "id")
        .values_list("response_id", "task_id", "is_relevant", "importance", "frequency"),
    )
    out = []
    with connection.cursor() as cursor:
        for queryset in querysets:
            sql, params = queryset.query.sql_with_params()
            out.append(cursor.mogrify(sql, params).decode())
    return out


def copy_reference() -> dict:
    """psql COPY ... TO STDOUT WITH CSV HEADER of the export's three queries, to /dev/null:
    the same columns and rows the export reads, as PostgreSQL writes them out."""
    load = load_average()
    started = time.perf_counter()
    for sql in export_queries():
        with open(os.devnull, "wb") as sink:
            subprocess.run(
                ["psql", "-X", os.environ["DATABASE_URL"], "-qc",
                 f"COPY ({sql}) TO STDOUT WITH CSV HEADER"],
                stdout=sink, check=True,
            )  # fmt: skip
    return {"seconds": round(time.perf_counter() - started, 2), "load_average_before": load}


def _row(measure, size, value, unit, goal, met, reference=None, ratio=None) -> dict:
    return {
        "part": "exports", "measure": measure, "size": size, "value": value, "unit": unit,
        "reference": reference, "ratio": ratio, "goal": goal, "met": met,
    }  # fmt: skip


def export_summary(sizes: dict) -> list[dict]:
    """The convention's summary rows for the exports of every size in the file."""
    rows = []
    for size_text, entry in sorted(sizes.items(), key=lambda item: int(item[0])):
        size = int(size_text)
        csv_run, copy = entry.get("csv", {}), entry.get("copy_reference", {})
        if "seconds" in csv_run and "seconds" in copy:
            ratio = round(csv_run["seconds"] / copy["seconds"], 2)
            rows.append(
                _row("CSV export / COPY", size, csv_run["seconds"], "s", "<= 2x COPY",
                     ratio <= 2, copy["seconds"], ratio)
            )  # fmt: skip
        runs = [run for run in entry.get("xlsx_runs", []) if "seconds" in run]
        if runs:
            best = min(runs, key=lambda run: run["seconds"])
            fast = best["seconds"] < 60
            rows.append(_row("XLSX export", size, best["seconds"], "s", "< 60 s", fast))
            cpu = best["cpu_seconds"]
            rows.append(_row("XLSX export, CPU time of the process", size, cpu, "s", "", None))
        for name, peaks in (("CSV", [csv_run]), ("XLSX", runs)):
            peak = max((run["peak_mb"] for run in peaks if "peak_mb" in run), default=None)
            if peak is not None:
                memory = f"{name} export peak memory"
                rows.append(_row(memory, size, peak, "MB", "< 200 MB", peak < 200))
    return rows


def measure_exports(entry: dict, size: int) -> None:
    if size <= XLSX_MAX:  # the rows alone: XLSX minus rows_only is the writer's share
        entry["rows_only"] = export("rows")
    entry["csv"] = export("csv")
    entry["copy_reference"] = copy_reference()
    if "seconds" in entry["csv"]:
        copy = entry["copy_reference"]["seconds"]
        entry["csv_vs_copy"] = round(entry["csv"]["seconds"] / copy, 2)
    if size <= XLSX_MAX:
        entry["xlsx_runs"] = [export("xlsx", "xlsxwriter") for _ in range(XLSX_RUNS)]
        entry["xlsx_xlsxwriter"] = min(
            entry["xlsx_runs"], key=lambda run: run.get("seconds", float("inf"))
        )


GENERATION_PART = "test data"
GENERATION_GOAL = 1700  # responses/s: 1,000,000 in under 10 minutes


def summary_rows(results: dict) -> list[dict]:
    """The one-table rows of the generation part (rows of other parts are kept as they are)."""
    rows = []
    for size, entry in results["sizes"].items():
        step = entry.get("generate")
        if not step or "seconds" not in step:
            continue
        size = int(size)
        reused = f" (database built {step['built']}, reused)" if step.get("reused") else ""
        same_run = "vs_walk_sample" in step  # set only when the walk ran in the same run
        rate_reference = results["walk_sample"]["responses_per_second"] if same_run else None
        rate = step["responses"] / step["seconds"]
        rows += [
            {
                "part": GENERATION_PART,
                "measure": f"generate {size:,} responses{reused}",
                "size": size,
                "value": round(rate),
                "unit": "responses/s",
                "reference": rate_reference,
                "ratio": round(rate / rate_reference, 2) if rate_reference else None,
                "goal": f"> {GENERATION_GOAL:,} responses/s (1,000,000 in < 10 min)",
                "met": rate > GENERATION_GOAL,
            },
            {
                "part": GENERATION_PART,
                "measure": f"generate {size:,} responses: time{reused}",
                "size": size,
                "value": step["seconds"],
                "unit": "s",
                "reference": None,
                "ratio": None,
                "goal": f"< {size / GENERATION_GOAL:,.0f} s",
                "met": step["seconds"] < size / GENERATION_GOAL,
            },
        ]
        if "peak_mb" in step:
            rows.append(
                {
                    "part": GENERATION_PART,
                    "measure": f"generate {size:,} responses: peak memory{reused}",
                    "size": size,
                    "value": step["peak_mb"],
                    "unit": "MB",
                    "reference": None,
                    "ratio": None,
                    "goal": "< 200 MB",
                    "met": step["peak_mb"] < 200,
                }
            )
    others = [r for r in results.get("summary", []) if r.get("part") != GENERATION_PART]
    return rows + others


def all_rows(results: dict) -> list[dict]:
    """Generation rows and export rows of every size in the file."""
    generation = [r for r in summary_rows(results) if r["part"] == GENERATION_PART]
    return generation + export_summary(results["sizes"])


def main() -> int:
    psql = ["psql", PG_ADMIN, "-qc"]
    if not KEEP_DB:
        subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
        subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    import django

    django.setup()
    from django.core.management import call_command

    from apps.surveys.models import Response
    from bench import dataset

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
        # The shared bench/dataset.py database of `size` responses: generated by the
        # generator's bulk load in a child process (or reused, with the figures of its build).
        dataset.use(DB_NAME)
        marker = dataset.ensure(size)
        dataset.use(dataset.name(size))
        step = {**marker["generate"], "path": "bulk_load", "reused": marker["reused"]}
        step["built"] = marker["built"]
        if not marker["reused"] and not KEEP_DB:
            # Same run, same machine: how many times the unpooled walk's rate (not with
            # BENCH_KEEP_DB: the sample is an earlier run's).
            step["vs_walk_sample"] = round(
                step["responses_per_second"] / results["walk_sample"]["responses_per_second"], 2
            )
        earlier = results["sizes"].get(str(size), {})
        entry = {**earlier, "generate": step, "total_responses": Response.objects.count()}
        results["sizes"][str(size)] = entry
        results["summary"] = all_rows(results)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(json.dumps({size: entry}, indent=2), flush=True)
        if not EXPORTS:
            continue
        measure_exports(entry, size)
        results["summary"] = all_rows(results)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        if size <= min(COMPARE_MAX, XLSX_MAX):
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
