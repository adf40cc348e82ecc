"""One synthetic database per response count, generated once and shared by the benchmark
scripts of a run (and of later runs): `ostportal_bench_<N>` holds N complete responses.

`ensure(N)` reuses the database when its marker (a comment on the database, written only
after a build finished) says it holds N responses made by this dataset format and it still has
exactly N responses (pending migrations are applied to it first, as a deployment would; a
change to what the generator writes bumps FORMAT); otherwise it drops and builds it: migrate,
seed the content and the survey, then `generate_responses`' bulk load (indexes dropped and
built once at the end, tables analysed) and VACUUM ANALYZE. BENCH_REBUILD=1 forces a build.
The build runs in a child process, whose time and peak memory are recorded in the marker, so
a script that reuses the database still reports how long generating it took (and when).

Scripts that only read (data_bench.py's exports) point at the database itself (`use`);
scripts that write to it (insights_bench.py's cube refresh adds responses) take a copy
(`clone`), so the shared database keeps exactly N responses.
"""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REBUILD = os.environ.get("BENCH_REBUILD") == "1"
PREFIX = os.environ.get("BENCH_DATASET_PREFIX", "ostportal_bench_")
FORMAT = 1  # bump when the generator's output changes, so older databases are rebuilt
SEED = 1


def name(size: int) -> str:
    return f"{PREFIX}{size}"


def url(database: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + database


def _psql(sql: str, database: str | None = None) -> str:
    result = subprocess.run(
        ["psql", url(database) if database else PG_ADMIN, "-qtAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def _marker(database: str) -> dict | None:
    found = _psql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{database}'"
    )
    if not found:
        return None
    try:
        marker = json.loads(found)
    except ValueError:
        return None
    return marker if isinstance(marker, dict) else None


def _child_env(database: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url(database), "DJANGO_LOG_LEVEL": "ERROR"}
    env["DJANGO_SETTINGS_MODULE"] = "ostportal.settings.bench"
    env.setdefault("DJANGO_SECRET_KEY", "bench-dataset-" + "x" * 48)
    env.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    env.pop("REDIS_CACHE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


# Run in the child: what the database holds, and whether a migration is pending.
_CHECK = """
import json, django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from apps.surveys.models import Response
executor = MigrationExecutor(connection)
pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
print(json.dumps({"responses": Response.objects.count(), "pending": len(pending)}))
"""

_MIGRATE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
print(json.dumps({}))
"""

# Run in a child: migrate and seed (apart, so the generator's peak memory is its own).
_SETUP = """
import json, time, django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("migrate", verbosity=0)
call_command("seed_content", verbosity=0)
call_command("seed_survey", verbosity=0)
print(json.dumps({"setup_seconds": round(time.perf_counter() - started, 2)}))
"""

# Run in the next child: generate (timed alone) and the process's peak memory.
_BUILD = """
import json, os, resource, sys, django
django.setup()
from apps.surveys.models import Survey
from devtools.synthetic import synthetic_responses_generate
size, seed = int(sys.argv[1]), int(sys.argv[2])
load = [round(x, 2) for x in os.getloadavg()]
summary = synthetic_responses_generate(
    survey=Survey.objects.get(slug="ost-roles-duties"), count=size, seed=seed, bulk_load=True
)
print(json.dumps({
    "seconds": round(summary.seconds, 2),
    "responses": summary.responses,
    "walked": summary.walked,
    "rows": summary.responses + summary.answers + summary.ratings + summary.contacts,
    "load_average_before": load,
    "load_average_after": [round(x, 2) for x in os.getloadavg()],
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def _run_child(code: str, database: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=_child_env(database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{database}: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def reusable(size: int) -> dict | None:
    """The marker of `ostportal_bench_<size>` when it can be reused as it is, else None."""
    database = name(size)
    marker = _marker(database)
    if not marker or marker.get("format") != FORMAT or marker.get("size") != size:
        return None
    state = _run_child(_CHECK, database)
    if state["responses"] != size:
        return None
    if state["pending"]:
        # Migrations newer than the build (an index, a table of another app) are applied to
        # the data as a deployment would; a change to what the generator writes bumps FORMAT.
        print(f"{database}: applying {state['pending']} pending migration(s)", flush=True)
        _run_child(_MIGRATE, database)
    return marker


def build(size: int) -> dict:
    """Drop and build `ostportal_bench_<size>`; returns its marker (the build's figures)."""
    database = name(size)
    _psql(f"DROP DATABASE IF EXISTS {database}")
    _psql(f"CREATE DATABASE {database}")
    setup = _run_child(_SETUP, database)
    generated = {**setup, **_run_child(_BUILD, database, str(size), str(SEED))}
    started = time.perf_counter()
    _psql("VACUUM ANALYZE", database)
    generated["vacuum_seconds"] = round(time.perf_counter() - started, 2)
    generated["responses_per_second"] = round(generated["responses"] / generated["seconds"])
    marker = {
        "format": FORMAT,
        "size": size,
        "seed": SEED,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "generate": generated,
    }
    _psql(f"COMMENT ON DATABASE {database} IS '{json.dumps(marker)}'")
    return marker


def ensure(size: int) -> dict:
    """`ostportal_bench_<size>`, reused or built; the marker plus `"reused": bool`."""
    marker = None if REBUILD else reusable(size)
    if marker is not None:
        return {**marker, "reused": True}
    print(f"Generating the {size:,}-response benchmark database {name(size)}...", flush=True)
    return {**build(size), "reused": False}


def use(database: str) -> None:
    """Point this process's Django connection (and its child processes) at `database`."""
    from django.db import connections

    os.environ["DATABASE_URL"] = url(database)
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = database


def clone(size: int, target: str) -> dict:
    """`target` as a fresh copy of `ostportal_bench_<size>` (ensured first); the marker."""
    marker = ensure(size)
    _psql(f"DROP DATABASE IF EXISTS {target}")
    # FILE_COPY: copy the files after a checkpoint (WAL-logging every block, the default
    # strategy, is far slower for gigabytes).
    _psql(f"CREATE DATABASE {target} TEMPLATE {name(size)} STRATEGY = FILE_COPY")
    return marker
