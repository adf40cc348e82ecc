"""One dashboard view on an existing benchmark database, every SQL statement timed: the
page's total, the time in SQL, the number of statements and the slowest ones. Not part of
`make bench`; for finding where a view's time goes:

    .venv/bin/python bench/view_profile.py DATABASE PAGE [name=value ...]
    .venv/bin/python bench/view_profile.py ostportal_bench_1000000 insights:crosswalk \\
        state=CA setting=school_campus

Runs as a signed-in reviewer (made once, `view-profile-reviewer`) with Celery as in
production (not eager: the page checks the figures' latest change only), after one warm-up
request of the same view.
"""

import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def main(database: str, page: str, args: list[str]) -> int:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + "/" + database,
        DJANGO_LOG_LEVEL="ERROR",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from apps.accounts.roles import Role
    from ostportal.celery_app import app
    from tests.factories import make_user

    app.conf.task_always_eager = False
    client = Client()
    name = "view-profile-reviewer"
    user = get_user_model().objects.filter(username=name).first()
    client.force_login(user or make_user(Role.REVIEWER, username=name, email=f"{name}@example.org"))
    query = dict(arg.split("=", 1) for arg in args)
    url = reverse(page)
    client.get(url, query)
    timed: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(wrapper):
        started = time.perf_counter()
        response = client.get(url, query)
        total = time.perf_counter() - started
    sql = sum(seconds for seconds, _ in timed)
    print(
        f"{page} {query}: status {response.status_code}, {1000 * total:.0f} ms, "
        f"SQL {1000 * sql:.0f} ms in {len(timed)} statements (load {os.getloadavg()[0]:.2f})"
    )
    for seconds, statement in sorted(timed, reverse=True)[:5]:
        print(f"  {1000 * seconds:8.1f} ms  {statement[:140]}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
