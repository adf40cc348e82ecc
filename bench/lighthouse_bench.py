"""`make bench-lighthouse`: Lighthouse performance of the pages people see first, on a phone.

Serves the portal as production does (ostportal.settings.production: DEBUG off, hashed and
compressed static files from collectstatic through WhiteNoise, gunicorn with 2 workers) on
loopback with a throwaway SQLite database, seeds the content and the survey, starts one
response (so its first page can be opened with the browser's survey cookie), then runs
Lighthouse (npm package `lighthouse`, pinned in package.json; Debian's /usr/bin/chromium,
never a downloaded browser) with its default mobile settings: a Moto G Power sized screen,
simulated slow 4G and 4x CPU slowdown. Pages:

  /survey/                         the survey landing (list of surveys)
  /survey/ost-roles-duties/        the survey's own landing (its first page: start)
  /survey/r/<id>/page/<first>/     the survey's first question page

Each page is measured LIGHTHOUSE_RUNS times (default 3); the median performance score is
reported with its metrics, and the audits that cost points in any run. Writes
bench/results/lighthouse.json and prints a table. Exit status 1 when a median is under
LIGHTHOUSE_GOAL (default 100).

Its "summary" rows (the one table of `make bench`, bench/report.py): each page's median score
against the goal (100), with its runs' scores in the measure. Elapsed time is printed at the end.

Lighthouse's simulated throttling computes times from the page's trace, so a busy machine
still moves the numbers: run it on a quiet one (results name the machine and its load).
"""

import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "") or 3)
GOAL = int(os.environ.get("LIGHTHOUSE_GOAL", "") or 100)
METRICS = {
    "first-contentful-paint": "FCP ms",
    "largest-contentful-paint": "LCP ms",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI ms",
}


def lighthouse_bin() -> str:
    configured = os.environ.get("LIGHTHOUSE_BIN")
    if configured:
        return configured
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    if local.exists():
        return str(local)
    found = shutil.which("lighthouse")
    if found:
        return found
    sys.exit("lighthouse not found: `npm ci` (package.json pins it) or set LIGHTHOUSE_BIN")


def free_port() -> int:
    """LIGHTHOUSE_PORT when set (a shared machine with port ranges), else any free one."""
    if os.environ.get("LIGHTHOUSE_PORT"):
        return int(os.environ["LIGHTHOUSE_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(workdir: Path) -> tuple[subprocess.Popen, str, dict]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.production",
        DJANGO_SECRET_KEY="lighthouse-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback (a real deployment keeps the HTTPS redirect on).
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
        DJANGO_LOG_LEVEL="WARNING",
    )
    for name in ("CELERY_BROKER_URL", "REDIS_CACHE_URL", "SENTRY_DSN"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    for cmd in (
        ["collectstatic", "--noinput", "-v", "0"],
        ["migrate", "--noinput", "-v", "0"],
        ["seed_content"],
        ["seed_survey"],
    ):
        subprocess.run(manage + cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ostportal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / "gunicorn.log", "ab"),  # noqa: SIM115  (open while it runs)
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(100):
        try:
            if requests.get(base + "/robots.txt", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return server, base, env


def start_response(base: str) -> tuple[str, str]:
    """Start a response as a browser would; returns its first page's path and the cookies.
    Production marks cookies Secure; on plain loopback HTTP they are sent by hand."""
    import requests

    landing = requests.get(base + "/survey/ost-roles-duties/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', landing.text).group(1)
    jar = dict(landing.cookies)
    started = requests.post(
        base + "/survey/ost-roles-duties/",
        data={"csrfmiddlewaretoken": token},
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())},
        allow_redirects=False,
        timeout=30,
    )
    if started.status_code != 302:
        raise RuntimeError(f"could not start a response: {started.status_code}")
    jar.update(dict(started.cookies))
    return started.headers["Location"], "; ".join(f"{k}={v}" for k, v in jar.items())


def run_lighthouse(url: str, workdir: Path, headers: dict | None) -> dict:
    out = workdir / f"lh-{secrets.token_hex(4)}.json"
    cmd = [
        lighthouse_bin(),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if headers:
        cmd.append("--extra-headers=" + json.dumps(headers))
    env = dict(os.environ, CHROME_PATH=CHROME)
    for attempt in (1, 2):  # a run Chrome did not finish (busy machine) is tried once more
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
        if done.returncode == 0 and out.exists():
            break
        if attempt == 2:
            raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    weights = {ref["id"]: ref["weight"] for ref in report["categories"]["performance"]["auditRefs"]}
    costly = {
        a["id"]: a.get("displayValue") or a["title"]
        for a in audits.values()
        if a.get("score") is not None
        and a["score"] < 0.9
        and a.get("scoreDisplayMode") in ("numeric", "binary", "metricSavings")
        and (weights.get(a["id"], 0) > 0 or a.get("details", {}).get("type") == "opportunity")
    }
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "metrics": {
            label: round(audits[key]["numericValue"], 3 if key.startswith("cumulative") else 0)
            for key, label in METRICS.items()
        },
        "costly_audits": costly,
        "lighthouse": report["lighthouseVersion"],
        "user_agent": report["environment"]["hostUserAgent"],
    }


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()} {os.cpu_count()} cores, {platform.system()}, "
        f"load average {load:.1f} at the start"
    )


def summary_rows(pages: list[dict]) -> list[dict]:
    """The rows of the one table (see bench/report.py): one per page, the median score."""
    return [
        {
            "part": "lighthouse",
            "measure": f"performance, mobile: {p['page']} (median of {len(p['scores'])}: "
            + " ".join(map(str, p["scores"]))
            + ")",
            "size": None,
            "value": p["median"],
            "unit": "score",
            "reference": None,
            "ratio": None,
            "goal": f">= {GOAL}",
            "met": p["median"] >= GOAL,
        }
        for p in pages
    ]


def main() -> int:
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ostportal-lighthouse-"))
    server, base, _env = serve(workdir)
    try:
        first_page, cookie = start_response(base)
        pages = [
            ("survey landing (/survey/)", "/survey/", None),
            ("survey start (/survey/ost-roles-duties/)", "/survey/ost-roles-duties/", None),
            ("survey first page", first_page, {"Cookie": cookie}),
        ]
        results = []
        for name, path, headers in pages:
            runs = [run_lighthouse(base + path, workdir, headers) for _ in range(RUNS)]
            scores = [r["score"] for r in runs]
            median = statistics.median_low(scores)
            typical = next(r for r in runs if r["score"] == median)
            costly: dict = {}
            for r in runs:
                costly.update(r["costly_audits"])
            results.append(
                {
                    "page": name,
                    "path": re.sub(r"/r/[0-9a-f-]{36}/", "/r/<id>/", path),
                    "scores": scores,
                    "median": median,
                    "metrics": typical["metrics"],
                    "each_run": [{"score": r["score"], **r["metrics"]} for r in runs],
                    "costly_audits": costly,
                }
            )
            print(f"{name}: {scores} -> {median}", flush=True)
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "lighthouse": runs[0]["lighthouse"],
            "browser": runs[0]["user_agent"],
            "settings": "mobile defaults (simulated slow 4G, 4x CPU slowdown), performance only",
            "server": "gunicorn 2 workers, ostportal.settings.production, WhiteNoise static",
            "runs": RUNS,
            "goal": GOAL,
            "pages": results,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "elapsed_s": round(time.monotonic() - started, 1),
            "summary": summary_rows(results),
        }
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")
        print_table(report)
        print(f"wrote bench/results/lighthouse.json; elapsed {report['elapsed_s']:.0f} s")
        return 0 if all(p["median"] >= GOAL for p in results) else 1
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(report: dict) -> None:
    print(f"Lighthouse {report['lighthouse']} (mobile), {report['machine']}")
    head = ["page", "median", "runs", *METRICS.values()]
    rows = [
        [p["page"], p["median"], " ".join(map(str, p["scores"])), *p["metrics"].values()]
        for p in report["pages"]
    ]
    widths = [max(len(str(x)) for x in [h] + [r[i] for r in rows]) for i, h in enumerate(head)]
    for row in [head] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    for p in report["pages"]:
        if p["costly_audits"]:
            print(f"{p['page']}: " + "; ".join(f"{k} ({v})" for k, v in p["costly_audits"].items()))


if __name__ == "__main__":
    sys.exit(main())
