"""The field comments on a published draft: moderation first, then the editors' response."""

import pytest

from apps.core.exceptions import ApplicationError
from apps.proposals import services
from apps.proposals.models import ProposalComment

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Ana",
    "organization": "Club Y",
    "role": "frontline",
    "state": "TX",
    "body": "The definition should mention summer programs.",
}


@pytest.fixture
def published(proposal, editor):
    version = services.version_save(proposal=proposal, note="", by=editor)
    return services.version_publish(version=version, by=editor)


def test_a_comment_waits_for_moderation_then_appears(published, editor, client):
    url = f"/proposal/draft/{published.number}/comment/definition/"
    assert client.get(url).status_code == 200
    reply = client.post(url, GOOD)
    assert reply.status_code == 302 and reply.url.endswith("/thanks/")
    comment = ProposalComment.objects.get()
    assert comment.status == ProposalComment.Status.PENDING and comment.section_key == "definition"
    page = client.get(published.get_public_url()).content.decode()
    assert "summer programs" not in page
    services.comment_moderate(comment=comment, approve=True, by=editor)
    page = client.get(published.get_public_url()).content.decode()
    assert "summer programs" in page and "Ana, Club Y" in page
    assert "The editors have not responded yet." in page


def test_a_rejected_comment_never_appears(published, editor, client):
    client.post(f"/proposal/draft/{published.number}/comment/definition/", GOOD)
    services.comment_moderate(comment=ProposalComment.objects.get(), approve=False, by=editor)
    assert "summer programs" not in client.get(published.get_public_url()).content.decode()


def test_dispositions_are_shown_with_the_tally(published, editor, client):
    for disposition in ("adopted", "adopted", "partly", "not_adopted", ""):
        comment = services.comment_submit(
            version=published,
            section_key="tasks",
            name="",
            organization="",
            role="director",
            state="NY",
            body=f"Comment {disposition or 'open'} here",
            language="es",
        )
        services.comment_moderate(comment=comment, approve=True, by=editor)
        if disposition:
            services.comment_dispose(
                comment=comment, disposition=disposition, reason=f"Because {disposition}", by=editor
            )
    page = client.get(published.get_public_url()).content.decode()
    assert "5 published comments" in page
    for label, n in (
        ("Adopted", 2),
        ("Partly adopted", 1),
        ("Not adopted", 1),
        ("Awaiting a response", 1),
    ):
        assert f"{label}: {n}" in page
    assert "Because not_adopted" in page and "Editors' response" in page


def test_a_pending_comment_cannot_get_a_response(published, editor):
    comment = services.comment_submit(
        version=published,
        section_key="tasks",
        name="",
        organization="",
        role="other",
        state="CA",
        body="Something to say here",
        language="en",
    )
    with pytest.raises(ApplicationError):
        services.comment_dispose(comment=comment, disposition="adopted", reason="x", by=editor)


def test_comments_on_unpublished_or_withdrawn_drafts_are_refused_politely(proposal, editor, client):
    saved = services.version_save(proposal=proposal, note="", by=editor)
    reply = client.post(f"/proposal/draft/{saved.number}/comment/definition/", GOOD)
    assert reply.status_code == 410
    assert "not open for comments" in reply.content.decode()
    services.version_publish(version=saved, by=editor)
    services.version_withdraw(version=saved, by=editor)
    for url in (f"/proposal/draft/{saved.number}/comment/definition/", saved.get_public_url()):
        reply = client.post(url, GOOD) if "comment" in url else client.get(url)
        assert reply.status_code == 410 and "not open for comments" in reply.content.decode()
    assert client.get("/proposal/draft/99/comment/definition/").status_code == 410
    assert client.get(f"/proposal/draft/{saved.number}/").status_code == 410
    assert not ProposalComment.objects.exists()
    with pytest.raises(ApplicationError):
        services.comment_submit(
            version=saved,
            section_key="definition",
            name="",
            organization="",
            role="other",
            state="CA",
            body="Late comment here",
            language="en",
        )


def test_an_unpublished_draft_is_not_readable(proposal, editor, client):
    saved = services.version_save(proposal=proposal, note="", by=editor)
    assert client.get(saved.get_public_url()).status_code == 404
    assert client.get("/proposal/draft/").status_code == 200  # "no draft open right now"


def test_the_draft_index_goes_to_the_published_version(published, client):
    assert client.get("/proposal/draft/").url == published.get_public_url()


def test_missing_fields_keep_what_was_typed(published, client):
    reply = client.post(
        f"/proposal/draft/{published.number}/comment/definition/", {**GOOD, "state": ""}
    )
    assert reply.status_code == 400
    assert "summer programs" in reply.content.decode()
    assert not ProposalComment.objects.exists()


def test_honeypot_drops_the_comment_quietly(published, client):
    reply = client.post(
        f"/proposal/draft/{published.number}/comment/definition/", {**GOOD, "website": "spam"}
    )
    assert reply.status_code == 302 and not ProposalComment.objects.exists()


def test_comments_are_rate_limited(published, client, settings):
    settings.PROPOSAL_COMMENT_RATE_LIMIT = "2/h"
    url = f"/proposal/draft/{published.number}/comment/definition/"
    assert client.post(url, GOOD).status_code == 302
    assert client.post(url, GOOD).status_code == 302
    reply = client.post(url, GOOD)
    assert reply.status_code == 429 and "summer programs" in reply.content.decode()
    assert ProposalComment.objects.count() == 2


def test_comment_text_is_escaped(published, editor, client):
    client.post(
        f"/proposal/draft/{published.number}/comment/definition/",
        {**GOOD, "body": "<script>alert('x')</script> nice draft", "name": "<b>Bo</b>"},
    )
    services.comment_moderate(comment=ProposalComment.objects.get(), approve=True, by=editor)
    page = client.get(published.get_public_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>Bo</b>" not in page


def test_unknown_section_is_404(published, client):
    assert client.get(f"/proposal/draft/{published.number}/comment/nope/").status_code == 404


def test_public_page_has_spanish_framing(published, spanish_client):
    page = spanish_client.get(published.get_public_url()).content.decode()
    assert "Borrador de la propuesta" in page and "Título propuesto" in page


def test_the_moderation_queue_names_the_section_by_its_heading(published, editor, client):
    """The queue said 'Version 1, section “definition”': the internal key, not the heading."""
    client.post(f"/proposal/draft/{published.number}/comment/definition/", GOOD)
    client.force_login(editor)
    page = client.get("/staff/proposal/comments/").content.decode()
    heading = next(s["heading_en"] for s in published.sections if s["key"] == "definition")
    assert heading != "definition"
    assert f"section “{heading}”" in page and "section “definition”" not in page


def test_the_public_draft_carries_the_methods_note_with_the_noise_rule(published, client):
    """A reviewer recomputing from the published page found no sample, suppression or noise
    rule there, and no document said counts were perturbed."""
    page = client.get(published.get_public_url()).content.decode()
    assert "Methods note" in page
    assert "may differ from the exact count by up to 2" in page
    assert "answers are kept but not counted" in page
    spanish = client.get(published.get_public_url() + "?lang=es").content.decode()
    assert "puede diferir del número exacto en hasta 2" in spanish
