"""Proposal workspace at BENCH_SIZE (default 10,000) synthetic responses on PostgreSQL: the
data stamp, a section page with five evidence blocks when nothing changed, right after a new
response (stale check recomputes, then the cache answers), with "check every block", saving a
version, and building the DOCX and PDF. Prints the timings and writes
bench/results/proposals.json.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "ostportal_proposals_bench"
SIZE = int(os.environ.get("BENCH_SIZE", "10000"))
RESULTS = ROOT / "bench" / "results" / "proposals.json"

os.environ.update(
    DJANGO_SETTINGS_MODULE="ostportal.settings.bench",
    DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
    DJANGO_ALLOWED_HOSTS="testserver",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME,
    DJANGO_LOG_LEVEL="ERROR",
)
os.environ.pop("REDIS_CACHE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)


def timed(fn, repeat: int = 1) -> float:
    """Median wall time of `fn` in milliseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 1)


def main() -> int:
    psql = ["psql", PG_ADMIN, "-qc"]
    subprocess.run(psql + [f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True, capture_output=True)
    subprocess.run(psql + [f"CREATE DATABASE {DB_NAME}"], check=True, capture_output=True)
    import django

    django.setup()
    import tempfile

    from django.core.management import call_command
    from django.test import Client

    from apps.accounts.roles import Role
    from apps.proposals import documents, evidence, services
    from apps.proposals.selectors import proposal_current
    from apps.surveys.models import Survey
    from devtools.synthetic import synthetic_responses_generate
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    call_command("seed_content", verbosity=0)
    call_command("seed_survey", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("generate_responses", count=SIZE, seed=SIZE, verbosity=0)
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    editor = make_user(Role.EDITOR, username="bench-editor")
    client = Client()
    client.force_login(editor)
    proposal = proposal_current()
    section = proposal.sections.get(key="tasks")
    for kind in ("tasks", "overview", "job_titles", "crosswalk", "profile"):
        services.evidence_block_add(section=section, kind=kind, filters={}, options={}, by=editor)
    url = section.get_absolute_url()
    survey = Survey.objects.get(slug="ost-roles-duties")
    results = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "responses": SIZE}
    results["data_stamp_ms"] = timed(evidence.data_stamp, 5)
    results["section_page_unchanged_ms"] = timed(lambda: client.get(url), 5)
    synthetic_responses_generate(survey=survey, count=1, seed=SIZE + 1)
    results["section_page_first_after_change_ms"] = timed(lambda: client.get(url))
    results["section_page_cached_after_change_ms"] = timed(lambda: client.get(url), 5)
    results["section_page_check_all_ms"] = timed(lambda: client.get(url + "?check=all"), 3)
    holder = {}
    results["version_save_ms"] = timed(
        lambda: holder.update(v=services.version_save(proposal=proposal, note="", by=editor))
    )
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("docx", "pdf"):
            dest = Path(tmp) / f"p.{fmt}"
            results[f"{fmt}_build_ms"] = timed(
                lambda fmt=fmt, dest=dest: documents.BUILDERS[fmt](
                    holder["v"], dest, lambda n: None
                )
            )
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
