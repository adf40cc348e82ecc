"""Resume, drafts, Back and the offline queue, as a practitioner on a phone meets them."""

import re

import pytest
from django.core import mail

from apps.surveys.models import Answer, PageSubmission, Response, ResponsePage

from .conftest import PHONE, assert_no_axe_violations
from .survey_filler import fill_page

pytestmark = pytest.mark.browser

SURVEY_URL = "/survey/ost-roles-duties/"


@pytest.fixture
def background(settings):
    """Switch on the survey page's background requests (off by default in tests)."""
    settings.SURVEY_BACKGROUND_DRAFTS = True
    settings.SURVEY_OFFLINE_PREFETCH = True


def _start(pages, base, lang="en"):
    page = pages.open(
        viewport=PHONE, locale="es-ES" if lang == "es" else "en-US", service_workers="allow"
    )
    page.goto(f"{base}{SURVEY_URL}?lang={lang}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/page/eligibility/")
    return page


def _next(page):
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()


def _key(url: str) -> str:
    return url.split("?")[0].rstrip("/").split("/")[-1]


def _wait_until_cached(page, count=11):
    """Every page of the response is in the service worker's cache (asked on page load)."""
    cached = 0
    for _ in range(100):
        cached = page.evaluate(
            "caches.open('ost-survey-pages-v1').then(c => c.keys()).then(k => k.length)"
        )
        if cached == count:
            return
        page.wait_for_timeout(300)
    raise AssertionError(f"{cached} of {count} pages cached")


def _offline(context, on: bool):
    def drop_worker_requests(route):
        if route.request.service_worker:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    if on:
        context.set_offline(True)
        context.route("**/*", drop_worker_requests)
    else:
        context.unroute("**/*")
        context.set_offline(False)


def test_pages_sent_offline_reach_the_server_once_when_back_online(survey_site, background, pages):
    page = _start(pages, survey_site.url)
    context = page.context
    _wait_until_cached(page)
    fill_page(page)
    _next(page)  # online: eligibility saved, the service worker now controls the page
    _wait_until_cached(page)

    _offline(context, True)
    assert _key(page.url) == "role"
    fill_page(page, texts={"job_title": "Offline site lead"})
    _next(page)
    assert _key(page.url) == "time_use"  # the page cached when the survey opened
    status = page.locator("#offline-status")
    status.get_by_text("Saved on this phone; it will be sent when you are back online.").wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert_no_axe_violations(page)
    fill_page(page)
    _next(page)
    assert _key(page.url) == "setting"
    # Nothing has reached the server yet.
    assert not Answer.objects.filter(question__key="job_title").exists()
    assert Response.objects.get().last_page_key == "eligibility"

    # Keep copies of the exact requests queued on the phone, to replay them a second time.
    worker = context.service_workers[0]
    # The worker stores the second page in its queue as the next page shows: wait for it
    # (on a loaded machine the count was read a moment before the write).
    for _ in range(50):
        queued = worker.evaluate(
            "queue.getAll().then(all => { self.copies = all.map(e => e.request.clone());"
            " return all.length; })"
        )
        if queued >= 2:
            break
        page.wait_for_timeout(100)
    assert queued == 2

    _offline(context, False)
    status.get_by_text("every page saved on this phone has been sent", exact=False).wait_for(
        timeout=20_000
    )
    response = Response.objects.get()
    assert Answer.objects.get(question__key="job_title").text_value == "Offline site lead"
    shares = Answer.objects.filter(response=response, question__key="time_use")
    assert shares.count() == 4 and sum(a.number_value for a in shares) == 100
    assert response.last_page_key == "time_use"
    # Each queued page was accepted once, under its own key.
    assert list(PageSubmission.objects.values_list("page_key", flat=True).order_by("pk")) == [
        "eligibility",
        "role",
        "time_use",
    ]

    # Later, online, the respondent changes the job title; then the same queued requests
    # arrive once more (a replay after a lost reply): they must not undo the change.
    setting_url = page.url
    page.goto(setting_url.split("/page/")[0] + "/page/role/")
    page.locator("input[name=job_title]").fill("Edited later")
    _next(page)
    # One after the other, as the queue replays them (two at once race for SQLite's one writer).
    statuses = worker.evaluate(
        "self.copies.reduce((done, r) => done.then(types => fetch(r)"
        ".then(x => [...types, x.type])), Promise.resolve([]))"
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    assert Answer.objects.get(question__key="job_title").text_value == "Edited later"
    assert PageSubmission.objects.filter(page_key="role").count() == 2  # offline + the edit
    page.goto(setting_url)
    # Carry on online to the end of this page: the server takes over again.
    fill_page(page)
    _next(page)
    assert _key(page.url) == "hours_pay"
    errors = [e for e in pages.console_errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert not [e for e in errors if "Failed to fetch" not in e], errors


def test_a_page_refused_after_coming_back_online_is_named_by_its_title(
    survey_site, background, pages
):
    """A page answered offline that the server refuses ("veinte" months) is named by its
    title in the respondent's language, not its internal key ("setting"), and the status
    no longer says that every page was sent."""
    page = _start(pages, survey_site.url, lang="es")
    context = page.context
    _wait_until_cached(page)
    fill_page(page)
    _next(page)
    _wait_until_cached(page)
    fill_page(page)
    _next(page)  # role, online
    assert _key(page.url) == "time_use"
    _offline(context, True)
    fill_page(page)
    _next(page)
    assert _key(page.url) == "setting"
    fill_page(page, numbers={"months_per_year": "veinte"})
    _next(page)
    assert _key(page.url) == "hours_pay"
    _offline(context, False)
    status = page.locator("#offline-status")
    status.get_by_text("se enviaron las demás páginas", exact=False).wait_for(timeout=20_000)
    link = status.get_by_role("link")
    assert link.inner_text() == "Dónde y cuándo trabaja"
    assert link.get_attribute("href").endswith("/page/setting/")
    assert "todas las páginas" not in status.inner_text()
    assert PageSubmission.objects.filter(page_key="time_use").count() == 1
    assert not PageSubmission.objects.filter(page_key="setting").exists()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_closed_tab_brings_back_what_was_typed(survey_site, pages, lang):
    page = _start(pages, survey_site.url, lang=lang)
    fill_page(page)
    _next(page)
    page.locator("input[name=job_title]").fill("Program director")
    page.locator("label[for='field-role-2']").click()
    url = page.url
    page.close()  # the tab closes before anything is sent

    again = page.context.new_page()
    again.goto(url)
    assert again.locator("input[name=job_title]").input_value() == "Program director"
    assert again.locator("#field-role-2").is_checked()
    restored = {
        "en": "We put back what you had typed on this page.",
        "es": "Recuperamos lo que había escrito en esta página.",
    }
    again.get_by_text(restored[lang]).wait_for()
    assert_no_axe_violations(again)
    # The connection drops: the status line says what happens, in the page's language.
    again.context.set_offline(True)
    offline = {"en": "You are offline.", "es": "No tiene conexión."}
    again.locator("#offline-status").get_by_text(offline[lang], exact=False).wait_for()
    assert_no_axe_violations(again)
    again.context.set_offline(False)


def test_the_half_done_page_follows_the_respondent_to_another_device(survey_site, pages, settings):
    settings.SURVEY_BACKGROUND_DRAFTS = True
    page = _start(pages, survey_site.url)
    fill_page(page)
    _next(page)
    page.locator("input[name=job_title]").fill("Youth worker on the phone")
    # The background draft reaches the server a moment after typing stops.
    for _ in range(50):
        state = ResponsePage.objects.filter(page_key="role", draft__isnull=False).first()
        if state and state.draft.get("job_title") == ["Youth worker on the phone"]:
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError("no draft reached the server")
    from apps.surveys import services

    token = services.resume_token_create(response=Response.objects.get())
    laptop = pages.open(viewport=PHONE, service_workers="allow")
    laptop.goto(f"{survey_site.url}/survey/resume/{token}/")
    assert _key(laptop.url) == "role"
    assert laptop.locator("input[name=job_title]").input_value() == "Youth worker on the phone"


def test_back_never_validates_and_loses_nothing(survey_site, pages):
    page = _start(pages, survey_site.url)
    fill_page(page)
    _next(page)
    fill_page(page)
    _next(page)  # role saved
    assert _key(page.url) == "time_use"
    page.locator(".time-share").first.fill("abc")  # not a number, and shares not 100
    page.locator("button[name=action][value=back]").click()
    page.wait_for_load_state()
    assert _key(page.url) == "role"
    assert "need your attention" not in page.content()
    _next(page)
    assert _key(page.url) == "time_use"
    assert page.locator(".time-share").first.input_value() == "abc"


@pytest.mark.parametrize("stop_on", ["role", "education_career", "demographics"])
def test_resume_by_link_email_and_cookie_lands_on_the_page_where_they_stopped(
    survey_site, pages, stop_on
):
    page = _start(pages, survey_site.url, lang="es")
    for _ in range(30):
        if _key(page.url) == stop_on:
            break
        fill_page(page)
        _next(page)
    # "Guardar y terminar después" on this page: the private link and an emailed link.
    page.locator("button[name=action][value=save]").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    link = page.locator("#resume-link").input_value()
    assert link.endswith("?lang=es")
    page.locator("#resume-email").fill("lupe@example.org")
    page.locator("form[action$='/email-link/'] button[type=submit]").click()
    page.wait_for_load_state()
    emailed = re.search(r"http\S+/survey/resume/\S+", mail.outbox[-1].body).group(0)
    assert emailed.endswith("?lang=es")
    base = survey_site.url
    for url in (link, base + emailed.split("8000", 1)[-1] if "8000" in emailed else emailed):
        other = pages.open(
            viewport=PHONE, service_workers="allow"
        )  # another device, English by default
        other.goto(url.replace("http://testserver", base))
        assert _key(other.url) == stop_on
        assert other.locator("html").get_attribute("lang") == "es"
    # Cookie return: the same browser opens the landing; "Continue" is the main button.
    page.goto(base + SURVEY_URL)
    button = page.get_by_role("link", name="Continuar mi respuesta")
    assert "btn-primary" in button.get_attribute("class")
    assert_no_axe_violations(page)
    button.click()
    page.wait_for_load_state()
    assert _key(page.url) == stop_on


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_thank_you_page_and_the_copy_of_answers_in_both_languages(survey_site, pages, lang):
    from django.test import Client

    from apps.surveys.models import Survey
    from tests.surveys.helpers import complete

    client = Client()
    client.cookies["django_language"] = lang
    response, _seen = complete(client, Survey.objects.get(slug="ost-roles-duties"))
    page = pages.open(viewport=PHONE, service_workers="allow")
    host = survey_site.url.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [
            {"name": name, "value": morsel.value, "domain": host, "path": "/"}
            for name, morsel in client.cookies.items()
        ]
    )
    page.goto(f"{survey_site.url}/survey/r/{response.public_id}/thanks/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(f"main a[href='/updates/?lang={lang}']").count() == 1
    # One way to the builder, from the person's answers.
    assert page.locator("main a[href^='/comment/']").count() == 1
    assert page.locator(f"main a[href='/comment/?from=survey&lang={lang}']").count() == 1
    assert_no_axe_violations(page)
    copy = {"en": "See my answers on a printable page", "es": "Ver mis respuestas en una página"}
    page.get_by_role("link", name=copy[lang]).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == {"en": "My answers", "es": "Mis respuestas"}[lang]
    assert page.get_by_text("Answer to job_title").count() == 1
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.locator("a[href$='my-answers.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert not pages.console_errors, pages.console_errors
