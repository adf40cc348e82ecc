"""`make bench`, survey part: page POSTs and complete responses under gunicorn on PostgreSQL,
against a bare Django view (validate a small form, save one row) as the reference.

Prints a table and writes bench/results/survey.json. Needs PostgreSQL and Redis on loopback
(BENCH_PG_URL, BENCH_REDIS_URL to override; BENCH_SURVEY_DB names the database,
BENCH_REDIS_BROKER_DB and BENCH_REDIS_CACHE_DB the Redis databases, 5 and 6 by default).

Its "summary" rows (the one table of `make bench`, bench/report.py) are the figures only this
part gives: whole responses completed a second and the answers they store, with the Python
client's role-page cost against the bare view. The goals on page POSTs are measured by
bench/submit_bench.py (wrk); this part's ratio is shown for continuity with its older runs.
"""

import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_client import Browser, percentile  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
DB_NAME = os.environ.get("BENCH_SURVEY_DB", "ostportal_bench")
REDIS_BROKER_DB = os.environ.get("BENCH_REDIS_BROKER_DB", "5")
REDIS_CACHE_DB = os.environ.get("BENCH_REDIS_CACHE_DB", "6")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8790"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
RESULTS = ROOT / "bench" / "results" / "survey.json"


def bench_env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME,
        CELERY_BROKER_URL=f"{REDIS}/{REDIS_BROKER_DB}",
        REDIS_CACHE_URL=f"{REDIS}/{REDIS_CACHE_DB}",
        DJANGO_LOG_LEVEL="WARNING",
        # One client address sends everything here; keep the per-address limits out of the way.
        SURVEY_START_RATE_LIMIT="1000000/h",
        SURVEY_SUBMIT_RATE_LIMIT="1000000/h",
        SURVEY_MIN_SECONDS="0",
    )
    return env


def run(cmd: list[str], env: dict) -> str:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def prepare_database(env: dict) -> None:
    psql = ["psql", PG_ADMIN, "-qc"]
    subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True, capture_output=True)
    subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    manage = [sys.executable, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v", "0"], env)
    run(manage + ["seed_content"], env)
    run(manage + ["seed_survey"], env)
    run(manage + ["collectstatic", "--noinput", "-v", "0"], env)


def survey_plan(env: dict) -> dict:
    """The POST data of every page on the paid frontline path, from the real survey structure."""
    code = (
        "import json,django;django.setup();"
        "from apps.surveys.models import Survey;"
        "from apps.surveys.selectors import survey_published_version,version_structure;"
        "from apps.surveys.selectors import tasks_for_role;"
        "from apps.surveys.sample import sample_page_data;"
        "s=Survey.objects.get(slug='ost-roles-duties');st=version_structure(survey_published_version(s));"
        "rt,_=tasks_for_role('frontline');"
        "print(json.dumps({'landing':s.get_absolute_url(),"
        "'pages':{p.key:sample_page_data(p,role_tasks=rt) for p in st.pages}}))"
    )
    return json.loads(run([sys.executable, "-c", code], env))


def count_rows(env: dict) -> dict:
    code = (
        "import json,django;django.setup();"
        "from apps.surveys.models import Answer,TaskRating,Response;"
        "from bench.reference.models import ReferenceRow;"
        "print(json.dumps({'answers':Answer.objects.count(),'ratings':TaskRating.objects.count(),"
        "'complete':Response.objects.complete().count(),'reference':ReferenceRow.objects.count()}))"
    )
    return json.loads(run([sys.executable, "-c", code], env))


def start_server(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ostportal.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Browser(HOST, PORT).get("/robots.txt").status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start: " + (server.stderr.read() if server.stderr else ""))


def load(worker, seconds: float, concurrency: int) -> dict:
    """Run `worker(stop_at, latencies, errors)` in `concurrency` threads for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    extra = [0] * concurrency
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=worker, args=(stop_at, latencies[i], errors, i, extra))
        for i in range(concurrency)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    flat = [x for lat in latencies for x in lat]
    return {
        "requests": len(flat),
        "per_second": len(flat) / elapsed,
        "p50_ms": 1000 * percentile(flat, 50),
        "p95_ms": 1000 * percentile(flat, 95),
        "p99_ms": 1000 * percentile(flat, 99),
        "errors": sum(errors),
        "elapsed_s": elapsed,
        "completed": sum(extra),
    }


def reference_worker(stop_at, latencies, errors, index, extra):
    browser = Browser(HOST, PORT)
    browser.get("/bench/reference/")
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        result = browser.post("/bench/reference/", {"name": f"row {index}-{n}", "count": n % 1000})
        latencies.append(result.seconds)
        if result.status != 302:
            errors[index] += 1


def start_response(browser: Browser, plan: dict) -> str:
    browser.get(plan["landing"])
    result = browser.post(plan["landing"], {})
    if result.status != 302:
        raise RuntimeError(f"start failed: {result.status}")
    return result.location


def page_worker_factory(plan):
    """Each client answers the role page over and over (each POST saves that page)."""

    def worker(stop_at, latencies, errors, index, extra):
        browser = Browser(HOST, PORT)
        first = start_response(browser, plan)
        browser.post(first, plan["pages"]["eligibility"])
        role_url = first.replace("/page/eligibility/", "/page/role/")
        while time.monotonic() < stop_at:
            result = browser.post(role_url, plan["pages"]["role"])
            latencies.append(result.seconds)
            if result.status != 302:
                errors[index] += 1

    return worker


def complete_worker_factory(plan):
    """Each client completes whole responses: every page, every shown task rated."""

    def worker(stop_at, latencies, errors, index, extra):
        while time.monotonic() < stop_at:
            browser = Browser(HOST, PORT)
            url = start_response(browser, plan)
            for _ in range(len(plan["pages"]) + 8):
                key = url.split("?")[0].rstrip("/").split("/")[-1]
                result = browser.post(url, plan["pages"][key])
                latencies.append(result.seconds)
                if result.status != 302:
                    errors[index] += 1
                    break
                url = result.location
                if "/thanks/" in url:
                    extra[index] += 1
                    break

    return worker


def summary_rows(reference: dict, page_posts: dict, complete: dict, ratio: float) -> list[dict]:
    """The rows of the one table (see bench/report.py): size-independent, so size is null."""
    clients = f"Python client, {CONCURRENCY} clients"
    errors = page_posts["errors"] + complete["errors"] + reference["errors"]
    return [
        {
            "part": "survey",
            "measure": f"complete responses/s, every page ({clients})",
            "size": None,
            "value": round(complete["responses_per_second"], 2),
            "unit": "responses/s",
            "reference": None,
            "ratio": None,
            "goal": "reported",
            "met": None,
        },
        {
            "part": "survey",
            "measure": "answers and ratings stored/s by those responses",
            "size": None,
            "value": round(complete["answers_stored_per_second"], 1),
            "unit": "rows/s",
            "reference": None,
            "ratio": None,
            "goal": "reported",
            "met": None,
        },
        {
            "part": "survey",
            "measure": f"role page POST vs bare view, cost ({clients})",
            "size": None,
            "value": round(page_posts["per_second"], 1),
            "unit": "req/s",
            "reference": round(reference["per_second"], 1),
            "ratio": round(ratio, 2),
            "goal": "info (goal measured by wrk)",
            "met": None,
        },
        {
            "part": "survey",
            "measure": "requests refused or failed, all phases",
            "size": None,
            "value": errors,
            "unit": "",
            "reference": None,
            "ratio": None,
            "goal": "0",
            "met": errors == 0,
        },
    ]


def main() -> int:
    started = time.monotonic()
    env = bench_env()
    print(f"Preparing {DB_NAME} on PostgreSQL (migrate, seed, collectstatic)...", flush=True)
    prepare_database(env)
    plan = survey_plan(env)
    server = start_server(env)
    try:
        for warm in (reference_worker, page_worker_factory(plan)):
            load(warm, 2, 4)
        print(
            f"Running: {CONCURRENCY} clients, {SECONDS:.0f} s a phase, "
            f"gunicorn {WORKERS} sync workers...",
            flush=True,
        )
        load_before = [round(x, 2) for x in os.getloadavg()]
        reference = load(reference_worker, SECONDS, CONCURRENCY)
        page_posts = load(page_worker_factory(plan), SECONDS, CONCURRENCY)
        before = count_rows(env)
        complete = load(complete_worker_factory(plan), SECONDS, CONCURRENCY)
        after = count_rows(env)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stored = (after["answers"] - before["answers"]) + (after["ratings"] - before["ratings"])
    complete["responses_per_second"] = complete["completed"] / complete["elapsed_s"]
    complete["answers_stored_per_second"] = stored / complete["elapsed_s"]
    ratio = reference["per_second"] / page_posts["per_second"]
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "concurrency": CONCURRENCY,
        "seconds_per_phase": SECONDS,
        "gunicorn_workers": WORKERS,
        "reference_bare_view": reference,
        "survey_page_post": page_posts,
        "complete_responses": complete,
        "cost_ratio_page_post_vs_reference": ratio,
        "target_ratio_at_most": 3.0,
        "meets_target": ratio <= 3.0 and page_posts["errors"] == 0 and complete["errors"] == 0,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "elapsed_s": round(time.monotonic() - started, 1),
        "summary": summary_rows(reference, page_posts, complete, ratio),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    row = "| {:<34} | {:>9} | {:>8} | {:>8} | {:>8} | {:>6} |"
    print()
    print(row.format("phase", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"))
    print(row.format("-" * 34, "-" * 9, "-" * 8, "-" * 8, "-" * 8, "-" * 6))
    for name, r in [
        ("reference: bare form view", reference),
        ("survey page POST (role page)", page_posts),
        ("complete responses (all pages)", complete),
    ]:
        print(
            row.format(
                name,
                f"{r['per_second']:.1f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                r["errors"],
            )
        )
    print()
    print(
        f"complete responses/s: {complete['responses_per_second']:.2f}; "
        f"answers stored/s: {complete['answers_stored_per_second']:.0f}"
    )
    print(
        f"page POST cost vs reference (throughput ratio): {ratio:.2f} (target <= 3.00): "
        f"{'MET' if results['meets_target'] else 'NOT MET'}"
    )
    print(f"results written to {RESULTS.relative_to(ROOT)}; elapsed {results['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
