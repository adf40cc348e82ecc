import csv
import io

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.coding import services
from apps.coding.models import Code, CodeApplication, Quote
from apps.core.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(open_answer):
    """An answer with a code and a quote, and the editor who made them."""
    editor = make_user(Role.EDITOR)
    code = services.code_create(by=editor, name_en="Planning")
    answer = open_answer("I plan games. I call parents.", quote_consent="anonymous")
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=editor, start=0, end=13)
    quote = services.quote_create(answer_id=answer.pk, start=0, end=13, by=editor)
    return {"editor": editor, "code": code, "answer": answer, "quote": quote}


def _pages(coded):
    pk = coded["answer"].pk
    return [
        reverse("coding:answers"),
        reverse("coding:answer", kwargs={"pk": pk}),
        reverse("coding:codebook"),
        reverse("coding:agreement"),
        reverse("coding:frequencies"),
        reverse("coding:cooccurrence"),
        reverse("coding:quotes"),
    ]


def _reviewer_posts(coded):
    pk = coded["answer"].pk
    return [
        (reverse("coding:apply", kwargs={"pk": pk}), {"code": coded["code"].pk, "scope": "whole"}),
        (reverse("coding:remove", kwargs={"pk": pk}), {"application": 0}),
        (reverse("coding:mark_coded", kwargs={"pk": pk}), {}),
        (reverse("coding:quote_create", kwargs={"pk": pk}), {"quote-start": 14, "quote-end": 29}),
        (reverse("coding:set_blind"), {"blind": "0"}),
    ]


def _editor_posts(coded):
    return [
        (reverse("coding:codebook"), {"name_en": "New code"}),
        (reverse("coding:code_edit", kwargs={"pk": coded["code"].pk}), {"name_en": "Plans"}),
        (reverse("coding:code_merge"), {"source": coded["code"].pk, "target": coded["code"].pk}),
        (reverse("coding:quote_status", kwargs={"pk": coded["quote"].pk}), {"status": "approved"}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, coded):
    for url in _pages(coded) + [reverse("coding:code_edit", kwargs={"pk": coded["code"].pk})]:
        reply = client.get(url)
        assert reply.status_code == 302 and "/accounts/login/" in reply.url, url
    for url, data in _reviewer_posts(coded) + _editor_posts(coded):
        reply = client.post(url, data)
        assert reply.status_code == 302 and "/accounts/login/" in reply.url, url
    assert CodeApplication.objects.count() == 1


def test_users_without_a_staff_role_get_403_everywhere(client, coded):
    client.force_login(make_user())
    for url in _pages(coded):
        assert client.get(url).status_code == 403, url
    for url, data in _reviewer_posts(coded) + _editor_posts(coded):
        assert client.post(url, data).status_code == 403, url


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR])
def test_reviewers_code_and_read_editors_manage_the_codebook(client, coded, role):
    client.force_login(make_user(role))
    for url in _pages(coded):
        assert client.get(url).status_code == 200, url
    for url, data in _reviewer_posts(coded):
        assert client.post(url, data).status_code == 302, url
    is_editor = role.level >= Role.EDITOR.level
    edit_url = reverse("coding:code_edit", kwargs={"pk": coded["code"].pk})
    assert client.get(edit_url).status_code == (200 if is_editor else 403)
    for url, data in _editor_posts(coded):
        status = client.post(url, data).status_code
        if is_editor:
            assert status in (302, 400), url  # the merge of a code into itself is refused
        else:
            assert status == 403, url
    assert Code.objects.filter(name_en="New code").exists() == is_editor
    html = client.get(reverse("coding:codebook")).content.decode()
    assert ("Add a code" in html) == is_editor


def test_answer_text_with_script_is_shown_escaped(client, open_answer):
    answer = open_answer(
        '<script>alert("x")</script> I lead <b>homework</b>', quote_consent="anonymous"
    )
    editor = make_user(Role.EDITOR)
    code = services.code_create(by=editor, name_en='<img src=x onerror="alert(2)">')
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=editor, start=0, end=8)
    services.quote_create(
        answer_id=answer.pk, start=0, end=30, by=editor, note="<script>n</script>"
    )
    client.force_login(editor)
    for url in [
        reverse("coding:answers"),
        reverse("coding:answer", kwargs={"pk": answer.pk}),
        reverse("coding:codebook"),
        reverse("coding:frequencies"),
        reverse("coding:cooccurrence"),
        reverse("coding:quotes"),
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<script>n" not in html, url
        assert "<img src=x" not in html, url
    html = client.get(reverse("coding:answer", kwargs={"pk": answer.pk})).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # The JSON copy for the script is escaped for a <script> element too.
    assert "\\u003Cscript\\u003E" in html


def test_a_bad_span_is_refused_with_a_message_and_the_typed_values_kept(client, coded):
    client.force_login(make_user(Role.REVIEWER))
    pk = coded["answer"].pk
    reply = client.post(
        reverse("coding:apply", kwargs={"pk": pk}),
        {"code": coded["code"].pk, "scope": "span", "start": "5", "end": "500"},
    )
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "The passage must lie within the answer" in html
    assert 'value="500"' in html
    reply = client.post(
        reverse("coding:apply", kwargs={"pk": pk}),
        {"code": coded["code"].pk, "scope": "span", "start": "", "end": ""},
    )
    assert reply.status_code == 400
    assert "Select a passage" in reply.content.decode()
    reply = client.post(
        reverse("coding:apply", kwargs={"pk": pk}),
        {"code": "999999", "scope": "whole"},
    )
    assert reply.status_code == 400
    assert "no longer exists" in reply.content.decode()
    assert CodeApplication.objects.count() == 1


def test_coding_by_sentence_without_a_mouse(client, coded):
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    pk = coded["answer"].pk
    reply = client.post(
        reverse("coding:apply", kwargs={"pk": pk}),
        {"code": coded["code"].pk, "scope": "span", "sentence": "14-29"},
    )
    assert reply.status_code == 302
    app = CodeApplication.objects.get(coder=reviewer)
    assert coded["answer"].text_value[app.start : app.end] == "I call parents."


def test_coding_an_excluded_or_deleted_answer_is_told_not_crashed(client, coded, open_answer):
    client.force_login(make_user(Role.REVIEWER))
    excluded = open_answer(is_excluded=True)
    for pk in (excluded.pk, 987654):
        for name in ("answer",):
            reply = client.get(reverse(f"coding:{name}", kwargs={"pk": pk}), follow=True)
            assert reply.status_code == 200
        reply = client.post(
            reverse("coding:apply", kwargs={"pk": pk}),
            {"code": coded["code"].pk, "scope": "whole"},
            follow=True,
        )
        html = reply.content.decode()
        assert "excluded" in html or "no longer exists" in html
    assert CodeApplication.objects.count() == 1


def test_codebook_bad_input_is_refused_with_messages(client, coded):
    client.force_login(coded["editor"])
    url = reverse("coding:codebook")
    for data, message in [
        ({"name_en": "   "}, "This field is required"),
        ({"name_en": "x" * 81}, "at most 80 characters"),
        ({"name_en": "PLANNING"}, "There is already a code named"),
        ({"name_en": "Child", "parent": "99999"}, "cannot be a parent"),
    ]:
        reply = client.post(url, data)
        assert reply.status_code == 400, data
        assert message in reply.content.decode(), data
    child = services.code_create(by=coded["editor"], name_en="Games", parent=coded["code"])
    reply = client.post(url, {"name_en": "Grandchild", "parent": child.pk})
    assert reply.status_code == 400
    assert Code.objects.count() == 2


def test_a_stale_merge_form_is_told_the_code_is_gone(client, coded):
    editor = coded["editor"]
    other = services.code_create(by=editor, name_en="Other")
    third = services.code_create(by=editor, name_en="Third")
    client.force_login(editor)
    url = reverse("coding:code_merge")
    assert client.post(url, {"source": other.pk, "target": third.pk}).status_code == 302
    reply = client.post(url, {"source": other.pk, "target": coded["code"].pk})
    assert reply.status_code == 400
    assert "no longer exists" in reply.content.decode()
    assert AuditEvent.objects.filter(details__has_key="merged").count() == 1


def test_a_quote_is_refused_for_a_respondent_who_gave_no_consent(client, open_answer):
    client.force_login(make_user(Role.REVIEWER))
    answer = open_answer("Please do not quote me.", quote_consent="")
    reply = client.get(reverse("coding:answer", kwargs={"pk": answer.pk}))
    assert "did not agree to be quoted" in reply.content.decode()
    reply = client.post(
        reverse("coding:quote_create", kwargs={"pk": answer.pk}),
        {"quote-start": 0, "quote-end": 6},
    )
    assert reply.status_code == 400
    assert not Quote.objects.exists()


def test_editors_approve_quotes_and_it_is_audited(client, coded):
    client.force_login(coded["editor"])
    client.post(
        reverse("coding:quote_status", kwargs={"pk": coded["quote"].pk}), {"status": "approved"}
    )
    coded["quote"].refresh_from_db()
    assert coded["quote"].status == Quote.Status.APPROVED
    assert AuditEvent.objects.filter(
        object_type="coding.quote", action=AuditEvent.Action.CHANGED
    ).exists()
    reply = client.post(
        reverse("coding:quote_status", kwargs={"pk": coded["quote"].pk}),
        {"status": "bogus"},
        follow=True,
    )
    assert "Unknown quote status" in reply.content.decode()


def test_csv_downloads_are_suppressed_and_neutralized(client, open_answer):
    editor = make_user(Role.EDITOR)
    code = services.code_create(by=editor, name_en="=HYPERLINK(1)")
    for _ in range(2):
        answer = open_answer(role="tutor")
        services.application_add(answer_id=answer.pk, code_id=code.pk, coder=editor)
    client.force_login(make_user(Role.REVIEWER))
    for name in ("frequencies", "cooccurrence"):
        reply = client.get(reverse(f"coding:{name}"), {"format": "csv"})
        assert reply["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
        flat = [cell for row in rows for cell in row]
        assert "'=HYPERLINK(1)" in flat and "=HYPERLINK(1)" not in flat, name
        assert "x" in flat and "2" not in flat and "<5" not in flat, name


def test_agreement_csv_and_page(client, open_answer):
    editor = make_user(Role.EDITOR)
    code = services.code_create(by=editor, name_en="Planning")
    a, b = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    for i in range(4):
        answer = open_answer()
        for coder in (a, b):
            services.answer_mark_coded(answer_id=answer.pk, coder=coder)
        if i < 2:
            services.application_add(answer_id=answer.pk, code_id=code.pk, coder=a)
            services.application_add(answer_id=answer.pk, code_id=code.pk, coder=b)
    client.force_login(a)
    reply = client.get(reverse("coding:agreement"), {"coder_a": a.pk, "coder_b": b.pk})
    assert "have both coded 4 answers" in reply.content.decode()
    reply = client.get(
        reverse("coding:agreement"), {"coder_a": a.pk, "coder_b": b.pk, "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
    assert rows[0]["code"] == "Planning" and rows[0]["kappa"] == "1.0"
    same = client.get(reverse("coding:agreement"), {"coder_a": a.pk, "coder_b": a.pk})
    assert "Choose two different reviewers" in same.content.decode()
    bad = client.get(reverse("coding:agreement"), {"coder_a": "x", "coder_b": "<b>"})
    assert bad.status_code == 200


@pytest.mark.parametrize(
    "name", ["answers", "answer", "codebook", "agreement", "frequencies", "cooccurrence", "quotes"]
)
def test_queries_per_page_do_not_grow_with_the_data(
    client, open_answer, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor, second = make_user(Role.EDITOR), make_user(Role.REVIEWER)
    codes = [services.code_create(by=editor, name_en=f"Code {i}") for i in range(2)]

    def add(n):
        answers = []
        for i in range(n):
            answer = open_answer(f"Text {i}. More.", quote_consent="anonymous")
            for coder in (editor, second):
                services.application_add(
                    answer_id=answer.pk, code_id=codes[i % 2].pk, coder=coder, start=0, end=4
                )
            services.quote_create(answer_id=answer.pk, start=0, end=4, by=editor)
            answers.append(answer)
        return answers

    first = add(5)  # a list of at least K respondents, as after the 12 more
    client.force_login(editor)
    client.post(reverse("coding:set_blind"), {"blind": "0"})
    url = (
        reverse("coding:answer", kwargs={"pk": first[0].pk})
        if name == "answer"
        else reverse(f"coding:{name}")
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(12)
    codes += [services.code_create(by=editor, name_en=f"More {i}") for i in range(3)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_done_moves_to_the_next_uncoded_answer_of_the_same_list(client, open_answer):
    reviewer = make_user(Role.REVIEWER)
    # Lists are narrowed by role (the only filter open-answer lists apply), K=5 or more.
    leads = [open_answer(f"Site lead answer {i}", role="site_lead") for i in range(5)]
    open_answer("Frontline answer", role="frontline")
    client.force_login(reviewer)
    back = reverse("coding:answers") + "?role=site_lead"
    ordered = list(
        reversed(leads)
    )  # newest first, as the list shows them; the next one is the list's first uncoded
    first, second = ordered[0], ordered[1]
    page = client.get(reverse("coding:answer", kwargs={"pk": first.pk}), {"back": back})
    assert page.context["next_answer"] == second.pk
    reply = client.post(reverse("coding:mark_coded", kwargs={"pk": first.pk}), {"back": back})
    assert reply.url.startswith(reverse("coding:answer", kwargs={"pk": second.pk}))
    for answer in ordered[1:-1]:
        client.post(reverse("coding:mark_coded", kwargs={"pk": answer.pk}), {"back": back})
    reply = client.post(reverse("coding:mark_coded", kwargs={"pk": ordered[-1].pk}), {"back": back})
    assert reply.url == back  # nothing left to code in this list
    # A back link to another site is ignored.
    page = client.get(
        reverse("coding:answer", kwargs={"pk": first.pk}), {"back": "https://evil.example/"}
    )
    assert 'href="https://evil.example/"' not in page.content.decode()


def test_coding_pages_speak_spanish(spanish_client, coded):
    spanish_client.force_login(make_user(Role.EDITOR))
    html = spanish_client.get(reverse("coding:answer", kwargs={"pk": coded["answer"].pk}))
    text = html.content.decode()
    assert "Aplicar un código" in text and "Marcar una cita candidata" in text
    assert "Caracteres seleccionados {start}–{end}" in text
    codebook = spanish_client.get(reverse("coding:codebook")).content.decode()
    assert "Fusionar dos códigos" in codebook


def test_garbage_input_never_gives_a_server_error(client, coded):
    client.force_login(coded["editor"])
    pk = coded["answer"].pk
    huge = "9" * 40
    posts = [
        (reverse("coding:remove", kwargs={"pk": pk}), {"application": "abc"}),
        (reverse("coding:remove", kwargs={"pk": pk}), {"application": huge}),
        (reverse("coding:apply", kwargs={"pk": pk}), {"code": "x", "scope": "nope"}),
        (
            reverse("coding:apply", kwargs={"pk": pk}),
            {"code": coded["code"].pk, "scope": "span", "start": huge, "end": huge},
        ),
        (
            reverse("coding:apply", kwargs={"pk": pk}),
            {"code": coded["code"].pk, "scope": "span", "sentence": "0-9999"},
        ),
        (reverse("coding:quote_create", kwargs={"pk": pk}), {"quote-note": "x" * 5000}),
        (reverse("coding:quote_status", kwargs={"pk": 999999}), {"status": "approved"}),
        (reverse("coding:code_merge"), {"source": "a", "target": huge}),
        (reverse("coding:codebook"), {"name_en": "x" * 10000, "description_en": "y" * 10**5}),
        (reverse("coding:code_edit", kwargs={"pk": 999999}), {"name_en": "x"}),
        (reverse("coding:mark_coded", kwargs={"pk": 999999}), {}),
        (reverse("coding:set_blind"), {"next": "https://evil.example/"}),
    ]
    for url, data in posts:
        reply = client.post(url, data)
        assert reply.status_code in (302, 400), (url, data, reply.status_code)
        if reply.status_code == 302:
            assert not reply.url.startswith("https://evil"), url
    for params in ({"coder": "x"}, {"coder": huge}, {"status": "<b>"}, {"page": "-1"}):
        for name in ("frequencies", "cooccurrence", "quotes", "answers"):
            assert client.get(reverse(f"coding:{name}"), params).status_code == 200
    assert CodeApplication.objects.count() == 1
    assert Code.objects.count() == 1
