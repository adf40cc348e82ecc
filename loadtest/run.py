"""`make loadtest`: the portal as in production on loopback, under load, with faults.

Starts its own PostgreSQL and Redis (temporary directory, non-default ports; the shared
services on 5432/6379 are never touched), an SMTP sink that counts every email, gunicorn
(ostportal/gunicorn.conf.py), a Celery worker and Celery beat. Seeds the survey, then runs
Locust headless: LOADTEST_USERS simulated practitioners complete the whole survey while
LOADTEST_STAFF staff browse dashboards. During the run, scripted faults:

  export-worker-killed   the Celery worker is killed (SIGKILL) while an export runs
  postgres-restart       PostgreSQL is restarted
  redis-down             Redis is stopped for LOADTEST_REDIS_DOWN seconds (contact messages
                         and survey confirmations are sent meanwhile)
  announcement-worker-killed  the worker is killed during an announcement send, when an
                         app provides the hook (see ANNOUNCEMENT_HOOK); else "not available"
  web-process-killed     with LOADTEST_WEB_PROCESSES=2 (the default): one of the two gunicorn
                         processes (master and workers) is SIGKILLed, stays down for
                         LOADTEST_WEB_DOWN seconds and is started again

Past one machine: with LOADTEST_WEB_PROCESSES=2 the portal runs as two gunicorn processes on
separate ports (LOADTEST_WEB_PORT+1, +2) behind one address (LOADTEST_WEB_PORT), served by
nginx from Debian (`apt-get install nginx-light`) with a configuration generated from
deploy/nginx-ostportal.conf: its upstream block (server lines replaced by the two ports) and
its `location /` block, as production runs them. One PostgreSQL, one Redis, one Celery worker
pool. Every simulated client talks to the one address. Before the load, a scripted browser
checks that a session, a CSRF token, the survey's resume cookie and a page's submission key
made by one process are honoured by the other. LOADTEST_WEB_PROCESSES=1 runs one gunicorn on
LOADTEST_WEB_PORT without nginx, as before.

Then it waits for the queues to drain and checks: responses acknowledged to clients equal the
rows stored (same ids), none duplicated, no server error (5xx other than the 503 "try again"
page), no export stuck, every email sent exactly once. Prints a table and writes
loadtest/results/latest.json and latest.md. Exit status 0 only when every check holds.

Durations and sizes come from LOADTEST_* variables (see CONFIG below).
"""

import csv
import glob
import importlib.util
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script: make the project (and loadtest.announcement_hook) importable.
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "loadtest" / "results"
PY = sys.executable
BIN = Path(PY).parent


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


CONFIG = {
    "users": _env_int("LOADTEST_USERS", 200),  # practitioners
    "staff": _env_int("LOADTEST_STAFF", 5),
    "spawn_rate": _env_int("LOADTEST_SPAWN_RATE", 10),
    "duration": _env_int("LOADTEST_DURATION", 360),  # seconds of load
    "think_min": _env_int("LOADTEST_THINK_MIN", 4),
    "think_max": _env_int("LOADTEST_THINK_MAX", 10),
    "synthetic": _env_int("LOADTEST_SYNTHETIC", 4000),  # responses already there (dashboards)
    "web_workers": _env_int("LOADTEST_WEB_WORKERS", 3),
    "web_threads": _env_int("LOADTEST_WEB_THREADS", 4),
    "pg_port": _env_int("LOADTEST_PG_PORT", 55433),
    "redis_port": _env_int("LOADTEST_REDIS_PORT", 56380),
    "smtp_port": _env_int("LOADTEST_SMTP_PORT", 58025),
    "web_port": _env_int("LOADTEST_WEB_PORT", 58000),  # the one address clients use
    # 2: two gunicorn processes on web_port+1 and web_port+2 behind nginx on web_port.
    "web_processes": _env_int("LOADTEST_WEB_PROCESSES", 2),
    "web_kill_at": _env_int("LOADTEST_WEB_KILL_AT", 100),
    "web_down": _env_int("LOADTEST_WEB_DOWN", 20),
    "export_at": _env_int("LOADTEST_EXPORT_AT", 40),
    "postgres_at": _env_int("LOADTEST_POSTGRES_AT", 150),
    "redis_at": _env_int("LOADTEST_REDIS_AT", 200),
    "redis_down": _env_int("LOADTEST_REDIS_DOWN", 60),
    "announcement_at": _env_int("LOADTEST_ANNOUNCEMENT_AT", 300),
    "contact_messages": _env_int("LOADTEST_CONTACT_MESSAGES", 10),
    "subscribers": _env_int("LOADTEST_SUBSCRIBERS", 3000),  # announcement recipients
    "sweep_seconds": _env_int("LOADTEST_SWEEP_SECONDS", 15),
    "drain": _env_int("LOADTEST_DRAIN", 240),  # longest wait for queues after the load
    # 1: the cache (sessions, rate limits) in the same Redis, as the run book recommends.
    "redis_cache": _env_int("LOADTEST_REDIS_CACHE", 1),
}
# The announcement scenario runs when apps.mailings is installed, through this module
# (prepare, start_send, state, recipients); otherwise it is reported as not available.
ANNOUNCEMENT_HOOK = "loadtest.announcement_hook"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class SmtpSink:
    """Counts every email the portal sends (aiosmtpd on loopback)."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list[dict] = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                parsed = message_from_bytes(envelope.content)
                with sink.lock:
                    sink.messages.append(
                        {
                            "to": [a.lower() for a in envelope.rcpt_tos],
                            "subject": str(parsed.get("Subject", "")),
                            "reply_to": str(parsed.get("Reply-To", "")).lower(),
                        }
                    )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.messages)


class Stack:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostportal-loadtest-"))
        os.chmod(self.tmp, 0o755)
        self.procs: dict[str, subprocess.Popen] = {}
        self.root = ROOT
        self.pg_bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.pg_data = self.tmp / "pgdata"
        self.pg_sock = self.tmp / "pgsock"
        self.db_url = f"postgres://postgres@127.0.0.1:{CONFIG['pg_port']}/ostportal_loadtest"
        self.redis_url = f"redis://127.0.0.1:{CONFIG['redis_port']}"
        self.base = f"http://127.0.0.1:{CONFIG['web_port']}"
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="ostportal.settings.loadtest",
            DJANGO_SECRET_KEY="loadtest-" + secrets.token_urlsafe(48),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.db_url,
            DATABASE_CONNECT_TIMEOUT="3",
            CELERY_BROKER_URL=self.redis_url + "/0",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            DJANGO_EMAIL_HOST="127.0.0.1",
            DJANGO_EMAIL_PORT=str(CONFIG["smtp_port"]),
            CONTACT_EMAIL_RECIPIENTS="staff-inbox@loadtest.example",
            DJANGO_LOG_LEVEL="WARNING",
            EXPORTS_DIR=str(self.tmp / "exports"),
            EXPORT_STALE_MINUTES="1",
            MAILINGS_STALE_CLAIM_MINUTES="1",
            CELERY_SWEEP_SECONDS=str(CONFIG["sweep_seconds"]),
            # Every simulated client shares one address: keep per-address limits out of the way.
            SURVEY_START_RATE_LIMIT="1000000/h",
            SURVEY_SUBMIT_RATE_LIMIT="1000000/h",
            CONTACT_RATE_LIMIT="1000000/h",
            SURVEY_MIN_SECONDS="0",
            AXES_FAILURE_LIMIT="1000",
            GUNICORN_WORKERS=str(CONFIG["web_workers"]),
            GUNICORN_THREADS=str(CONFIG["web_threads"]),
            GUNICORN_LOGLEVEL="warning",
            # Clients talk to gunicorn directly here, as browsers talk to nginx (keep-alive
            # 75 s): a short keep-alive would make idle clients race the server's close.
            GUNICORN_KEEPALIVE="75",
        )
        # One gunicorn on the public port, or two on the next ports behind nginx on it.
        first = CONFIG["web_port"] + (1 if CONFIG["web_processes"] > 1 else 0)
        self.web_ports = [first + i for i in range(max(1, CONFIG["web_processes"]))]
        self.env.pop("REDIS_CACHE_URL", None)
        if CONFIG["redis_cache"]:
            self.env["REDIS_CACHE_URL"] = self.redis_url + "/1"
        self.env.pop("SENTRY_DSN", None)

    # --- PostgreSQL ---
    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=check, capture_output=True, text=True
        )

    def postgres_start(self) -> None:
        if not self.pg_data.exists():
            self.pg_data.mkdir()
            self.pg_sock.mkdir()
            shutil.chown(self.pg_data, "postgres", "postgres")
            shutil.chown(self.pg_sock, "postgres", "postgres")
            self._as_postgres(
                str(self.pg_bin / "initdb"),
                "-D",
                str(self.pg_data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            )
        options = (
            f"-p {CONFIG['pg_port']} -k {self.pg_sock} -c listen_addresses=127.0.0.1 "
            "-c max_connections=100 -c shared_buffers=128MB"
        )
        self._as_postgres(
            str(self.pg_bin / "pg_ctl"),
            "-D",
            str(self.pg_data),
            "-o",
            options,
            "-l",
            str(self.pg_data / "server.log"),
            "-w",
            "start",
        )

    def postgres_restart(self) -> None:
        """Fast shutdown (open transactions roll back, clients are cut off), then start."""
        self.postgres_stop()
        self.postgres_start()

    def postgres_stop(self) -> None:
        self._as_postgres(
            str(self.pg_bin / "pg_ctl"),
            "-D",
            str(self.pg_data),
            "-m",
            "fast",
            "-w",
            "stop",
            check=False,
        )

    def sql(self, query: str, params=()) -> list[tuple]:
        import psycopg2

        conn = psycopg2.connect(self.db_url, connect_timeout=3)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    # --- Redis ---
    def redis_start(self) -> None:
        # Append-only file on: queued tasks survive a Redis restart (see the run book).
        self.procs["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(CONFIG["redis_port"]),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.tmp),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--protected-mode",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=open(self.tmp / "redis.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        self._wait(lambda: self._redis_ping(), 15, "redis")

    def _redis_ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.redis_url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def redis_stop(self) -> None:
        proc = self.procs.pop("redis")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    # --- Django processes ---
    def manage(self, *args: str) -> str:
        return subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def django(self, code: str) -> str:
        return subprocess.run(
            [PY, "-c", "import django;django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self, name: str, cmd: list[str]) -> None:
        self.procs[name] = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=open(self.tmp / f"{name}.log", "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def web_name(self, i: int) -> str:
        return f"web{i + 1}" if len(self.web_ports) > 1 else "web"

    def access_logs(self) -> list[Path]:
        return [self.tmp / f"access-{self.web_name(i)}.log" for i in range(len(self.web_ports))]

    def web_start(self, i: int | None = None) -> None:
        """Start gunicorn process i (all of them when i is None) and wait until it answers."""
        for n in range(len(self.web_ports)) if i is None else [i]:
            port = self.web_ports[n]
            saved = dict(self.env)
            self.env.update(
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_ACCESSLOG=str(self.access_logs()[n]),
            )
            try:
                self.start(
                    self.web_name(n),
                    [
                        str(BIN / "gunicorn"),
                        "-c",
                        "ostportal/gunicorn.conf.py",
                        "ostportal.wsgi:application",
                    ],
                )
            finally:
                self.env = saved
            origin = f"http://127.0.0.1:{port}"
            self._wait(lambda o=origin: self.http_status("/healthz", o) == 200, 60, "gunicorn")

    def web_kill(self, i: int) -> None:
        """SIGKILL gunicorn process i, master and workers: requests in flight are cut off."""
        proc = self.procs.pop(self.web_name(i))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    # --- The one address in front (nginx, as deploy/nginx-ostportal.conf) ---
    def front_start(self) -> None:
        if len(self.web_ports) == 1:
            return
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError(
                "LOADTEST_WEB_PROCESSES=2 needs nginx: apt-get install nginx-light "
                "(or LOADTEST_WEB_PROCESSES=1)"
            )
        conf = self.tmp / "nginx.conf"
        conf.write_text(nginx_config(self.tmp, CONFIG["web_port"], self.web_ports))
        subprocess.run([nginx, "-t", "-q", "-c", str(conf)], check=True, capture_output=True)
        self.procs["nginx"] = subprocess.Popen(
            [nginx, "-c", str(conf)],
            stdout=open(self.tmp / "nginx.out", "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait(lambda: self.http_status("/healthz") == 200, 30, "nginx")

    def worker_start(self) -> None:
        self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "ostportal.celery_app",
                "worker",
                "-l",
                "warning",
                "--concurrency",
                "2",
                "-n",
                "loadtest@%h",
            ],
        )

    def worker_kill(self) -> None:
        """SIGKILL the worker and its pool children: as if the machine lost the process."""
        proc = self.procs.pop("worker")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def beat_start(self) -> None:
        self.start(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "ostportal.celery_app",
                "beat",
                "-l",
                "warning",
                "--schedule",
                str(self.tmp / "beat-schedule"),
            ],
        )

    def http_status(self, path: str, origin: str | None = None) -> int:
        import requests

        try:
            return requests.get((origin or self.base) + path, timeout=5).status_code
        except requests.RequestException:
            return 0

    def _wait(self, ready, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not start; see {self.tmp}")

    def stop_all(self) -> None:
        for name, proc in list(self.procs.items()):
            try:
                if name in ("redis", "nginx"):
                    proc.terminate()
                else:
                    os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired, PermissionError):
                proc.kill()
        self.procs.clear()
        self.postgres_stop()


NGINX_DEPLOY_CONF = ROOT / "deploy" / "nginx-ostportal.conf"


def _nginx_block(text: str, opening: str) -> str:
    """The lines of the first multi-line block that starts with `opening` (one-line blocks,
    such as the plain-HTTP redirect's, are skipped; no nested braces in those used)."""
    found = re.search(re.escape(opening) + r" *\{\n(.*?)\n\s*\}", text, re.S)
    if not found:
        raise RuntimeError(f"{NGINX_DEPLOY_CONF} has no `{opening} {{ ... }}` block")
    return found.group(1)


def nginx_config(tmp: Path, port: int, upstream_ports: list[int]) -> str:
    """An nginx configuration for the load test, from the production one: its upstream block
    with one server line per gunicorn process, and its `location /` and try-again blocks, on
    plain HTTP at 127.0.0.1:port. Everything nginx writes goes under tmp."""
    deploy = NGINX_DEPLOY_CONF.read_text()
    upstream = _nginx_block(deploy, "upstream ostportal_web")
    servers = re.findall(r"^\s*server\s+\S+(.*);", upstream, re.M)
    options = servers[0] if servers else ""
    upstream = re.sub(r"^\s*server\s+.*;\n", "", upstream, flags=re.M)
    upstream = "".join(f"    server 127.0.0.1:{p}{options};\n" for p in upstream_ports) + upstream
    location = _nginx_block(deploy, "location /")
    try_again = _nginx_block(deploy, "location = /try-again.html")
    return f"""# Generated by loadtest/run.py from deploy/nginx-ostportal.conf.
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format loadtest '$msec $remote_addr "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr upstream_status=$upstream_status';
    access_log {tmp}/access-nginx.log loadtest;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    client_max_body_size 3m;
    keepalive_timeout 75s;
    upstream ostportal_web {{
{upstream}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
{location}
        }}
        location = /try-again.html {{
{try_again}
        }}
    }}
}}
"""


class ReadinessMonitor(threading.Thread):
    """Polls /readyz every second; remembers when it was not ready."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack, self.samples, self.stopped = stack, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.time(), self.stack.http_status("/readyz")))
            self.stopped.wait(1)

    def first_ready_after(self, moment: float) -> float | None:
        for at, status in self.samples:
            if at >= moment and status == 200:
                return at
        return None

    def not_ready_between(self, start: float, end: float) -> int:
        return sum(1 for at, status in self.samples if start <= at <= end and status != 200)


def prepare(stack: Stack) -> dict:
    log("Migrating, seeding the survey and content, collecting static files...")
    stack.manage("migrate", "--noinput", "-v", "0")
    stack.manage("seed_content")
    stack.manage("seed_survey")
    stack.manage("collectstatic", "--noinput", "-v", "0")
    if CONFIG["synthetic"]:
        log(f"Generating {CONFIG['synthetic']} synthetic responses (dashboards and exports)...")
        stack.manage("generate_responses", "--count", str(CONFIG["synthetic"]))
    out = subprocess.run(
        [PY, "loadtest/prepare_plan.py"],
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- Fault scenarios ---


def scenario_export_worker_killed(stack: Stack, plan: dict, result: dict) -> None:
    """Kill the Celery worker while an export runs; it must be finished or failed clearly."""
    out = stack.django(
        "from apps.accounts.models import User\n"
        "from apps.exports.services import export_job_request\n"
        f"job = export_job_request(kind='responses', format='xlsx', options={{}}, "
        f"by=User.objects.get(pk={plan['admin_id']}))\n"
        "print(job.pk)"
    )
    job_id = int(out.strip().splitlines()[-1])
    result["job_id"] = job_id
    deadline = time.monotonic() + 120
    state = None
    while time.monotonic() < deadline:
        state = stack.sql("SELECT status, progress FROM exports_exportjob WHERE id=%s", (job_id,))[
            0
        ]
        if state[0] in ("running", "done", "failed"):
            break
        time.sleep(0.1)
    result["state_at_kill"] = f"{state[0]} {state[1]}%"
    if state[0] != "running":
        result["inconclusive"] = "the export had finished before the worker could be killed"
    stack.worker_kill()
    result["killed_at"] = time.time()
    time.sleep(5)
    stack.worker_start()


def export_outcome(stack: Stack, job_id: int) -> dict:
    status, attempts, message, rows = stack.sql(
        "SELECT status, attempts, error_message, rows_written FROM exports_exportjob WHERE id=%s",
        (job_id,),
    )[0]
    return {"status": status, "attempts": attempts, "message": message, "rows": rows}


def scenario_postgres_restart(stack: Stack, plan: dict, result: dict) -> None:
    """Restart PostgreSQL (fast shutdown) under load."""
    result["started_at"] = time.time()
    stack.postgres_restart()
    result["ended_at"] = time.time()


def _send_contact_message(stack: Stack, i: int, tag: str) -> str | None:
    """Post one contact message through the public form, as a person would (retrying after a
    failure). Returns the address when the portal confirmed it (redirect to the thank-you)."""
    import requests

    email = f"contact-{tag}-{i}-{secrets.token_hex(3)}@loadtest.example"
    session = requests.Session()
    for _attempt in range(10):
        try:
            page = session.get(stack.base + "/contact/", timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            reply = session.post(
                stack.base + "/contact/",
                data={
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "name": "Load test",
                    "email": email,
                    "organization": "",
                    "topic": "general",
                    "message": f"Message {i} sent while Redis was {tag}.",
                    "website": "",
                },
                headers={"Referer": stack.base + "/contact/"},
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException:
            time.sleep(2)
            continue
        if reply.status_code == 302 and "/contact/thanks/" in reply.headers.get("Location", ""):
            return email
        time.sleep(2)
    return None


def _send_contact_messages(stack: Stack, count: int, tag: str) -> list[str]:
    """Post `count` contact messages at once; returns the addresses acknowledged."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=count or 1) as pool:
        results = list(pool.map(lambda i: _send_contact_message(stack, i, tag), range(count)))
    return [email for email in results if email]


def scenario_redis_down(stack: Stack, plan: dict, result: dict) -> None:
    """Stop Redis for a while; contact messages and survey confirmations keep coming."""
    result["started_at"] = time.time()
    stack.redis_stop()
    sent: list[str] = []
    sender = threading.Thread(
        target=lambda: sent.extend(
            _send_contact_messages(stack, CONFIG["contact_messages"], "down")
        )
    )
    time.sleep(2)
    sender.start()
    time.sleep(max(0.0, CONFIG["redis_down"] - (time.time() - result["started_at"])))
    stack.redis_start()
    result["ended_at"] = time.time()
    sender.join()
    result["contact_acknowledged"] = sent


def announcements_available(stack: Stack) -> bool:
    installed = stack.django(
        "from django.apps import apps\nprint(apps.is_installed('apps.mailings'))"
    ).strip()
    return installed.endswith("True") and importlib.util.find_spec(ANNOUNCEMENT_HOOK) is not None


def scenario_announcement_worker_killed(stack: Stack, plan: dict, result: dict) -> None:
    """Kill the worker while an announcement goes out to CONFIG["subscribers"] addresses."""
    if not plan.get("announcements"):
        result["available"] = False
        return
    hook = importlib.import_module(ANNOUNCEMENT_HOOK)
    result["available"] = True
    ref = hook.start_send(stack)
    result["announcement_id"] = ref
    deadline = time.monotonic() + 120
    state = hook.state(stack, ref)
    while time.monotonic() < deadline:
        state = hook.state(stack, ref)
        if state["deliveries"].get("sent", 0) > 0 or state["status"] == "sent":
            break
        time.sleep(0.1)
    result["state_at_kill"] = state
    if state["status"] == "sent":
        result["inconclusive"] = "the announcement was fully sent before the worker was killed"
    stack.worker_kill()
    result["killed_at"] = time.time()
    time.sleep(5)
    stack.worker_start()


def announcement_outcome(stack: Stack, ref: int, sink: "SmtpSink") -> dict:
    hook = importlib.import_module(ANNOUNCEMENT_HOOK)
    state = hook.state(stack, ref)
    rows = hook.recipients(stack, ref)
    received = Counter(
        addr for m in sink.snapshot() for addr in m["to"] if addr.endswith(hook.DOMAIN)
    )
    sent_rows = [email for email, status in rows.items() if status == "sent"]
    unknown_rows = [email for email, status in rows.items() if status == "unknown"]
    return {
        "status": state["status"],
        "deliveries": state["deliveries"],
        "recipients": len(rows),
        "twice_or_more": sum(1 for n in received.values() if n > 1),
        "sent_but_not_received": sum(1 for e in sent_rows if received.get(e, 0) != 1),
        "received_without_row": sum(1 for e in received if e not in rows),
        "unknown": len(unknown_rows),
        "unknown_received": sum(1 for e in unknown_rows if received.get(e, 0)),
        "left_waiting": sum(
            n for k, n in state["deliveries"].items() if k in ("pending", "claimed", "sending")
        ),
    }


def scenario_web_process_killed(stack: Stack, plan: dict, result: dict) -> None:
    """SIGKILL one of the two gunicorn processes under load; nginx sends everything to the
    other; after LOADTEST_WEB_DOWN seconds it is started again (as systemd would)."""
    if len(stack.web_ports) < 2:
        result["available"] = False
        return
    result["available"] = True
    result["started_at"] = time.time()
    stack.web_kill(0)
    time.sleep(CONFIG["web_down"])
    stack.web_start(0)
    result["ended_at"] = time.time()


SCENARIOS = [
    ("export-worker-killed", "export_at", scenario_export_worker_killed),
    ("postgres-restart", "postgres_at", scenario_postgres_restart),
    ("redis-down", "redis_at", scenario_redis_down),
    ("web-process-killed", "web_kill_at", scenario_web_process_killed),
    ("announcement-worker-killed", "announcement_at", scenario_announcement_worker_killed),
]


def run_faults(stack: Stack, plan: dict, t0: float, results: dict) -> None:
    for name, at_key, scenario in sorted(SCENARIOS, key=lambda s: CONFIG[s[1]]):
        wait = t0 + CONFIG[at_key] - time.time()
        if wait > 0:
            time.sleep(wait)
        log(f"Fault: {name}")
        results[name] = {"at_s": round(time.time() - t0)}
        try:
            scenario(stack, plan, results[name])
        except Exception as exc:  # noqa: BLE001  (report it; the checks decide)
            results[name]["error"] = f"{type(exc).__name__}: {exc}"
            log(f"Fault {name} raised {exc!r}")
        log(f"Fault {name} done")


# --- Checks and report ---


def read_locust_stats(prefix: Path) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
            }
    failures = Counter()
    with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            failures[row["Error"]] += int(row["Occurrences"])
    return {"pages": rows, "failures": dict(failures)}


def access_log_statuses(paths: list[Path]) -> Counter:
    statuses = Counter()
    for path in paths:
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                found = re.search(r'" (\d{3}) ', line)
                if found:
                    statuses[found.group(1)] += 1
    return statuses


def front_log(stack: "Stack") -> dict:
    """From nginx's log: requests each gunicorn answered, and the requests nginx answered with
    the try-again page because the gunicorn serving them died (upstream status 502/504)."""
    path = stack.tmp / "access-nginx.log"
    if not path.exists():
        return {}
    by_upstream: Counter = Counter()
    cut_off = Counter()
    retried = 0
    for line in path.read_text(errors="replace").splitlines():
        found = re.search(r'"(\w+) [^"]*" (\d{3}) .*upstream=(.*) upstream_status=(.*)$', line)
        if not found:
            continue
        method, status, upstream, upstream_status = found.groups()
        by_upstream[upstream.split(",")[-1].strip()] += 1
        if "," in upstream:
            retried += 1  # a refused connection, retried on the other process
        if status == "503" and re.search(r"50[24]", upstream_status):
            cut_off[method] += 1
    return {
        "requests_by_process": dict(by_upstream),
        "retried_on_other_process": retried,
        "cut_off_try_again_page": dict(cut_off),
    }


def load_acks(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def stored_state(stack: Stack, plan: dict) -> dict:
    rows = stack.sql(
        "SELECT public_id::text, status, browser_token_hash FROM surveys_response "
        "WHERE collector_id=%s AND status IN ('complete', 'screened_out')",
        (plan["collector_id"],),
    )
    contacts = stack.sql(
        "SELECT lower(c.email), c.confirmation_sent_at IS NOT NULL "
        "FROM surveys_respondentcontact c "
        "JOIN surveys_response r ON r.id=c.response_id WHERE r.collector_id=%s "
        "AND r.status='complete'",
        (plan["collector_id"],),
    )
    pending_contact = stack.sql("SELECT count(*) FROM pages_contactmessage WHERE status <> 'sent'")[
        0
    ][0]
    return {"responses": rows, "contacts": contacts, "contact_pending": pending_contact}


def drain(stack: Stack, plan: dict, job_id: int | None, announcement_id: int | None) -> float:
    """Wait until confirmations and contact messages are sent, the export is finished and the
    announcement is sent."""
    started = time.monotonic()
    while time.monotonic() - started < CONFIG["drain"]:
        state = stored_state(stack, plan)
        unsent = sum(1 for _email, sent in state["contacts"] if not sent)
        job_open = job_id and export_outcome(stack, job_id)["status"] in ("pending", "running")
        sending = announcement_id and (
            importlib.import_module(ANNOUNCEMENT_HOOK).state(stack, announcement_id)["status"]
            != "sent"
        )
        if not unsent and not state["contact_pending"] and not job_open and not sending:
            break
        time.sleep(5)
    return time.monotonic() - started


def cross_process_checks(stack: Stack, plan: dict) -> list[tuple[str, bool, str]]:
    """A scripted browser that alternates between the two gunicorn processes on purpose (their
    own ports): what one process hands out (session, CSRF token, survey cookies, a page's
    submission key) must be honoured by the other. Each check has a control that must fail
    (a forged token, no cookie), so a check that passes for the wrong reason shows."""
    import requests

    if len(stack.web_ports) < 2:
        return []
    a, b = (f"http://127.0.0.1:{port}" for port in stack.web_ports[:2])
    key_re = re.compile(r'name="submission_key" value="([^"]+)"')
    csrf_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    checks = []
    browser = requests.Session()
    browser.get(a + plan["collector_url"], timeout=30)
    landing = browser.get(a + plan["landing"], timeout=30)
    token = csrf_re.search(landing.text).group(1)
    forged = requests.Session()
    forged.cookies.update(browser.cookies)
    control = forged.post(
        b + plan["landing"], data={"csrfmiddlewaretoken": "x" * 64}, allow_redirects=False
    )
    started = browser.post(
        b + plan["landing"], data={"csrfmiddlewaretoken": token}, allow_redirects=False
    )
    page_url = started.headers.get("Location", "")
    checks.append(
        (
            "CSRF token from process 1 accepted by process 2",
            started.status_code == 302 and "/page/" in page_url and control.status_code == 403,
            f"start on process 2 with process 1's token: {started.status_code}; "
            f"forged token: {control.status_code}",
        )
    )
    page = browser.get(b + page_url, timeout=30)
    stranger = requests.get(a + page_url, allow_redirects=False, timeout=30)
    cookies_only = requests.Session()
    for name in ("ost_survey", "ost_browser"):
        if name in browser.cookies:
            cookies_only.cookies.set(name, browser.cookies[name])
    resumed = cookies_only.get(a + page_url, allow_redirects=False, timeout=30)
    checks.append(
        (
            "survey resume cookie from process 2 opens the response on process 1",
            page.status_code == 200 and resumed.status_code == 200 and stranger.status_code != 200,
            f"same browser on process 2: {page.status_code}; its cookie alone on process 1: "
            f"{resumed.status_code}; without it: {stranger.status_code}",
        )
    )
    key = key_re.search(page.text).group(1)
    page_key = re.search(r"/page/([\w-]+)/$", page_url).group(1)
    data = dict(plan["pages"][page_key])
    for email_key in plan["email_keys"]:
        data.pop(email_key, None)
    data.update(csrfmiddlewaretoken=csrf_re.search(page.text).group(1), submission_key=key)
    first = browser.post(a + page_url, data=data, allow_redirects=False, timeout=30)
    replay = browser.post(b + page_url, data=data, allow_redirects=False, timeout=30)
    rows = stack.sql("SELECT count(*) FROM surveys_pagesubmission WHERE key=%s", (key,))[0][0]
    checks.append(
        (
            "a page's submission key: replayed on the other process, stored once",
            first.status_code == 302
            and replay.status_code == 302
            and first.headers.get("Location") == replay.headers.get("Location")
            and rows == 1,
            f"process 1: {first.status_code}, replay on process 2: {replay.status_code} to the "
            f"same page: {first.headers.get('Location') == replay.headers.get('Location')}; "
            f"submission rows for the key: {rows}",
        )
    )
    staff = requests.Session()
    login = staff.get(a + plan["login_url"], timeout=30)
    username, password = plan["staff"][0]
    staff.post(
        b + plan["login_url"],
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_re.search(login.text).group(1),
        },
        allow_redirects=False,
        timeout=30,
    )
    dashboard = plan["staff_pages"][0][1]
    seen = [staff.get(o + dashboard, allow_redirects=False, timeout=60).status_code for o in (a, b)]
    anonymous = requests.get(b + dashboard, allow_redirects=False, timeout=30).status_code
    checks.append(
        (
            "staff session from a sign-in on process 2 valid on both",
            seen == [200, 200] and anonymous != 200,
            f"dashboard on process 1, 2: {seen}; without the session: {anonymous}",
        )
    )
    return checks


def verdicts(stack, plan, acks, stats, statuses, sink, faults) -> list[tuple[str, bool, str]]:
    state = stored_state(stack, plan)
    stored_ids = {row[0] for row in state["responses"]}
    acked_ids = {a["id"] for a in acks}
    checks = []
    lost = acked_ids - stored_ids
    checks.append(
        (
            "acknowledged responses all stored",
            # A run in which no simulated visit got to the end proves nothing.
            bool(acked_ids) and not lost and len(acks) == len(acked_ids),
            f"acknowledged {len(acked_ids)}, stored {len(stored_ids)}, lost {len(lost)}",
        )
    )
    checks.append(
        (
            "stored responses all acknowledged",
            stored_ids == acked_ids,
            f"stored but never confirmed to a client: {len(stored_ids - acked_ids)}",
        )
    )
    dupes = [h for h, n in Counter(r[2] for r in state["responses"] if r[2]).items() if n > 1]
    checks.append(
        ("no response duplicated", not dupes, f"browsers with 2+ responses: {len(dupes)}")
    )
    server_errors = {k: v for k, v in stats["failures"].items() if "server error" in k}
    logged_5xx = {k: v for k, v in statuses.items() if k.startswith("5") and k != "503"}
    checks.append(
        (
            "zero server errors",
            not server_errors and not logged_5xx,
            f"clients saw {sum(server_errors.values())}, access log {sum(logged_5xx.values())}",
        )
    )
    messages = sink.snapshot()
    to_count = Counter(addr for m in messages for addr in m["to"])
    acked_emails = [a["email"].lower() for a in acks]
    wrong = [e for e in acked_emails if to_count.get(e, 0) != 1]
    checks.append(
        (
            "one confirmation per acknowledged response",
            not wrong,
            f"{len(acked_emails)} expected, {sum(to_count.get(e, 0) for e in acked_emails)} sent, "
            f"{len(wrong)} not exactly once",
        )
    )
    redis = faults.get("redis-down", {})
    contact_acked = [e.lower() for e in redis.get("contact_acknowledged", [])]
    # A person who retried a slow form may have stored two messages: each stored message
    # must reach staff exactly once, and every acknowledged one must be stored.
    stored_contact = Counter(
        email for (email,) in stack.sql("SELECT lower(email) FROM pages_contactmessage")
    )
    reply_count = Counter(m["reply_to"] for m in messages if m["reply_to"])
    wrong_contact = [
        e
        for e in contact_acked
        if not stored_contact.get(e) or reply_count.get(e, 0) != stored_contact[e]
    ]
    checks.append(
        (
            "contact messages sent during the Redis outage emailed exactly once",
            bool(contact_acked) and not wrong_contact,
            f"{len(contact_acked)} acknowledged, {sum(stored_contact.values())} stored, "
            f"{sum(reply_count.values())} emailed; {len(wrong_contact)} addresses wrong",
        )
    )
    export = faults.get("export-worker-killed", {})
    if "job_id" in export:
        outcome = export_outcome(stack, export["job_id"])
        export["outcome"] = outcome
        ok = outcome["status"] == "done" or (outcome["status"] == "failed" and outcome["message"])
        checks.append(
            (
                "export not stuck after the worker was killed",
                bool(ok),
                f"{outcome['status']} after {outcome['attempts']} attempt(s), "
                f"{outcome['rows']} rows"
                + (f", message: {outcome['message']}" if outcome["message"] else ""),
            )
        )
    else:
        checks.append(("export not stuck after the worker was killed", False, "scenario failed"))
    announcement = faults.get("announcement-worker-killed", {})
    if announcement.get("announcement_id"):
        out = announcement_outcome(stack, announcement["announcement_id"], sink)
        announcement["outcome"] = out
        checks.append(
            (
                "announcement finished, nobody emailed twice, every 'sent' row received once",
                out["status"] == "sent"
                and not out["left_waiting"]
                and not out["twice_or_more"]
                and not out["sent_but_not_received"]
                and not out["received_without_row"],
                f"{out['recipients']} recipients, deliveries {out['deliveries']}; "
                f"{out['twice_or_more']} got 2+, {out['sent_but_not_received']} sent rows not "
                f"received once; {out['unknown']} uncertain (worker killed mid-send, not "
                f"resent; {out['unknown_received']} of them did arrive)",
            )
        )
    return checks


def fmt_table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in [h] + [r[i] for r in rows]) for i, h in enumerate(headers)]

    def line(r: list) -> str:
        return "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb // 1024 // 1024} GB RAM"
    except (OSError, AttributeError):
        pass
    system = f"{platform.system()}, Python {platform.python_version()}"
    return f"{platform.machine()} {cpus} cores{mem}, {system}"


def main() -> int:
    if os.geteuid() != 0:
        print("make loadtest runs PostgreSQL as the postgres user via runuser: run it as root.")
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    stack = Stack()
    sink = SmtpSink(CONFIG["smtp_port"])
    log(
        f"Stack in {stack.tmp}: PostgreSQL :{CONFIG['pg_port']}, Redis :{CONFIG['redis_port']}, "
        f"SMTP sink :{CONFIG['smtp_port']}, web :{CONFIG['web_port']}"
        + (f" (nginx to gunicorn {stack.web_ports})" if len(stack.web_ports) > 1 else "")
    )
    faults: dict = {}
    monitor = ReadinessMonitor(stack)
    try:
        stack.postgres_start()
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(stack.pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(CONFIG["pg_port"]),
                "ostportal_loadtest",
            ],
            check=True,
            capture_output=True,
        )
        stack.redis_start()
        plan = prepare(stack)
        plan["announcements"] = announcements_available(stack)
        if plan["announcements"]:
            log(f"Adding {CONFIG['subscribers']} confirmed subscribers for the announcement...")
            importlib.import_module(ANNOUNCEMENT_HOOK).prepare(stack, CONFIG["subscribers"])
        plan_file = stack.tmp / "plan.json"
        plan_file.write_text(json.dumps(plan))
        ack_file = stack.tmp / "acks.jsonl"
        stack.web_start()
        stack.front_start()
        stack.worker_start()
        stack.beat_start()
        cross_checks = cross_process_checks(stack, plan)
        for check, ok, detail in cross_checks:
            log(f"{'PASS' if ok else 'FAIL'} {check}: {detail}")
        monitor.start()
        users = CONFIG["users"] + CONFIG["staff"]
        log(
            f"Load: {CONFIG['users']} practitioners + {CONFIG['staff']} staff for "
            f"{CONFIG['duration']} s ({len(stack.web_ports)} gunicorn process(es) "
            f"{CONFIG['web_workers']}x{CONFIG['web_threads']}"
            + (f" behind nginx :{CONFIG['web_port']})" if len(stack.web_ports) > 1 else ")")
        )
        locust_env = dict(stack.env)
        locust_env.update(
            LOADTEST_PLAN=str(plan_file),
            LOADTEST_ACK_FILE=str(ack_file),
            LOADTEST_THINK_MIN=str(CONFIG["think_min"]),
            LOADTEST_THINK_MAX=str(CONFIG["think_max"]),
            LOADTEST_STAFF=str(CONFIG["staff"]),
        )
        prefix = stack.tmp / "locust"
        t0 = time.time()
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                "loadtest/locustfile.py",
                "--headless",
                "-u",
                str(users),
                "-r",
                str(CONFIG["spawn_rate"]),
                "-t",
                f"{CONFIG['duration']}s",
                "--host",
                stack.base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "60",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            stdout=open(stack.tmp / "locust.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        fault_thread = threading.Thread(target=run_faults, args=(stack, plan, t0, faults))
        fault_thread.start()
        fault_thread.join()
        locust.wait()
        load_seconds = time.time() - t0
        log("Load finished; waiting for the queues to drain...")
        drained = drain(
            stack,
            plan,
            faults.get("export-worker-killed", {}).get("job_id"),
            faults.get("announcement-worker-killed", {}).get("announcement_id"),
        )
        monitor.stopped.set()
        stats = read_locust_stats(prefix)
        front = front_log(stack)
        backend = access_log_statuses(stack.access_logs())
        # What clients got: nginx's log when it is in front, else gunicorn's.
        statuses = access_log_statuses([stack.tmp / "access-nginx.log"]) if front else backend
        acks = load_acks(ack_file)
        # Server errors count wherever they were logged (a gunicorn 500 behind nginx too).
        logged = statuses + Counter({k: v for k, v in backend.items() if front and k >= "500"})
        checks = cross_checks + verdicts(stack, plan, acks, stats, logged, sink, faults)
        scenario_rows = scenario_summary(faults, monitor, acks, stack, plan)
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "config": CONFIG,
            "load_seconds": round(load_seconds),
            "drain_seconds": round(drained),
            "acknowledged": len(acks),
            "emails_sent": len(sink.snapshot()),
            "http_statuses": dict(statuses),
            "web_processes": len(stack.web_ports),
            "front": front,
            "pages": stats["pages"],
            "client_failures": stats["failures"],
            "checks": [{"check": c, "ok": ok, "detail": d} for c, ok, d in checks],
            "scenarios": scenario_rows,
            "passed": all(ok for _c, ok, _d in checks)
            and all(s["result"] != "FAIL" for s in scenario_rows),
        }
        text = render(report)
        print(text)
        name = os.environ.get("LOADTEST_RESULTS_NAME", "latest")
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(text + "\n")
        log(f"Report: {RESULTS / (name + '.md')} (logs kept in {stack.tmp})")
        return 0 if report["passed"] else 1
    finally:
        monitor.stopped.set()
        stack.stop_all()
        sink.stop()


def scenario_summary(faults, monitor, acks, stack, plan) -> list[dict]:
    stored = {row[0] for row in stored_state(stack, plan)["responses"]}
    rows = []
    for name, _at, _fn in SCENARIOS:
        info = faults.get(name, {})
        row = {"scenario": name, "at_s": info.get("at_s"), "result": "PASS", "detail": ""}
        if "error" in info:
            row.update(result="FAIL", detail=info["error"])
        elif name == "web-process-killed" and not info.get("available", False):
            row.update(result="n/a", detail="one web process (LOADTEST_WEB_PROCESSES=1)")
        elif name == "announcement-worker-killed" and not info.get("available", False):
            row.update(result="n/a", detail="not available: the announcements app is not installed")
        elif name == "announcement-worker-killed":
            out = info.get("outcome", {})
            at_kill = info.get("state_at_kill", {}).get("deliveries", {})
            ok = (
                out.get("status") == "sent"
                and not out.get("left_waiting")
                and not out.get("twice_or_more")
            )
            row.update(
                result="INCONCLUSIVE" if info.get("inconclusive") else ("PASS" if ok else "FAIL"),
                detail=f"killed with {at_kill.get('sent', 0)} of {out.get('recipients')} sent; "
                f"announcement {out.get('status')}, {out.get('unknown')} uncertain, "
                f"{out.get('twice_or_more')} duplicates",
            )
        elif name == "export-worker-killed":
            out = info.get("outcome", {})
            ok = out.get("status") == "done" or (
                out.get("status") == "failed" and out.get("message")
            )
            row.update(
                result="PASS" if ok else "FAIL",
                detail=f"killed while {info.get('state_at_kill')}; job {out.get('status')} after "
                f"{out.get('attempts')} attempt(s)"
                + (f" ({info['note']})" if info.get("note") else ""),
            )
        elif "started_at" in info:
            start, end = info["started_at"], info.get("ended_at", info["started_at"])
            window = [a for a in acks if start - 5 <= a["at"] <= end + 60]
            lost = [a for a in window if a["id"] not in stored]
            ready = monitor.first_ready_after(end)
            not_ready = monitor.not_ready_between(start, ready or end)
            back = f"{ready - end:.0f} s after" if ready else "never"
            row.update(
                result="FAIL" if lost or not ready else "PASS",
                detail=f"outage {end - start:.0f} s, /readyz 503 in {not_ready} samples, ready "
                f"again {back}; {len(window)} acknowledged around it, {len(lost)} lost",
            )
        rows.append(row)
    return rows


def render(report: dict) -> str:
    pages = report["pages"]
    ordered = sorted((n for n in pages if n != "Aggregated"), key=lambda n: -pages[n]["requests"])
    page_rows = [
        [
            n,
            pages[n]["requests"],
            pages[n]["failures"],
            f"{pages[n]['rps']:.1f}",
            f"{pages[n]['p50_ms']:.0f}",
            f"{pages[n]['p95_ms']:.0f}",
            f"{pages[n]['p99_ms']:.0f}",
        ]
        for n in ordered + (["Aggregated"] if "Aggregated" in pages else [])
    ]
    out = [
        f"# Load test {report['date']}",
        f"Machine: {report['machine']}. {report['config']['users']} practitioners + "
        f"{report['config']['staff']} staff for {report['load_seconds']} s; queues drained in "
        f"{report['drain_seconds']} s. Responses acknowledged: {report['acknowledged']}; "
        f"emails sent: {report['emails_sent']}.",
        "",
        fmt_table(
            ["page", "requests", "failures", "req/s", "p50 ms", "p95 ms", "p99 ms"], page_rows
        ),
        "",
        "Client-side failures: "
        + (", ".join(f"{k}: {v}" for k, v in report["client_failures"].items()) or "none"),
        "HTTP statuses (access log): "
        + ", ".join(f"{k}: {v}" for k, v in sorted(report["http_statuses"].items())),
        *(
            [
                f"Web: {report['web_processes']} gunicorn processes behind nginx; requests per "
                "process: "
                + ", ".join(f"{k}: {v}" for k, v in sorted(front["requests_by_process"].items()))
                + f"; refused and retried on the other process: "
                f"{front['retried_on_other_process']}; cut off in flight by the kill and "
                f"answered with the try-again page: "
                + (
                    ", ".join(f"{k} {v}" for k, v in front["cut_off_try_again_page"].items())
                    or "none"
                )
            ]
            if (front := report.get("front"))
            else []
        ),
        "",
        fmt_table(
            ["check", "result", "detail"],
            [[c["check"], "PASS" if c["ok"] else "FAIL", c["detail"]] for c in report["checks"]],
        ),
        "",
        fmt_table(
            ["fault", "at (s)", "result", "detail"],
            [[s["scenario"], s["at_s"], s["result"], s["detail"]] for s in report["scenarios"]],
        ),
        "",
        "Overall: " + ("PASS" if report["passed"] else "FAIL"),
    ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
