"""Staff pages: who may do what, concurrent edits, bad input, and bounded queries."""

import pytest
from django.test import Client

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.proposals import services
from apps.proposals.models import (
    SECTION_MAX_LENGTH,
    EvidenceBlock,
    ProposalComment,
    ProposalExport,
    ProposalSection,
    ProposalVersion,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(proposal, editor, settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path
    section = proposal.sections.get(key="tasks")
    block = services.evidence_block_add(
        section=section, kind="overview", filters={}, options={}, by=editor
    )
    version = services.version_save(proposal=proposal, note="", by=editor)
    services.version_publish(version=version, by=editor)
    comment = services.comment_submit(
        version=version,
        section_key="tasks",
        name="",
        organization="",
        role="frontline",
        state="CA",
        body="Please add homework help.",
        language="en",
    )
    job = ProposalExport.objects.create(version=version, format="docx", requested_by=editor)
    return {"section": section, "block": block, "version": version, "comment": comment, "job": job}


READ = [
    "/staff/proposal/",
    "/staff/proposal/section/tasks/",
    "/staff/proposal/versions/",
    "/staff/proposal/versions/compare/",
    "/staff/proposal/versions/1/",
]


def _editor_gets(o):
    return [
        "/staff/proposal/settings/",
        "/staff/proposal/comments/",
        f"/staff/proposal/exports/{o['job'].pk}/",
        f"/staff/proposal/exports/{o['job'].pk}/status/",
    ]


def _editor_posts(o):
    b, c = o["block"].pk, o["comment"].pk
    return [
        ("/staff/proposal/settings/", {"title_en": "T"}),
        ("/staff/proposal/section/tasks/", {"body": "x", "revision": 1}),
        ("/staff/proposal/section/tasks/evidence/", {"kind": "overview"}),
        (f"/staff/proposal/section/tasks/evidence/{b}/refresh/", {}),
        ("/staff/proposal/versions/", {"note": ""}),
        ("/staff/proposal/versions/1/withdraw/", {}),
        ("/staff/proposal/versions/1/publish/", {}),
        ("/staff/proposal/versions/1/export/", {"format": "docx"}),
        (f"/staff/proposal/comments/{c}/moderate/", {"decision": "approve"}),
        (f"/staff/proposal/comments/{c}/respond/", {"disposition": "adopted", "reason": "ok"}),
        (f"/staff/proposal/section/tasks/evidence/{b}/remove/", {}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(objects, client):
    for url in READ + _editor_gets(objects):
        reply = client.get(url)
        assert reply.status_code == 302 and "/accounts/login/" in reply.url, url
    for url, data in _editor_posts(objects):
        reply = client.post(url, data)
        assert reply.status_code == 302 and "/accounts/login/" in reply.url, url


def test_users_without_a_role_get_403_everywhere(objects, no_role_user, client):
    client.force_login(no_role_user)
    for url in READ + _editor_gets(objects):
        assert client.get(url).status_code == 403, url
    for url, data in _editor_posts(objects):
        assert client.post(url, data).status_code == 403, url


def test_reviewers_read_but_do_not_change(objects, reviewer, client):
    client.force_login(reviewer)
    for url in READ:
        assert client.get(url).status_code == 200, url
    for url in _editor_gets(objects):
        assert client.get(url).status_code == 403, url
    for url, data in _editor_posts(objects):
        assert client.post(url, data).status_code == 403, url
    page = client.get("/staff/proposal/section/tasks/").content.decode()
    assert "Save section" not in page and "Insert evidence" not in page


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_editors_and_administrators_do_everything(objects, client, role):
    client.force_login(make_user(role))
    for url in READ + _editor_gets(objects):
        assert client.get(url).status_code == 200, url
    for url, data in _editor_posts(objects):
        assert client.post(url, data).status_code in (200, 302), url
    assert not EvidenceBlock.objects.filter(pk=objects["block"].pk).exists()


def test_second_editor_is_told_and_shown_both_texts(proposal, editor, client):
    other = make_user(Role.EDITOR)
    section = proposal.sections.get(key="definition")
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other)
    assert (
        first.post(section.get_absolute_url(), {"body": "Text from A", "revision": 1}).status_code
        == 302
    )
    reply = second.post(section.get_absolute_url(), {"body": "Text from B", "revision": 1})
    assert reply.status_code == 409
    page = reply.content.decode()
    assert "Someone else saved this section" in page
    assert "Text from A" in page and "Text from B" in page
    assert 'name="revision" value="2"' in page
    section.refresh_from_db()
    assert section.body == "Text from A" and section.revision == 2
    # Having seen both, B saves a merge on the new revision.
    assert (
        second.post(section.get_absolute_url(), {"body": "A and B", "revision": 2}).status_code
        == 302
    )
    section.refresh_from_db()
    assert section.body == "A and B" and section.revision == 3


def test_an_enormous_section_is_refused_with_the_text_kept(proposal, editor, client):
    client.force_login(editor)
    text = "word " * (SECTION_MAX_LENGTH // 4)
    reply = client.post("/staff/proposal/section/tasks/", {"body": text, "revision": 1})
    assert reply.status_code == 400
    page = reply.content.decode()
    assert "This section is too long" in page and "20,000" in page
    assert text.strip()[:200] in page
    assert ProposalSection.objects.get(proposal=proposal, key="tasks").body == ""


def test_an_empty_section_saves_and_says_so(proposal, editor, client):
    client.force_login(editor)
    reply = client.post(
        "/staff/proposal/section/tasks/", {"body": "   ", "revision": 1}, follow=True
    )
    assert "This section has no text yet." in reply.content.decode()


def test_script_in_markdown_never_runs(proposal, editor, client):
    client.force_login(editor)
    body = "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    client.post("/staff/proposal/section/tasks/", {"body": body, "revision": 1})
    page = client.get("/staff/proposal/section/tasks/").content.decode()
    preview = page.split('id="preview-title"')[1]
    assert "<script>alert" not in preview and "onerror" not in preview
    assert "javascript:" not in preview


def test_inserting_evidence_from_the_page_keeps_the_filters(proposal, data, editor, client):
    client.force_login(editor)
    reply = client.post(
        "/staff/proposal/section/job-titles/evidence/",
        {"kind": "job_titles", "limit": "5", "role": "frontline"},
    )
    assert reply.status_code == 302
    block = EvidenceBlock.objects.get(section__key="job-titles")
    assert block.filters == {"role": "frontline"} and block.options == {"limit": 5}
    page = client.get("/staff/proposal/section/job-titles/").content.decode()
    assert "group leader" in page and "Main role: frontline" in page


def test_a_stale_block_is_flagged_on_the_page(proposal, data, build, editor, client):
    section = proposal.sections.get(key="employment")
    services.evidence_block_add(section=section, kind="overview", filters={}, options={}, by=editor)
    client.force_login(editor)
    assert "Out of date:" not in client.get(section.get_absolute_url()).content.decode()
    build(state="NY")
    assert "Out of date:" in client.get(section.get_absolute_url()).content.decode()


def test_the_definition_page_offers_the_draft_to_accept(proposal, data, editor, client):
    client.force_login(editor)
    page = client.get("/staff/proposal/section/definition/").content.decode()
    assert "Draft definition from the task ratings" in page
    assert 'name="draft_role"' in page and '<option value="frontline" selected>' in page
    filled = client.get(
        "/staff/proposal/section/definition/?draft_role=frontline&use_draft=1"
    ).content.decode()
    textarea = filled.split('name="body"')[1].split("</textarea>")[0]
    assert "Plan and lead structured activities" in textarea


def test_the_definition_draft_follows_the_role_picked(proposal, data, editor, client):
    """The 3 site leads of the data rated too few tasks for a draft; a tampered role falls
    back to the front line, never a server error."""
    client.force_login(editor)
    url = "/staff/proposal/section/definition/"
    site = client.get(url + "?draft_role=site_lead").content.decode()
    assert '<option value="site_lead" selected>' in site
    assert "not enough task ratings from this role" in site
    for junk in ("nobody", "%00", "x" * 500, ""):
        reply = client.get(url, {"draft_role": junk})
        assert reply.status_code == 200
        assert '<option value="frontline" selected>' in reply.content.decode()


def test_saving_a_version_and_publishing_from_the_pages(proposal, editor, client):
    client.force_login(editor)
    reply = client.post("/staff/proposal/versions/", {"note": "First draft"})
    version = ProposalVersion.objects.get()
    assert reply.url == version.get_absolute_url()
    client.post(f"/staff/proposal/versions/{version.number}/publish/")
    version.refresh_from_db()
    assert version.status == "published"
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert event.actor == editor and event.ip_address


def test_compare_page_with_bad_numbers_falls_back(proposal, editor, client):
    services.version_save(proposal=proposal, note="", by=editor)
    client.force_login(editor)
    assert client.get("/staff/proposal/versions/compare/?old=x&new=99").status_code == 200


def test_unknown_section_and_version_are_404(proposal, editor, client):
    client.force_login(editor)
    assert client.get("/staff/proposal/section/nope/").status_code == 404
    assert client.get("/staff/proposal/versions/42/").status_code == 404


def test_settings_hold_the_notice_citation_and_docket(proposal, editor, client):
    client.force_login(editor)
    client.post(
        "/staff/proposal/settings/",
        {
            "title_en": "Youth Development Workers",
            "notice_citation": "FR notice X",
            "docket_id": "D-1",
        },
    )
    proposal.refresh_from_db()
    assert (proposal.notice_citation, proposal.docket_id) == ("FR notice X", "D-1")
    assert AuditEvent.objects.filter(object_type="proposals.proposal").exists()


def test_queries_per_page_do_not_grow(
    proposal, data, editor, client, django_assert_max_num_queries
):
    section = proposal.sections.get(key="tasks")
    for kind in ("tasks", "overview", "job_titles", "crosswalk", "profile"):
        services.evidence_block_add(section=section, kind=kind, filters={}, options={}, by=editor)
    for _ in range(3):
        services.version_save(proposal=proposal, note="", by=editor)
    version = ProposalVersion.objects.order_by("number").first()
    services.version_publish(version=version, by=editor)
    for i in range(6):
        comment = services.comment_submit(
            version=version,
            section_key="tasks",
            name=f"N{i}",
            organization="",
            role="other",
            state="CA",
            body="A useful comment.",
            language="en",
        )
        services.comment_moderate(comment=comment, approve=True, by=editor)
    client.force_login(editor)
    for url, limit in [
        ("/staff/proposal/", 15),
        ("/staff/proposal/section/tasks/", 32),
        ("/staff/proposal/versions/", 15),
        ("/staff/proposal/versions/1/", 15),
        ("/staff/proposal/versions/compare/", 15),
        ("/staff/proposal/comments/", 15),
        (version.get_public_url(), 14),
    ]:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_moderation_and_response_from_the_queue(objects, editor, client):
    client.force_login(editor)
    comment = objects["comment"]
    client.post(f"/staff/proposal/comments/{comment.pk}/moderate/", {"decision": "approve"})
    reply = client.post(
        f"/staff/proposal/comments/{comment.pk}/respond/", {"disposition": "partly", "reason": ""}
    )
    comment.refresh_from_db()
    assert reply.status_code == 302 and comment.disposition == ""
    client.post(
        f"/staff/proposal/comments/{comment.pk}/respond/",
        {"disposition": "partly", "reason": "Added to the task list."},
    )
    comment.refresh_from_db()
    assert comment.disposition == ProposalComment.Disposition.PARTLY
    assert comment.disposed_by == editor


def test_page_queries_are_the_same_for_more_blocks_versions_and_comments(
    proposal, data, editor, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = proposal.sections.get(key="tasks")
    client.force_login(editor)

    def counts():
        result = []
        for url in [
            "/staff/proposal/section/tasks/",
            "/staff/proposal/versions/",
            "/staff/proposal/comments/",
            "/proposal/draft/1/",
        ]:
            client.get(url)  # warm: per-process caches (survey structure, session touch)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    def grow():
        services.evidence_block_add(
            section=section, kind="overview", filters={}, options={}, by=editor
        )
        services.version_save(proposal=proposal, note="", by=editor)
        comment = services.comment_submit(
            version=ProposalVersion.objects.get(number=1),
            section_key="tasks",
            name="",
            organization="",
            role="other",
            state="CA",
            body="One more comment.",
            language="en",
        )
        services.comment_moderate(comment=comment, approve=True, by=editor)

    services.version_publish(
        version=services.version_save(proposal=proposal, note="", by=editor), by=editor
    )
    grow()
    before = counts()
    for _ in range(3):
        grow()
    assert counts() == before


def test_spanish_editors_see_the_evidence_headers_in_spanish(proposal, data, editor):
    from django.test import Client

    section = proposal.sections.get(key="tasks")
    services.evidence_block_add(section=section, kind="tasks", filters={}, options={}, by=editor)
    client = Client()
    client.cookies["django_language"] = "es"
    client.force_login(editor)
    page = client.get("/staff/proposal/section/tasks/").content.decode()
    assert "Importancia media (IC del 95" in page and "Calificación de tareas" in page


def test_section_edits_and_evidence_changes_are_audited(proposal, data, editor, client):
    client.force_login(editor)
    client.post("/staff/proposal/section/tasks/", {"body": "Audited text", "revision": 1})
    client.post("/staff/proposal/section/tasks/evidence/", {"kind": "overview"})
    block = EvidenceBlock.objects.get()
    client.post(f"/staff/proposal/section/tasks/evidence/{block.pk}/remove/")
    actions = list(
        AuditEvent.objects.filter(actor=editor, object_type__startswith="proposals.")
        .order_by("pk")
        .values_list("action", "object_type")
    )
    assert actions == [
        ("changed", "proposals.proposalsection"),
        ("created", "proposals.evidenceblock"),
        ("deleted", "proposals.evidenceblock"),
    ]
