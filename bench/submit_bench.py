"""`make bench` (alone: `make bench-submit`), submitting part: page POSTs measured with one
compiled load generator (wrk) against one gunicorn (2 sync workers) on PostgreSQL, with a bare
Django view saving one row as the reference, all in the same run.

Every wrk connection saves its own RESPONDENTS respondents in turn (each with its own session
cookie, CSRF token and page), created beforehand over HTTP; every request carries a fresh
submission key, so each accepted POST is
one PageSubmission row (one ReferenceRow for the bare view). "0 lost": accepted responses seen
by wrk equal the rows stored (counted in the database before and after each run).

Each run also times complete responses (landing to thank-you page, both duties passes) with
the Python client, CONNECTIONS respondents at once; a finished response must be stored.

Prints a table and writes bench/results/submit.json, with the load average and the "summary"
rows of the one table. Needs wrk (`apt-get install -y wrk`), PostgreSQL and Redis on loopback
(BENCH_PG_URL, BENCH_REDIS_URL, BENCH_REDIS_DB, BENCH_DB, BENCH_SUBMIT_PORT to override).
"""

import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import survey_bench  # noqa: E402
from bench.http_client import Browser  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "ostportal_bench_submit")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_SUBMIT_PORT", "8791"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
# Respondents a connection saves in turn. A real respondent saves a page once or twice (again
# after Back, or a draft before it); here each is still saved 20 to 30 times a run, against
# about 400 with one respondent a connection, and each save's cost grows with the row's dead
# versions (6-7 ms -> 12 ms per POST over 1,500 saves of one row, against a flat 6-8 ms
# rotating over 50, measured in-process 2026-12-07). The role page is also measured the old
# way, as an information row.
RESPONDENTS = int(os.environ.get("BENCH_SUBMIT_RESPONDENTS", "25"))
SECONDS = int(os.environ.get("BENCH_SUBMIT_SECONDS", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORKERS = 2
LUA = ROOT / "bench" / "wrk_post.lua"
RESULTS = ROOT / "bench" / "results" / "submit.json"
# No goal: the reference, and an information row.
GOAL_LABELS = {"reference": "reference", "role_one": "info"}
# Goals (issue 16): a page of up to 10 values within 2x the bare view, the duties page within 5x.
GOAL_SMALL, GOAL_DUTIES = 2.0, 5.0


def bench_env() -> dict:
    env = survey_bench.bench_env()
    env["DATABASE_URL"] = survey_bench.PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    if os.environ.get("BENCH_REDIS_DB"):  # one Redis database for broker and cache
        redis = f"{survey_bench.REDIS}/{int(os.environ['BENCH_REDIS_DB'])}"
        env["CELERY_BROKER_URL"] = env["REDIS_CACHE_URL"] = redis
    return env


def prepare_database(env: dict) -> None:
    psql = ["psql", survey_bench.PG_ADMIN, "-qc"]
    subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True, capture_output=True)
    subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    manage = [sys.executable, "manage.py"]
    survey_bench.run(manage + ["migrate", "--noinput", "-v", "0"], env)
    survey_bench.run(manage + ["seed_content"], env)
    survey_bench.run(manage + ["seed_survey"], env)
    survey_bench.run(manage + ["collectstatic", "--noinput", "-v", "0"], env)


def count(env: dict, table: str, where: str = "") -> int:
    sql = f"SELECT count(*) FROM {table} {where}"
    out = subprocess.run(
        ["psql", env["DATABASE_URL"], "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip())


def encode(data: dict) -> str:
    return urllib.parse.urlencode(data, doseq=True)


def csrf(browser: Browser) -> str:
    return browser.cookies.get("csrftoken", "")


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def to_duties(plan: dict) -> tuple[Browser, str, str]:
    """A new respondent on the paid frontline path, every page before the duties answered.
    Returns the browser, the role page's address and the duties page's address."""
    browser = Browser(HOST, PORT)
    browser.get(plan["landing"])
    reply = browser.post(plan["landing"], {})
    if reply.status != 302:
        raise RuntimeError(f"start failed: {reply.status}")
    url, role_url = reply.location, ""
    for _ in range(len(plan["pages"])):
        key = url.split("?")[0].rstrip("/").split("/")[-1]
        if key == "role":
            role_url = url
        if key == "duties":
            return browser, role_url, url.split("?")[0]
        reply = browser.post(url, plan["pages"][key])
        if reply.status != 302:
            raise RuntimeError(f"page {key} answered {reply.status}: {reply.body[:500]!r}")
        url = reply.location
    raise RuntimeError("the duties page was never reached")


def sessions(plan: dict) -> dict[str, list[tuple[str, ...]]]:
    """RESPONDENTS respondents per connection and phase (connection i sends lines i,
    i + CONNECTIONS, ...): (path, cookies, CSRF token, body A, body B, body C; a
    respondent's first POST of a run sends C, then B, A, B, ...); for "role_one" one
    respondent per connection, as the bench measured before."""
    phases: dict[str, list] = {name: [] for name, *_ in PHASES}
    for _ in range(CONNECTIONS * RESPONDENTS):
        browser = Browser(HOST, PORT)
        browser.get("/bench/reference/")
        body = encode({"name": "wrk row", "count": 7})
        phases["reference"].append(
            ("/bench/reference/", cookie_header(browser), csrf(browser), body, body, body)
        )
    for _ in range(CONNECTIONS * RESPONDENTS):
        browser, role_url, duties_url = to_duties(plan)
        body = encode(plan["pages"]["role"])
        phases["role"].append((role_url, cookie_header(browser), csrf(browser), body, body, body))
        # Pass one, the checklist: every task of the role checked (one delete + bulk_create).
        checklist = plan["pages"]["duties_checklist"]
        reply = browser.post(duties_url + "?step=0", checklist)
        if reply.status != 302 or not reply.location.endswith("?step=1"):
            raise RuntimeError(f"checklist answered {reply.status} {reply.location}")
        phases["duties_checklist"].append(
            (duties_url + "?step=0", cookie_header(browser), csrf(browser),
             encode(checklist), encode(checklist), encode(checklist))
        )  # fmt: skip
        # Pass two, the first rating screen: its tasks read from the page as a browser sees it.
        html = browser.get(duties_url + "?step=1").body.decode()
        codes = list(dict.fromkeys(re.findall(r'name="task_(\w+)_imp"', html)))
        if not codes:
            raise RuntimeError("no rating scales on the first rating screen")
        bodies = []
        # A, B alternated and C first in each run: every POST changes the rows.
        for imp, freq in (("4", "5"), ("3", "6"), ("2", "4")):
            data = {"action": "next"}
            for code in codes:
                data[f"task_{code}_imp"], data[f"task_{code}_freq"] = imp, freq
            bodies.append(encode(data))
        phases["duties_rating"].append(
            (duties_url + "?step=1", cookie_header(browser), csrf(browser), *bodies)
        )
    for _ in range(CONNECTIONS):
        browser, role_url, _duties_url = to_duties(plan)
        body = encode(plan["pages"]["role"])
        phases["role_one"].append(
            (role_url, cookie_header(browser), csrf(browser), body, body, body)
        )
    return phases


def values_in(body: str) -> int:
    """The answer values a body carries (not the action, token or key)."""
    pairs = urllib.parse.parse_qsl(body)
    return sum(1 for k, _ in pairs if k not in {"action", "csrfmiddlewaretoken"})


def wrk(sessions_file: Path, url: str) -> dict:
    env = dict(
        os.environ,
        SUBMIT_SESSIONS=str(sessions_file),
        SUBMIT_SECONDS=str(SECONDS),
        SUBMIT_THREADS=str(CONNECTIONS),
    )
    cmd = ["wrk", "-t", str(CONNECTIONS), "-c", str(CONNECTIONS), "-d", f"{SECONDS + 4}s",
           "--timeout", "30s", "-s", str(LUA), url]  # fmt: skip
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("SUBMIT_RESULT "))
    return json.loads(line.removeprefix("SUBMIT_RESULT "))


PHASES = [
    # name, label, table counted, rows of this phase
    ("reference", "bare view: save one row (reference)", "bench_reference_referencerow", ""),
    ("role", "role page", "surveys_pagesubmission", "WHERE page_key = 'role'"),
    ("duties_checklist", "duties checklist (step 0)", "surveys_pagesubmission",
     "WHERE page_key = 'duties' AND target LIKE '%step=1'"),
    ("duties_rating", "duties rating screen (step 1)", "surveys_pagesubmission",
     "WHERE page_key = 'duties' AND target NOT LIKE '%step=1'"),
    ("role_one", "role page, 1 respondent a connection (info)", "surveys_pagesubmission",
     "WHERE page_key = 'role'"),
]  # fmt: skip


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    env = bench_env()
    print(f"Preparing {DB_NAME} on PostgreSQL (migrate, seed, collectstatic)...", flush=True)
    prepare_database(env)
    plan = survey_bench.survey_plan(env)
    plan["pages"]["duties_checklist"] = duties_checklist(env)
    server = start_server(env)
    measured: dict[str, list[dict]] = {name: [] for name, *_ in PHASES}
    completes: list[dict] = []
    load_before = os.getloadavg()
    try:
        phases = sessions(plan)
        with tempfile.TemporaryDirectory() as tmp:
            files = {}
            for name, rows in phases.items():
                files[name] = Path(tmp) / f"{name}.tsv"
                files[name].write_text("".join("\t".join(row) + "\n" for row in rows))
            url = f"http://{HOST}:{PORT}/"
            print(
                f"wrk: {CONNECTIONS} connections ({RESPONDENTS} respondents each, in turn), "
                f"{SECONDS} s a run, "
                f"{RUNS} runs a phase, gunicorn {WORKERS} sync workers", flush=True,
            )  # fmt: skip
            for name, *_ in PHASES:  # warm-up: every worker imports and caches what it needs
                run_phase(env, files[name], url, name, seconds_note=False)
            for run in range(RUNS):
                for name, *_ in PHASES:
                    result = run_phase(env, files[name], url, name)
                    measured[name].append(result)
                    print(
                        f"  run {run + 1} {name}: {result['per_second']:.1f}/s, "
                        f"accepted {result['accepted']}, stored {result['stored']}", flush=True,
                    )  # fmt: skip
                result = complete_phase(env, plan)
                completes.append(result)
                print(
                    f"  run {run + 1} complete responses: {result['per_second']:.2f}/s, "
                    f"finished {result['completed']}, stored {result['stored']}", flush=True,
                )  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return report(phases, measured, completes, load_before)


def complete_phase(env: dict, plan: dict) -> dict:
    """Whole responses, landing to thank-you page (every page of the paid frontline path,
    both duties passes), by CONNECTIONS respondents at once for SECONDS (the Python client
    of survey_bench: each finishes its response before starting the next)."""
    where = "WHERE status <> 'in_progress'"
    before = count(env, "surveys_response", where)
    saved, survey_bench.PORT = survey_bench.PORT, PORT  # survey_bench's client, this server
    try:
        worker = survey_bench.complete_worker_factory(plan)
        result = survey_bench.load(worker, SECONDS, CONNECTIONS)
    finally:
        survey_bench.PORT = saved
    result["stored"] = count(env, "surveys_response", where) - before
    if result["completed"] == 0:  # a worker that failed outright counts as an error
        result["errors"] += 1
    result["per_second"] = result["completed"] / result["elapsed_s"]
    return result


def vacuum(env: dict) -> None:
    """VACUUM ANALYZE the database before a phase's run. Each wrk respondent saves the same
    page many times in a run (20 to 30 with 25 respondents a connection, hundreds with one),
    which no real respondent does: every save leaves
    its answers' and its response's old row versions behind, and autovacuum (50 rows plus
    20% of a table, checked once a minute) had not cleaned any bench table between runs, so
    each run's state read walked the earlier runs' dead answers (22 ms instead of 0.3 ms for
    one re-saved response, measured on the bench database). Every phase, the bare view's
    included, starts from tables without them."""
    subprocess.run(
        ["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True, capture_output=True
    )


def run_phase(env: dict, sessions_file: Path, url: str, name: str, seconds_note=True) -> dict:
    _name, _label, table, where = next(p for p in PHASES if p[0] == name)
    vacuum(env)
    before = count(env, table, where)
    result = wrk(sessions_file, url)
    after = count(env, table, where)
    result["per_second"] = result["requests"] / result["window_s"]
    result["accepted"] = result["status_2xx"] + result["status_3xx"]
    result["stored"] = after - before
    return result


def duties_checklist(env: dict) -> dict:
    """The checklist POST: every task of the frontline role checked."""
    code = (
        "import json,django;django.setup();"
        "from apps.surveys.selectors import tasks_for_role;"
        "rt,_=tasks_for_role('frontline');"
        "print(json.dumps([t.code for t in rt]))"
    )
    codes = json.loads(survey_bench.run([sys.executable, "-c", code], env))
    return {"action": "next", "duties": codes}


def start_server(env: dict) -> subprocess.Popen:
    saved = survey_bench.WORKERS, survey_bench.PORT
    survey_bench.WORKERS, survey_bench.PORT = WORKERS, PORT
    try:
        return survey_bench.start_server(env)
    finally:
        survey_bench.WORKERS, survey_bench.PORT = saved


def report(phases: dict, measured: dict, completes: list[dict], load_before) -> int:
    rows = {}
    for name, label, *_ in PHASES:
        runs = measured[name]
        rows[name] = {
            "label": label,
            "values_per_post": values_in(phases[name][0][3]),
            "per_second_median": statistics.median(r["per_second"] for r in runs),
            "p50_ms_median": statistics.median(r["p50_ms"] for r in runs),
            "p95_ms_median": statistics.median(r["p95_ms"] for r in runs),
            "accepted": sum(r["accepted"] for r in runs),
            "stored": sum(r["stored"] for r in runs),
            "refused": sum(
                r["status_4xx"] + r["status_5xx"] + r["status_other"] + r["socket_errors"]
                for r in runs
            ),
            "runs": runs,
        }
    base = rows["reference"]["per_second_median"]
    for name, row in rows.items():
        row["cost_vs_bare_view"] = base / row["per_second_median"]
        # The same ratio run by run (each page against the bare view of its own run): on a
        # shared machine the load drifts between runs, so this median is shown beside it.
        row["cost_vs_bare_view_per_run_median"] = statistics.median(
            ref["per_second"] / r["per_second"]
            for ref, r in zip(measured["reference"], row["runs"], strict=True)
        )
        row["lost"] = row["accepted"] - row["stored"]
        goal = None if name in GOAL_LABELS else (
            GOAL_DUTIES if name.startswith("duties") and row["values_per_post"] > 10 else GOAL_SMALL
        )  # fmt: skip
        row["goal_at_most"] = goal
        row["meets_goal"] = goal is None or row["cost_vs_bare_view"] <= goal
    complete = {
        "label": "complete responses (landing to thank-you page)",
        "per_second_median": statistics.median(r["per_second"] for r in completes),
        "completed": sum(r["completed"] for r in completes),
        "stored": sum(r["stored"] for r in completes),
        "errors": sum(r["errors"] for r in completes),
        "runs": completes,
    }
    complete["lost"] = complete["completed"] - complete["stored"]
    load_after = os.getloadavg()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_1_5_15": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_generator": subprocess.run(
            ["wrk", "-v"], capture_output=True, text=True
        ).stdout.splitlines()[0:1],
        "connections": CONNECTIONS,
        "respondents_per_connection": RESPONDENTS,
        "seconds_per_run": SECONDS,
        "runs": RUNS,
        "gunicorn_sync_workers": WORKERS,
        "note": "The machine is shared (2 cores, other jobs running): absolute requests/s are "
        "noisy; the ratios to the bare view, measured in the same run, are what count.",
        "phases": rows,
        "complete_responses": complete,
        "summary": summary(rows, complete),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    line = "| {:<46} | {:>6} | {:>8} | {:>7} | {:>7} | {:>9} | {:>8} | {:>6} | {:>5} |"
    print()
    head = ("POST", "values", "req/s", "p95 ms", "x bare", "x per run", "goal", "stored", "lost")
    print(line.format(*head))
    print(line.format(*("-" * len(h) for h in head)))
    for row in rows.values():
        goal = "" if row["goal_at_most"] is None else (
            f"<={row['goal_at_most']:.0f}x " + ("ok" if row["meets_goal"] else "NO")
        )  # fmt: skip
        print(
            line.format(
                row["label"],
                row["values_per_post"],
                f"{row['per_second_median']:.1f}",
                f"{row['p95_ms_median']:.1f}",
                f"{row['cost_vs_bare_view']:.2f}",
                f"{row['cost_vs_bare_view_per_run_median']:.2f}",
                goal,
                row["stored"],
                row["lost"],
            )  # fmt: skip
        )
    print(
        f"complete responses: {complete['per_second_median']:.2f}/s (median), "
        f"finished {complete['completed']}, stored {complete['stored']}, lost {complete['lost']}"
    )
    print()
    loads = results["load_average_1_5_15"]
    print(
        f"medians of {RUNS} runs of {SECONDS} s; load average before {loads['before']}, "
        f"after {loads['after']}; {results['note']}"
    )
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    lost = sum(abs(r["lost"]) for r in rows.values()) + abs(complete["lost"])
    refused = sum(r["refused"] for r in rows.values()) + complete["errors"]
    return 0 if lost == 0 and refused == 0 else 1


def summary(rows: dict, complete: dict) -> list[dict]:
    """The rows of the one table (issue 16): one per measured figure."""
    out = []
    base = rows["reference"]["per_second_median"]
    for name, row in rows.items():
        goal = row["goal_at_most"]
        out.append(
            {
                "part": "submitting",
                "measure": f"{row['label']}, {row['values_per_post']} values, POSTs/s",
                "size": None,
                "value": round(row["per_second_median"], 1),
                "unit": "req/s",
                "reference": None if name == "reference" else round(base, 1),
                "ratio": None if name == "reference" else round(row["cost_vs_bare_view"], 2),
                "goal": GOAL_LABELS.get(name) or f"<= {goal:.0f}x",
                "met": None if goal is None else bool(row["meets_goal"]),
            }
        )
    out.append(
        {
            "part": "submitting",
            "measure": "complete responses/s (whole paid frontline path)",
            "size": None,
            "value": round(complete["per_second_median"], 2),
            "unit": "responses/s",
            "reference": None,
            "ratio": None,
            "goal": "reported",
            "met": None,
        }
    )
    lost = sum(abs(r["lost"]) for r in rows.values()) + abs(complete["lost"])
    out.append(
        {
            "part": "submitting",
            "measure": "lost: accepted POSTs and finished responses minus rows stored",
            "size": None,
            "value": float(lost),
            "unit": "requests",
            "reference": None,
            "ratio": None,
            "goal": "= 0",
            "met": lost == 0,
        }
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
