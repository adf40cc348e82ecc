"""Resume exactly where the respondent stopped; drafts; each page submission accepted once."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.surveys import services
from apps.surveys.models import Answer, PageSubmission, Response, ResponsePage, TaskRating
from apps.surveys.selectors import tasks_for_role, version_structure

from .helpers import current_key, page_data, page_url, start

pytestmark = pytest.mark.django_db

PATH = [
    "eligibility",
    "role",
    "time_use",
    "setting",
    "hours_pay",
    "education_career",
    "duties",
    "crosswalk",
    "demographics",
    "open_questions",
    "follow_up",
]


def _answer_through(client, response, upto: str) -> None:
    """Answer every page with Next up to and including `upto` (every duties step too)."""
    structure = version_structure(response.version)
    role_tasks, _others = tasks_for_role("frontline")
    url = page_url(response, PATH[0])
    for _ in range(40):
        key = url.split("?")[0].rstrip("/").split("/")[-1]
        reply = client.post(url, page_data(structure.page(key), role_tasks=role_tasks))
        assert reply.status_code == 302, (key, reply.content.decode()[:2000])
        if key == upto and current_key(reply) != upto:
            return
        url = reply.url
    raise AssertionError(f"never got past {upto}")


def _resume_link(client, response, key) -> str:
    reply = client.post(page_url(response, key), {"action": "save"})
    html = reply.content.decode()
    return html.split('id="resume-link" type="text" value="')[1].split('"')[0]


def _landing_continue(client, survey) -> str:
    html = client.get(survey.get_absolute_url()).content.decode()
    return re.search(r'href="([^"]+)">Continue my response<', html).group(1)


@pytest.mark.parametrize("stopped_after", ["eligibility", "education_career", "crosswalk"])
def test_after_next_every_way_back_lands_on_the_following_page(client, survey, stopped_after):
    response = start(client, survey)
    _answer_through(client, response, stopped_after)
    expected = PATH[PATH.index(stopped_after) + 1]
    # Cookie return: the landing's "Continue my response".
    assert _landing_continue(client, survey).endswith(f"/page/{expected}/")
    # Resume link in a fresh browser (the link is made without saving anything new).
    link = _resume_link(client, response, expected)
    other = Client()
    reply = other.get(link.replace("http://testserver", ""))
    assert reply.status_code == 302 and reply.url.endswith(f"/page/{expected}/")
    assert other.get(reply.url).status_code == 200


def test_stopping_on_an_optional_page_resumes_there_not_two_pages_later(client, survey):
    """The reported bug: stopping on page 9 (optional questions only) resumed at page 11."""
    response = start(client, survey)
    _answer_through(client, response, "crosswalk")
    link = _resume_link(client, response, "demographics")
    reply = Client().get(link.replace("http://testserver", ""))
    assert reply.url.endswith("/page/demographics/")
    # Next on page 9 with nothing answered (all optional), then stop: page 10 is next.
    client.post(page_url(response, "demographics"), {"action": "next"})
    assert _landing_continue(client, survey).endswith("/page/open_questions/")
    states = {s.page_key: s for s in ResponsePage.objects.filter(response=response)}
    assert states["demographics"].saved_at is not None
    assert "open_questions" not in states  # never shown yet


def test_emailed_link_keeps_the_language_and_lands_on_the_right_page(
    client, survey, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "es"
    response = start(client, survey)
    _answer_through(client, response, "time_use")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("surveys:resume_email", kwargs={"public_id": response.public_id}),
            {"email": "lupe@example.org"},
        )
    body = mail.outbox[0].body
    assert "Aquí" in body or "enlace" in body  # the email itself is in Spanish
    link = next(line for line in body.splitlines() if "/survey/resume/" in line).strip()
    assert link.endswith("?lang=es")
    other = Client()  # a new device, English by default
    reply = other.get(link.split("8000")[-1])
    assert reply.url.endswith("/page/setting/")
    page = other.get(reply.url)
    assert page.wsgi_request.LANGUAGE_CODE == "es"
    assert 'lang="es"' in page.content.decode()


def test_back_never_validates_and_keeps_what_was_typed(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "role")
    # An impossible number and a half-typed ZIP: Back goes back anyway, no error page.
    reply = client.post(
        page_url(response, "setting"),
        {"action": "back", "months_per_year": "abc", "setting": "school_based"},
    )
    assert reply.status_code == 302 and reply.url.endswith("/page/time_use/")
    draft = ResponsePage.objects.get(response=response, page_key="setting").draft
    assert draft["months_per_year"] == ["abc"]
    html = client.get(page_url(response, "setting")).content.decode()
    assert 'value="abc"' in html  # shown as typed ...
    assert "aria-invalid" not in html  # ... and not judged until the page is sent
    # Next checks it and says what to fix; the typed value is still there.
    reply = client.post(page_url(response, "setting"), {"action": "next", "months_per_year": "abc"})
    assert reply.status_code == 400
    assert 'value="abc"' in reply.content.decode()


def test_save_and_finish_later_with_a_mistake_still_gives_the_link(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "time_use")
    reply = client.post(page_url(response, "setting"), {"action": "save", "months_per_year": "99"})
    assert reply.status_code == 200
    assert "Your answers are saved" in reply.content.decode()
    link = reply.content.decode().split('id="resume-link" type="text" value="')[1].split('"')[0]
    other = Client()
    landed = other.get(link.replace("http://testserver", ""))
    assert landed.url.endswith("/page/setting/")
    assert 'value="99"' in other.get(landed.url).content.decode()


def _draft_url(response, key):
    return reverse("surveys:page_draft", kwargs={"public_id": response.public_id, "page_key": key})


def test_a_background_draft_comes_back_on_another_device(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "eligibility")
    reply = client.post(
        _draft_url(response, "role"),
        {"base": "0", "job_title": "Site coordinator", "role": "site_lead", "bogus": "x"},
    )
    assert reply.status_code == 200 and reply.json() == {"saved": True}
    state = ResponsePage.objects.get(response=response, page_key="role")
    assert state.draft == {"job_title": ["Site coordinator"], "role": ["site_lead"]}
    # The phone's tab closes; the emailed link is opened on a laptop: the half-done page
    # opens, as typed.
    token = services.resume_token_create(response=response)
    other = Client()
    landed = other.get(reverse("surveys:resume", kwargs={"token": token}))
    assert landed.url.endswith("/page/role/")
    html = other.get(landed.url).content.decode()
    assert 'value="Site coordinator"' in html
    assert 'value="site_lead" checked' in html
    # Nothing of the draft counts as an answer until the page is sent.
    assert not Answer.objects.filter(response=response, question__key="job_title").exists()


def test_drafts_are_owner_checked_csrf_protected_rate_limited_and_never_stale(
    client, survey, settings
):
    response = start(client, survey)
    url = _draft_url(response, "eligibility")
    assert Client().post(url, {"consent": "yes"}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(url, {"consent": "yes"}).status_code == 403
    assert client.post(_draft_url(response, "no-such-page"), {}).status_code == 404
    assert client.post(url, {"consent": "x" * 30_000}).status_code == 400
    # A draft typed before the page was saved arrives late: refused, the answers stand.
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    late = client.post(url, {"base": "0", "consent": "no"})
    assert late.status_code == 409
    assert ResponsePage.objects.get(response=response, page_key="eligibility").draft is None
    settings.SURVEY_DRAFT_RATE_LIMIT = "2/m"
    codes = [client.post(url, {"consent": "yes"}).status_code for _ in range(4)]
    assert codes[-1] == 429


def test_a_replayed_submission_changes_nothing(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "eligibility")
    first = {"action": "next", "submission_key": "k" * 20, "job_title": "Tutor", "role": "tutor"}
    first.update({"supervises": "no"})
    reply = client.post(page_url(response, "role"), first)
    assert reply.status_code == 302 and reply.url.endswith("/page/time_use/")
    # A later edit of the same page (a new key) ...
    second = {**first, "submission_key": "m" * 20, "job_title": "Site coordinator"}
    client.post(page_url(response, "role"), second)
    # ... then the offline queue replays the first submission: it must not undo the edit.
    again = client.post(page_url(response, "role"), first, HTTP_X_SURVEY_OFFLINE="1")
    assert again.status_code == 302 and again.url.endswith("/page/time_use/")
    answer = Answer.objects.get(response=response, question__key="job_title")
    assert answer.text_value == "Site coordinator"
    assert PageSubmission.objects.filter(response=response).count() == 2


def test_a_double_tap_on_the_last_page_submits_once(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "open_questions")
    data = {
        **page_data(version_structure(response.version).page("follow_up")),
        "submission_key": "double-tap-key",
    }
    one = client.post(page_url(response, "follow_up"), data)
    ratings = TaskRating.objects.filter(response=response).count()
    two = client.post(page_url(response, "follow_up"), data)
    assert "/thanks/" in one.url and "/thanks/" in two.url
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert PageSubmission.objects.filter(response=response, page_key="follow_up").count() == 1
    assert ratings > 0 and TaskRating.objects.filter(response=response).count() == ratings


@pytest.mark.parametrize(
    "tamper",
    [
        {"submission_key": "<script>alert(1)</script>"},
        {"submission_key": "x" * 500},
        {"action": "delete-everything"},
    ],
)
def test_tampered_hidden_fields_get_a_clear_message_and_keep_the_answers(client, survey, tamper):
    response = start(client, survey)
    data = {"consent": "yes", "eligibility": "paid", **tamper}
    reply = client.post(page_url(response, "eligibility"), data)
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "could not read" in html
    assert 'value="paid" checked' in html  # nothing typed is lost
    assert not Answer.objects.filter(response=response).exists()  # nothing half-saved


def test_a_tampered_page_key_goes_back_to_where_the_respondent_stopped(client, survey):
    response = start(client, survey)
    _answer_through(client, response, "eligibility")
    for method in (client.get, client.post):
        reply = method(page_url(response, "no-such-page"))
        assert reply.status_code == 302 and reply.url.endswith("/page/role/")
    html = client.get(reply.url).content.decode()
    assert "not part of this survey" in html
    # A page the path skips (volunteers do not see time_use) is not a way around the path.
    reply = client.get(page_url(response, "time_use").replace("time_use", "duties"))
    assert reply.status_code == 200  # paid staff do see duties


def test_the_landing_offers_continue_first_and_says_what_starting_over_does(client, survey):
    start(client, survey)
    html = client.get(survey.get_absolute_url()).content.decode()
    assert html.index("Continue my response") < html.index("Start a new response")
    assert 'class="btn btn-primary btn-lg" href="' in html
    assert "is not sent and is not counted" in html
    client.cookies["django_language"] = "es"
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "Continuar mi respuesta" in html


def test_the_thank_you_page_points_to_updates_comments_and_a_copy_in_spanish(client, survey):
    from .helpers import complete

    client.cookies["django_language"] = "es"
    response, _seen = complete(client, survey)
    html = client.get(reverse("surveys:thanks", kwargs={"public_id": response.public_id}))
    html = html.content.decode()
    assert 'href="/updates/?lang=es"' in html
    # One way to the builder, from the answers (a second, empty one sat below it).
    assert 'href="/comment/?lang=es"' not in html
    assert 'href="/comment/?from=survey&amp;lang=es"' in html
    assert "Descargar mis respuestas (PDF)" in html

    copy = client.get(reverse("surveys:answers_copy", kwargs={"public_id": response.public_id}))
    text = copy.content.decode()
    assert copy.status_code == 200
    assert "Mis respuestas" in text
    assert "Answer to job_title" in text  # a typed answer
    assert "practitioner@example.org" not in text  # the email stays out of the copy
    structure = version_structure(response.version)
    role = structure.questions["role"]
    chosen = Answer.objects.get(response=response, question=role).choice
    assert chosen.label_es and chosen.label_es in text  # choice labels in Spanish

    pdf = client.get(reverse("surveys:answers_pdf", kwargs={"public_id": response.public_id}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "mis-respuestas-de-la-encuesta.pdf" in pdf["Content-Disposition"]


def test_copies_are_for_the_respondent_only_and_only_once_sent(client, survey):
    response = start(client, survey)
    for name in ("surveys:answers_copy", "surveys:answers_pdf"):
        url = reverse(name, kwargs={"public_id": response.public_id})
        assert client.get(url).status_code == 404  # still in progress
        assert Client().get(url).status_code == 404  # another browser


def test_the_service_worker_is_served_at_the_root_with_workbox_from_static(client):
    reply = client.get("/survey-sw.js")
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/javascript")
    assert reply["Service-Worker-Allowed"] == "/"
    body = reply.content.decode()
    assert "/static/vendor/workbox-background-sync/workbox-background-sync.prod.js" in body
    assert "worker-src 'self'" in reply["Content-Security-Policy"]
    for name in ("core", "routing", "strategies", "background-sync"):
        asset = client.get(f"/static/vendor/workbox-{name}/workbox-{name}.prod.js")
        assert asset.status_code == 200, name
