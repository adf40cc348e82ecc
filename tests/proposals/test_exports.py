"""DOCX and PDF of a version, made by a Celery task with progress; audited."""

import base64
import os
import re
import shutil
import subprocess
import zlib
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.proposals import exporting, services
from apps.proposals.models import EvidenceBlock, ProposalExport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def version(proposal, data, editor):
    proposal.notice_citation = "Notice of Solicitation, Federal Register, test citation 123"
    proposal.docket_id = "BLS-TEST-0001"
    proposal.save()
    section = proposal.sections.get(key="tasks")
    services.section_save(
        section=section, body="Youth workers **plan** activities.", revision=1, by=editor
    )
    for kind, key in (("tasks", "tasks"), ("overview", "employment")):
        services.evidence_block_add(
            section=proposal.sections.get(key=key), kind=kind, filters={}, options={}, by=editor
        )
    # Two Texan respondents: under K, so the block holds no figure, only the notice.
    services.evidence_block_add(
        section=proposal.sections.get(key="employment"),
        kind="overview",
        filters={"state": "TX"},
        options={},
        by=editor,
    )
    return services.version_save(proposal=proposal, note="", by=editor)


def _run(version, fmt, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = exporting.proposal_export_request(version=version, format=fmt, by=editor)
    job.refresh_from_db()
    return job


def test_docx_opens_and_holds_title_page_sections_and_numbers(
    version, editor, django_capture_on_commit_callbacks
):
    job = _run(version, "docx", editor, django_capture_on_commit_callbacks)
    assert job.status == ProposalExport.Status.DONE and job.progress == 100
    assert job.sections_written == 15
    document = docx.Document(str(exporting.proposal_export_file(job)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Notice of Solicitation, Federal Register, test citation 123" in text
    assert "BLS-TEST-0001" in text
    for heading in ("1. Proposed title", "2. Definition", "3. Nature of the work and tasks"):
        assert heading in text
    assert "Methods note" in text and "fewer than 5 respondents" in text
    assert "may differ from the exact count by up to 2" in text  # the noise is stated
    assert "15 complete responses" in text
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    t01 = next(r for r in cells if r[0].startswith("T01"))
    assert t01[1:3] == ["15", "100"] and t01[5] == "core"
    t03 = next(r for r in cells if r[0].startswith("T03"))
    assert t03[1:] == ["x", "—", "—", "—", "—"]  # suppressed in the document too
    roles = [r for r in cells if r[0].startswith("Frontline")]
    assert roles and roles[0][1] == "x"
    assert "<5" not in text and "x = hidden: fewer than 5 people, or hidden so that" in text
    too_few = "This selection has fewer than 5 responses, so no figures are shown."
    assert too_few in text


def _pdf_text(path: Path) -> str:
    raw = path.read_bytes()
    chunks = [raw.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\s*endstream", raw, re.S):
        body = match.group(1)
        try:
            if body.rstrip().endswith(b"~>"):  # reportlab: ASCII85, then Flate
                body = base64.a85decode(body.rstrip(), adobe=True)
            chunks.append(zlib.decompress(body).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return "".join(chunks)


def test_pdf_is_made_with_the_same_content(version, editor, django_capture_on_commit_callbacks):
    job = _run(version, "pdf", editor, django_capture_on_commit_callbacks)
    assert job.status == ProposalExport.Status.DONE
    path = exporting.proposal_export_file(job)
    assert path.read_bytes().startswith(b"%PDF")
    text = _pdf_text(path)
    assert "BLS-TEST-0001" in text and "Methods note" in text and "Proposed title" in text
    # Hidden counts are drawn as the neutral mark "x" (never "<5"), statistics as "—".
    assert "(x) Tj" in text and "(<5)" not in text and "(<) Tj" not in text
    assert "x = hidden: fewer than 5 people" in text
    assert "This selection has fewer than 5 responses" in text
    assert "\\227" in text  # the em dash in the standard fonts' encoding


def test_exports_are_audited(version, editor, django_capture_on_commit_callbacks, client):
    job = _run(version, "docx", editor, django_capture_on_commit_callbacks)
    client.force_login(editor)
    reply = client.get(f"/staff/proposal/exports/{job.pk}/download/")
    assert reply.status_code == 200
    assert b"".join(reply.streaming_content)[:2] == b"PK"
    stages = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).values_list(
            "details__stage", flat=True
        )
    )
    assert sorted(stages) == ["downloaded", "requested"]


def test_a_failed_build_says_so_without_a_file(version, editor, monkeypatch):
    from apps.proposals import documents

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(documents.BUILDERS, "docx", broken)
    job = ProposalExport.objects.create(version=version, format="docx", requested_by=editor)
    exporting.proposal_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ProposalExport.Status.FAILED and "could not be made" in job.error_message
    assert exporting.proposal_export_file(job) is None


def test_running_twice_builds_once(version, editor):
    job = ProposalExport.objects.create(version=version, format="docx", requested_by=editor)
    exporting.proposal_export_run(job_id=job.pk)
    exporting.proposal_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 1 and job.status == ProposalExport.Status.DONE


def test_stalled_job_is_requeued_and_built(version, editor, settings):
    job = ProposalExport.objects.create(version=version, format="pdf", requested_by=editor)
    long_ago = timezone.now() - timedelta(hours=1)
    ProposalExport.objects.filter(pk=job.pk).update(
        status="running", attempts=1, heartbeat_at=long_ago, updated_at=long_ago
    )
    counts = exporting.proposal_exports_requeue_stale()
    assert counts["requeued"] == 1
    job.refresh_from_db()
    assert job.status == ProposalExport.Status.DONE and job.attempts == 2


def test_status_view_reports_progress(version, editor, client, django_capture_on_commit_callbacks):
    job = _run(version, "docx", editor, django_capture_on_commit_callbacks)
    client.force_login(editor)
    data = client.get(f"/staff/proposal/exports/{job.pk}/status/").json()
    assert data["progress"] == 100 and data["is_finished"] and data["download_url"]


def test_the_queued_task_gets_plain_json_arguments(version, editor, monkeypatch):
    import json

    from apps.core.jobs import send
    from apps.core.jobs.tasks import job_run

    sent = []
    monkeypatch.setattr(job_run.app.conf, "task_always_eager", False)
    monkeypatch.setattr(job_run, "apply_async", lambda **kw: sent.append(kw["kwargs"]))
    job = ProposalExport.objects.create(version=version, format="pdf", requested_by=editor)
    assert send("proposal_documents", job.pk)
    assert sent == [{"name": "proposal_documents", "job_id": job.pk}]
    assert json.loads(json.dumps(sent[0])) == sent[0]


def test_a_broker_outage_leaves_the_job_waiting_with_a_notice(version, editor, dead_broker):
    from apps.core.jobs import send

    job = ProposalExport.objects.create(version=version, format="pdf", requested_by=editor)
    assert send("proposal_documents", job.pk) is False
    job.refresh_from_db()
    assert job.status == "pending" and "queue cannot be reached" in job.error_message


def _libreoffice() -> str:
    """LibreOffice's path. Skipped when it is missing, unless REQUIRE_LIBREOFFICE=1 (as in
    .ci/run's PostgreSQL pass), where a missing LibreOffice is a failure: CI cannot skip the
    check that our DOCX opens in a real word processor without anyone noticing."""
    path = shutil.which("libreoffice") or shutil.which("soffice")
    if path is None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("REQUIRE_LIBREOFFICE=1 but libreoffice is not installed")
        pytest.skip("libreoffice is not installed (REQUIRE_LIBREOFFICE=1 makes this a failure)")
    return path


def test_libreoffice_converts_the_docx(
    version, editor, django_capture_on_commit_callbacks, tmp_path
):
    libreoffice = _libreoffice()
    job = _run(version, "docx", editor, django_capture_on_commit_callbacks)
    result = subprocess.run(
        [
            libreoffice,
            # A profile of its own: no clash with another LibreOffice running on the machine.
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(exporting.proposal_export_file(job)),
        ],
        capture_output=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdfs = list(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 1
    assert pdfs[0].read_bytes().startswith(b"%PDF-")


def test_block_kinds_are_all_exported(version):
    kinds = {b["kind"] for s in version.sections for b in s["blocks"]}
    assert kinds == {EvidenceBlock.Kind.TASKS, EvidenceBlock.Kind.OVERVIEW}


def test_old_documents_are_removed(version, editor, settings):
    job = ProposalExport.objects.create(version=version, format="docx", requested_by=editor)
    exporting.proposal_export_run(job_id=job.pk)
    job.refresh_from_db()
    path = exporting.proposal_export_file(job)
    assert path.is_file()
    assert exporting.proposal_export_files_remove_expired() == 0
    ProposalExport.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(days=settings.EXPORTS_KEEP_DAYS + 1)
    )
    assert exporting.proposal_export_files_remove_expired() == 1
    job.refresh_from_db()
    assert not path.exists() and job.file_path == ""


def test_a_title_page_without_notice_or_docket_is_pointed_out_before_export(
    proposal, editor, client, django_capture_on_commit_callbacks
):
    """The documents are made from the version as saved: one saved without the Federal
    Register citation or the docket ID would go out without them; the version page and the
    export request say so, in the editor's language."""
    proposal.notice_citation, proposal.docket_id = "", ""
    proposal.save()
    bare = services.version_save(proposal=proposal, note="", by=editor)
    client.force_login(editor)
    html = client.get(f"/staff/proposal/versions/{bare.number}/").content.decode()
    assert "title page has no Federal Register notice citation and no docket ID" in html
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            f"/staff/proposal/versions/{bare.number}/export/", {"format": "pdf"}, follow=True
        )
    assert "so its documents have none either" in reply.content.decode()
    proposal.notice_citation = "Notice of Solicitation, test citation 123"
    proposal.save()
    cited = services.version_save(proposal=proposal, note="", by=editor)
    html = client.get(f"/staff/proposal/versions/{cited.number}/").content.decode()
    assert "title page has no docket ID," in html and "notice citation" not in html
    client.cookies["django_language"] = "es"
    html = client.get(f"/staff/proposal/versions/{bare.number}/").content.decode()
    assert "no tiene la cita del aviso del Registro Federal ni el número de expediente" in html
    proposal.docket_id = "BLS-TEST-0001"
    proposal.save()
    whole = services.version_save(proposal=proposal, note="", by=editor)
    html = client.get(f"/staff/proposal/versions/{whole.number}/").content.decode()
    assert 'id="title-page-warning"' not in html
