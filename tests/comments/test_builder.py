import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from apps.comments.forms import DRAFT_MAX_LENGTH, STORY_MAX_LENGTH
from apps.comments.models import DraftBand, DraftFingerprint
from apps.surveys.models import Task

from .helpers import builder_data, open_notice, task_ids

pytestmark = pytest.mark.django_db
BUILDER = "/comment/"
DRAFT = "/comment/draft/"


def _draft_fields(html: str) -> dict:
    """The hidden fields and the textarea of a rendered draft page."""
    fp = html.split('name="fingerprint" value="')[1].split('"')[0]
    language = html.split('name="language" value="')[1].split('"')[0]
    return {"fingerprint": fp, "language": language}


def test_builder_page_shows_the_not_open_yet_state(client, survey):
    html = client.get(BUILDER).content.decode()
    assert "Not open yet" in html
    assert "Write your public comment" in html
    assert Task.objects.filter(is_active=True).first().text_en in html


def test_empty_form_keeps_the_page_and_explains(client, survey):
    reply = client.post(BUILDER, {})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "answers need your attention" in html and "#div_id_tasks" in html
    assert "Pick at least one task you do." in html
    assert not DraftFingerprint.objects.exists()


def test_enormous_story_is_refused_politely_and_what_was_typed_stays(client, survey):
    data = builder_data(story="x" * (STORY_MAX_LENGTH * 40), job_title="Site lead keep me")
    reply = client.post(BUILDER, data)
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "Ensure this value has at most" in html
    assert "Site lead keep me" in html


def test_too_many_tasks_are_refused(client, survey):
    reply = client.post(BUILDER, builder_data(tasks=task_ids(9)))
    assert reply.status_code == 400
    assert "Pick at most 8 tasks" in reply.content.decode()


def test_draft_is_built_from_the_answers_with_the_notice_header(client, survey):
    notice = open_notice()
    reply = client.post(BUILDER, builder_data())
    assert reply.status_code == 200
    html = reply.content.decode()
    text = html.split("</textarea>")[0].split(">")[-1]
    assert text.startswith(notice.required_header)
    assert "Group leader" in text and "California" in text and "4 years" in text
    for task in Task.objects.filter(pk__in=task_ids()):
        assert task.text_en in text
    assert "39-9011" in text
    assert "led the robotics demo" in text
    assert "create a new detailed occupation" in text
    # Where and how to submit, never on the person's behalf.
    assert notice.submission_url in html and notice.docket_id in html
    assert "never submits a comment for you" in html
    assert "Comments are published." in html
    assert 'data-limit="5000"' in html


def test_character_limit_comes_from_the_notice(client, survey):
    open_notice(comment_char_limit=1234)
    html = client.post(BUILDER, builder_data()).content.decode()
    assert 'data-limit="1234"' in html


def test_closed_window_draft_has_no_stale_docket(client, survey):
    # Only the seeded 2024 notice: closed, so its docket must not head a new comment.
    html = client.post(BUILDER, builder_data()).content.decode()
    text = html.split("</textarea>")[0].split(">")[-1]
    assert "BLS-2024-0001" not in text
    assert "The comment window is not open yet" in html
    # Nor the files to keep: their name and the Word title once carried the closed docket.
    fields = _draft_fields(html)
    txt = client.post(DRAFT, {"text": "My comment.", "action": "txt", **fields})
    assert txt["Content-Disposition"] == 'attachment; filename="public-comment.txt"'
    docx = client.post(DRAFT, {"text": "My comment.", "action": "docx", **fields})
    assert "bls" not in docx["Content-Disposition"].lower()
    assert Document(io.BytesIO(docx.content)).core_properties.title == "Public comment"


def test_spanish_draft(client, survey):
    task = Task.objects.get(pk=task_ids(1)[0])
    html = client.post(BUILDER, builder_data(draft_language="es", tasks=[task.pk])).content.decode()
    text = html.split("</textarea>")[0]
    assert task.text_es in text
    assert "Trabajo en programas fuera del horario escolar." in text


def test_script_in_the_story_is_escaped(client, survey):
    story = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = client.post(BUILDER, builder_data(story=story)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_honeypot_makes_no_draft(client, survey):
    reply = client.post(BUILDER, builder_data(website="http://spam.example"))
    assert reply.status_code == 302
    assert not DraftFingerprint.objects.exists()


def test_builder_posts_are_rate_limited(client, survey, settings):
    settings.COMMENT_RATE_LIMIT = "2/h"
    codes = [client.post(BUILDER, builder_data()).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_txt_download_holds_the_edited_text(client, survey):
    open_notice()
    html = client.post(BUILDER, builder_data()).content.decode()
    edited = "Mi comentario: trabajo con niños cada tarde.\nSegunda línea."
    reply = client.post(DRAFT, {"text": edited, "action": "txt", **_draft_fields(html)})
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/plain")
    assert 'filename="public-comment-bls-2026-0042.txt"' in reply["Content-Disposition"]
    body = reply.content.decode("utf-8-sig")
    assert body == edited.replace("\n", "\r\n")


def test_docx_download_opens_and_contains_the_text(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    edited = "Header line\n\nFirst paragraph with ñ and “quotes”.\n- a task\n- another task"
    fields = _draft_fields(html)
    reply = client.post(DRAFT, {"text": edited + "\x07\x0b", "action": "docx", **fields})
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(reply.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "First paragraph with ñ and “quotes”." in text
    assert "- a task\n- another task" in text
    assert "Header line" in text
    null = client.post(DRAFT, {"text": "a\x00b", "action": "docx", **fields})
    assert null.status_code == 400


def test_empty_or_enormous_draft_gets_a_clear_message(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    fields = _draft_fields(html)
    empty = client.post(DRAFT, {"text": "   ", "action": "txt", **fields})
    assert empty.status_code == 400
    assert "Your comment is empty" in empty.content.decode()
    huge = client.post(DRAFT, {"text": "y" * (DRAFT_MAX_LENGTH + 1), "action": "docx", **fields})
    assert huge.status_code == 400
    page = huge.content.decode()
    assert "This is too long for the builder" in page
    assert "y" * 1000 in page  # nothing typed is lost


def test_over_the_form_limit_is_a_warning_not_an_error(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    reply = client.post(DRAFT, {"text": "z " * 3000, "action": "check", **_draft_fields(html)})
    assert reply.status_code == 200
    assert "more than the 5000 the comment form allows" in reply.content.decode()


def test_draft_text_is_never_stored(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    secret = "Zanzibarquux practitioner story"
    client.post(DRAFT, {"text": secret * 5, "action": "check", **_draft_fields(html)})
    client.post(DRAFT, {"text": secret * 5, "action": "docx", **_draft_fields(html)})
    fingerprint = DraftFingerprint.objects.get()
    assert len(fingerprint.signature) == 64
    assert "zanzibar" not in str(fingerprint.signature).lower()
    assert DraftBand.objects.filter(fingerprint=fingerprint).count() == 16


def test_making_a_draft_stores_nothing_until_it_is_checked_or_downloaded(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    assert not DraftFingerprint.objects.exists()
    fields = _draft_fields(html)
    for _ in range(2):
        client.post(DRAFT, {"text": "My own words here.", "action": "check", **fields})
    assert DraftFingerprint.objects.count() == 1  # one row per draft, updated


def test_tampered_fingerprint_reference_starts_a_new_one(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    fields = _draft_fields(html)
    client.post(DRAFT, {"text": "My own words here.", "action": "check", **fields})
    forged = {**fields, "fingerprint": "1:forged"}
    reply = client.post(DRAFT, {"text": "My own words here.", "action": "check", **forged})
    assert reply.status_code == 200
    assert DraftFingerprint.objects.count() == 2
    assert "nearly identical to 1 other draft" in reply.content.decode()


def test_draft_needs_post_and_csrf(survey):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(DRAFT, {"text": "x", "language": "en"}).status_code == 403
    reload = Client().get(DRAFT)
    assert reload.status_code == 302 and reload.url == BUILDER
    assert reverse("comments:draft") == DRAFT


def test_contact_details_in_the_draft_are_flagged(client, survey):
    html = client.post(BUILDER, builder_data()).content.decode()
    fields = _draft_fields(html)
    for text in ["Write to me at rosa.diaz@example.org", "Call (505) 555-0142 any time"]:
        page = client.post(DRAFT, {"text": text, "action": "check", **fields}).content.decode()
        assert "seems to contain an email address or a phone number" in page
    clean = "I have worked here for 12 years with 120 students in 2024."
    page = client.post(DRAFT, {"text": clean, "action": "check", **fields}).content.decode()
    assert "seems to contain an email address" not in page


def test_removing_the_required_header_is_flagged(client, survey):
    notice = open_notice()
    html = client.post(BUILDER, builder_data()).content.decode()
    fields = _draft_fields(html)
    page = client.post(DRAFT, {"text": "No header here.", "action": "check", **fields})
    assert f"The notice asks that comments start with “{notice.required_header}”" in (
        page.content.decode()
    )
    kept = client.post(
        DRAFT, {"text": notice.required_header + "\n\nMy text.", "action": "check", **fields}
    )
    assert "The notice asks that comments start with" not in kept.content.decode()


def test_a_draft_without_a_story_gets_a_tip(client, survey):
    assert (
        "Tip: add a real example" in client.post(BUILDER, builder_data(story="")).content.decode()
    )
    assert "Tip: add a real example" not in client.post(BUILDER, builder_data()).content.decode()


@pytest.mark.parametrize("bad", ["99999999999999999999", "-99999999999999999999", "1e3", "x"])
def test_a_task_id_out_of_range_gets_a_message_not_a_server_error(client, survey, bad):
    """An id past the 64-bit range used to overflow the database's IN query (500 on SQLite)
    and lose everything typed."""
    data = builder_data(story="What I typed stays here.")
    data["tasks"] = [bad]
    reply = client.post("/comment/", data)
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "What I typed stays here." in html
    assert 'id="error-summary"' in html


def test_switching_language_keeps_the_answers_and_the_edited_draft(client, survey):
    """The header's switcher went through set_language to a new, empty builder: the edited
    draft and every answer were lost (a practitioner walk). On these pages it sends the
    page's own form: the same answers, or the same draft, in the other language."""
    builder = client.get(BUILDER).content.decode()
    assert 'data-carry-form="builder-form"' in builder
    assert 'data-carry-action="/comment/?lang=es"' in builder
    # The switch is not a submit button of the builder's form: Enter in a field makes the
    # draft, it does not switch the language (it did, for a moment, in this change).
    assert ' form="builder-form"' not in builder
    data = builder_data(job_title="Site lead keep me", story="")
    data.pop("tasks")  # half done: nothing is checked yet, no error is shown
    switched = client.post(BUILDER + "?lang=es", {**data, "action": "switch_language"})
    assert switched.status_code == 200
    html = switched.content.decode()
    assert '<html lang="es">' in html and "Site lead keep me" in html
    assert "is-invalid" not in html and 'data-carry-action="/comment/?lang=en"' in html
    assert not DraftFingerprint.objects.exists()

    # The choice is kept (the language cookie): the draft page now offers English.
    made = client.post(BUILDER, builder_data()).content.decode()
    assert 'data-carry-form="draft-form"' in made
    assert 'data-carry-action="/comment/draft/?lang=en"' in made
    edited = "Mis propias palabras, editadas. Second line."
    fields = {"text": edited, "action": "check", **_draft_fields(made)}
    page = client.post(DRAFT + "?lang=en", fields).content.decode()
    assert '<html lang="en">' in page
    assert edited in page.split("</textarea>")[0]
