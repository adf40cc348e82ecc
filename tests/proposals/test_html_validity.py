"""The proposal pages are valid HTML (Nu HTML checker), like every other page
(tests/test_html_validity.py; kept apart so the page lists of several apps do not clash)."""

import pytest
from django.test import Client

from apps.accounts.roles import Role
from apps.proposals import services
from tests.factories import make_user
from tests.html_checker import html_problems, require_html_checker

pytestmark = pytest.mark.django_db


def test_proposal_pages_pass_the_nu_html_checker(proposal, data, tmp_path, settings):
    require_html_checker()
    settings.EXPORTS_DIR = tmp_path / "exports"
    editor = make_user(Role.EDITOR)
    section = proposal.sections.get(key="tasks")
    for kind in ("tasks", "overview", "job_titles", "crosswalk", "profile"):
        services.evidence_block_add(section=section, kind=kind, filters={}, options={}, by=editor)
    services.section_save(
        section=section, body="# Tasks\n\n- one\n- **two**", revision=1, by=editor
    )
    old = services.version_save(proposal=proposal, note="a", by=editor)
    section.refresh_from_db()
    services.section_save(section=section, body="# Tasks\n\n- one\n- three", revision=2, by=editor)
    version = services.version_save(proposal=proposal, note="b", by=editor)
    services.version_publish(version=version, by=editor)
    comment = services.comment_submit(
        version=version,
        section_key="tasks",
        name="Ana",
        organization="",
        role="frontline",
        state="CA",
        body="Add homework help, please.",
        language="en",
    )
    services.comment_moderate(comment=comment, approve=True, by=editor)
    services.comment_submit(
        version=version,
        section_key="tasks",
        name="",
        organization="",
        role="other",
        state="NY",
        body="Another comment, waiting.",
        language="en",
    )
    from apps.proposals.exporting import proposal_export_request

    job = proposal_export_request(version=version, format="docx", by=editor)
    staff = Client()
    staff.force_login(editor)
    html = {}
    for url in [
        "/staff/proposal/",
        "/staff/proposal/settings/",
        "/staff/proposal/section/tasks/",
        "/staff/proposal/section/definition/?use_draft=1",
        "/staff/proposal/versions/",
        f"/staff/proposal/versions/{version.number}/",
        f"/staff/proposal/versions/compare/?old={old.number}&new={version.number}",
        f"/staff/proposal/exports/{job.pk}/",
        "/staff/proposal/comments/",
    ]:
        html[url] = staff.get(url).content.decode()
    html["section conflict"] = staff.post(
        "/staff/proposal/section/tasks/", {"body": "mine", "revision": 1}
    ).content.decode()
    public = Client()
    for url in [
        f"/proposal/draft/{version.number}/",
        f"/proposal/draft/{version.number}/comment/tasks/",
        f"/proposal/draft/{version.number}/thanks/",
        f"/proposal/draft/{old.number}/",
    ]:
        html[url] = public.get(url).content.decode()
    html["comment (errors)"] = public.post(
        f"/proposal/draft/{version.number}/comment/tasks/", {"body": "x"}
    ).content.decode()
    problems = html_problems(html, tmp_path)
    assert not problems, "\n".join(problems)
