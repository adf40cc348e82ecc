import io
import zipfile

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.exports.models import ExportJob
from apps.exports.services import export_job_run

from ..factories import make_user
from .helpers import answered

pytestmark = pytest.mark.django_db

LIST = reverse("exports:list")
REQUEST = reverse("exports:request")


def job_urls(job: ExportJob) -> list[str]:
    return [
        reverse(f"exports:{name}", kwargs={"pk": job.pk})
        for name in ("detail", "status", "download")
    ]


def done_job(user, kind="responses", fmt="csv") -> ExportJob:
    job = ExportJob.objects.create(
        kind=kind, format=fmt, requested_by=user, includes_personal_data=kind == "contacts"
    )
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    return job


def post_request(client, capture, **data):
    with capture(execute=True):
        return client.post(REQUEST, {"kind": "responses", "format": "csv", **data})


def test_anonymous_visitors_are_sent_to_sign_in(client, reviewer):
    job = done_job(reviewer)
    for url in [LIST, *job_urls(job)]:
        reply = client.get(url)
        assert reply.status_code == 302, url
        assert reverse("accounts:login") in reply.url
    reply = client.post(REQUEST, {"kind": "responses", "format": "csv"})
    assert reply.status_code == 302
    assert not ExportJob.objects.exclude(pk=job.pk).exists()


def test_users_without_a_staff_role_get_403(client, reviewer, no_role_user):
    job = done_job(reviewer)
    client.force_login(no_role_user)
    for url in [LIST, *job_urls(job)]:
        assert client.get(url).status_code == 403, url
    assert client.post(REQUEST, {"kind": "responses", "format": "csv"}).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_reviewers_and_editors_get_no_record_level_export(role, request, client, survey):
    """Record-level data is for Administrators; Reviewers and Editors get aggregates."""
    client.force_login(request.getfixturevalue(role))
    page = client.get(LIST).content.decode()
    assert 'value="responses"' not in page and 'value="responses_identifiers"' not in page
    for kind in ("responses", "responses_identifiers"):
        reply = client.post(REQUEST, {"kind": kind, "format": "csv"})
        assert reply.status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("role", ["administrator"])
def test_staff_export_responses_from_request_to_download(
    role, request, client, survey, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    answered(survey)
    client.force_login(user)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "exports/exportjob_list.html" in [t.name for t in page.templates]
    html = page.content.decode()
    assert "<h1>Exports</h1>" in html
    assert ("Respondent contacts" in html) == (role == "administrator")
    reply = post_request(client, django_capture_on_commit_callbacks, state="TX", labels="on")
    job = ExportJob.objects.get()
    assert reply.status_code == 302
    assert reply.url == job.get_absolute_url()
    assert job.requested_by == user
    assert job.options == {"filters": {"state": "TX"}, "labels": True}
    detail, status, download = job_urls(job)
    html = client.get(detail).content.decode()
    assert '<progress id="export-progress"' in html
    assert 'for="export-progress"' in html
    assert f'data-job-status-url="{status}"' in html
    assert "js/jobs.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    state = client.get(status).json()
    assert state["status"] == "done"
    assert state["progress"] == 100
    assert state["rows_written"] == 1
    assert state["download_url"] == download
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Type"] == "application/zip"
    assert file["Content-Disposition"].startswith('attachment; filename="responses-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content)))
    assert sorted(archive.namelist()) == ["codebook.csv", "data.csv"]
    assert job.get_absolute_url() in client.get(LIST).content.decode()


def test_xlsx_download_has_the_spreadsheet_type(client, administrator):
    job = done_job(administrator, fmt="xlsx")
    client.force_login(administrator)
    file = client.get(reverse("exports:download", kwargs={"pk": job.pk}))
    assert file["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert file["Content-Disposition"].endswith('.xlsx"')


def test_another_reviewer_cannot_see_or_download_a_job(client, reviewer, administrator):
    job = done_job(reviewer)
    client.force_login(make_user(Role.REVIEWER))
    for url in job_urls(job):
        assert client.get(url).status_code == 403, url
    client.force_login(administrator)
    for url in job_urls(job):
        assert client.get(url).status_code == 200, url


def test_download_only_when_done(client, administrator):
    job = ExportJob.objects.create(kind="responses", format="csv", requested_by=administrator)
    client.force_login(administrator)
    detail, status, download = job_urls(job)
    assert client.get(download).status_code == 404
    assert client.get(status).json()["download_url"] == ""
    assert 'data-job-finished="false"' in client.get(detail).content.decode()


def test_failed_job_page_shows_the_message(client, administrator):
    job = ExportJob.objects.create(
        kind="responses",
        format="csv",
        requested_by=administrator,
        status=ExportJob.Status.FAILED,
        error_message="The export could not be made. Please try again; if it fails again, "
        "tell an administrator.",
    )
    client.force_login(administrator)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "The export could not be made." in html
    assert client.get(job_urls(job)[1]).json()["message"].startswith("The export could not")


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_contacts_export_is_for_administrators_only(
    role, request, client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(role))
    reply = post_request(client, django_capture_on_commit_callbacks, kind="contacts")
    assert reply.status_code == 403
    assert not ExportJob.objects.exists()
    job = done_job(administrator, kind="contacts")
    for url in job_urls(job):
        assert client.get(url).status_code == 403, url


def test_contacts_export_is_audited_when_requested_and_downloaded(
    client, survey, administrator, django_capture_on_commit_callbacks
):
    answered(survey, {"follow_up": "yes"})
    client.force_login(administrator)
    reply = post_request(client, django_capture_on_commit_callbacks, kind="contacts")
    job = ExportJob.objects.get()
    assert reply.url == job.get_absolute_url()
    assert job.includes_personal_data
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED, object_id=str(job.pk))
    assert list(events.values_list("details__stage", flat=True)) == ["requested"]
    file = client.get(reverse("exports:download", kwargs={"pk": job.pk}))
    data = zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content))).read("data.csv")
    assert b"practitioner@example.org" in data
    assert sorted(events.values_list("details__stage", flat=True)) == ["downloaded", "requested"]
    assert events.filter(actor=administrator).count() == 2


def test_responses_downloads_are_not_audited(client, reviewer):
    job = done_job(reviewer)
    client.force_login(reviewer)
    client.get(reverse("exports:download", kwargs={"pk": job.pk}))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_an_invalid_request_shows_the_form_again(client, administrator):
    client.force_login(administrator)
    reply = client.post(REQUEST, {"kind": "responses", "format": "pdf"})
    assert reply.status_code == 400
    assert "exports/exportjob_list.html" in [t.name for t in reply.templates]
    assert not ExportJob.objects.exists()


def test_the_request_view_only_takes_post(client, reviewer):
    client.force_login(reviewer)
    assert client.get(REQUEST).status_code == 405


def test_the_admin_lists_jobs_read_only_for_administrators(client, reviewer, editor, administrator):
    from django.conf import settings

    done_job(reviewer)
    url = f"/{settings.ADMIN_URL}exports/exportjob/"
    client.force_login(administrator)
    page = client.get(url)
    assert page.status_code == 200
    assert "Add export job" not in page.content.decode()
    client.force_login(editor)
    assert client.get(url).status_code == 403


def test_the_dashboard_partial_carries_the_filters(
    client, administrator, django_capture_on_commit_callbacks
):
    import re

    from django.template.loader import render_to_string

    html = render_to_string(
        "exports/includes/_request_form.html",
        {"params": {"state": "TX", "flagged": True}, "csrf_token": "t"},
    )
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert fields == {
        "csrfmiddlewaretoken": "t",
        "kind": "responses",
        "state": "TX",
        "flagged": "True",
    }
    client.force_login(administrator)
    fields.pop("csrfmiddlewaretoken")
    post_request(client, django_capture_on_commit_callbacks, **fields)
    assert ExportJob.objects.get().options["filters"] == {"state": "TX", "flagged": True}


@pytest.mark.parametrize("role", ["reviewer", "editor", "administrator"])
def test_a_role_with_nothing_to_export_is_told_so_not_shown_an_empty_form(role, request, client):
    """A Reviewer saw the whole request form with an empty required "Data" list, and a 400
    when sending it (a staff walk)."""
    from apps.exports.base import exporter_classes_for

    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(LIST).content.decode()
    nothing = not exporter_classes_for(user)
    assert ("Your role cannot request exports." in page) is nothing
    assert ('name="kind"' in page) is not nothing
