"""Gunicorn settings for production: `gunicorn -c ostportal/gunicorn.conf.py ostportal.wsgi`.

Every value can be changed through the environment (GUNICORN_*), so one file serves a small
VM and a bigger one. See the run book in README.md.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Behind the reverse proxy on loopback (or a unix socket: GUNICORN_BIND=unix:/run/ostportal.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker keep serving while one request waits on the database.
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
# A request that runs longer than this is killed (exports run in Celery, not here).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load the app once in the master: faster worker start and less memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
# The proxy sets X-Forwarded-For/-Proto; trust them from loopback only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access log on stdout with the request id, so a line can be matched to the app's JSON logs.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
