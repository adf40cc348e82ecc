import pytest
from django.core import mail
from playwright.sync_api import expect

from apps.surveys.models import Answer, RespondentContact, Response, TaskRating

from .conftest import PHONE, assert_no_axe_violations
from .survey_filler import fill_page

pytestmark = pytest.mark.browser

SURVEY_URL = "/survey/ost-roles-duties/"


def _walk_to_the_end(page, lang: str, max_pages: int = 20) -> list[str]:
    """Titles of the pages walked (the duties steps share one page and one title)."""
    titles = []
    for _ in range(max_pages):
        if "/thanks/" in page.url:
            return titles
        title = page.locator("h1").inner_text()
        if not titles or titles[-1] != title:
            titles.append(title)
        assert_no_axe_violations(page)
        fill_page(page)
        page.locator("button[name=action][value=next]").click()
        page.wait_for_load_state()
        assert "answer needs your attention" not in page.content(), (page.url, titles[-1])
        assert "answers need your attention" not in page.content(), (page.url, titles[-1])
    raise AssertionError(f"did not reach the end: {titles}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_practitioner_completes_the_whole_survey_on_a_phone(survey_site, pages, lang):
    page = pages.open(viewport=PHONE)
    page.goto(f"{survey_site.url}/?lang={lang}")
    page.locator(".hero-actions a").first.click()
    assert_no_axe_violations(page)
    page.locator("form button[type=submit]").last.click()
    titles = _walk_to_the_end(page, lang)
    assert len(titles) == 11
    assert page.locator("html").get_attribute("lang") == lang
    response = Response.objects.get()
    assert response.status == Response.Status.COMPLETE
    assert response.language == lang
    assert response.role.slug == "frontline"
    assert response.state == "CA"
    assert TaskRating.objects.filter(response=response, is_relevant=True).count() >= 10
    assert Answer.objects.filter(response=response, question__key="job_title").get().text_value == (
        "Group leader"
    )
    assert RespondentContact.objects.get(response=response).email == "maria@example.org"
    assert len(mail.outbox) == 1  # the confirmation, after commit
    assert_no_axe_violations(page)
    assert not pages.console_errors


def _start(page, base_url, lang="en"):
    page.goto(f"{base_url}{SURVEY_URL}?lang={lang}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/page/eligibility/")


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"keyboard focus never reached: {predicate_js}")


def test_a_page_can_be_answered_with_the_keyboard_alone(survey_site, pages):
    page = pages.open()
    _start(page, survey_site.url)
    fill_page(page)
    page.locator("button[name=action][value=next]").click()
    page.wait_for_url("**/page/role/")
    page.locator("#main").focus()
    _tab_to(page, "document.activeElement.name === 'role'")
    page.keyboard.press("ArrowDown")  # the second role: lead frontline staff
    _tab_to(page, "document.activeElement.name === 'job_title'")
    page.keyboard.type("Lead group leader")
    _tab_to(page, "document.activeElement.name === 'supervises'")
    page.keyboard.press("Space")  # "Yes": the how-many question appears
    _tab_to(page, "document.activeElement.name === 'supervise_count'")
    page.keyboard.type("4")
    _tab_to(page, "document.activeElement.value === 'next'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/page/time_use/")
    response = Response.objects.get()
    assert response.role.slug == "lead_frontline"
    assert Answer.objects.get(response=response, question__key="supervise_count").number_value == 4


def test_errors_are_announced_and_tied_to_their_fields(survey_site, pages):
    page = pages.open(viewport=PHONE)
    _start(page, survey_site.url, lang="es")
    page.locator("button[name=action][value=next]").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "err-consent" in page.locator("#field-consent").get_attribute("aria-describedby").split()
    assert page.locator("#err-consent").inner_text().strip() == "Por favor responda esta pregunta."
    assert_no_axe_violations(page)


def test_a_refused_page_does_not_say_it_put_back_what_was_typed(survey_site, pages):
    """A page sent back with an error shows what was typed (the server has it) without "We
    put back what you had typed", which read as if something had been lost."""
    page = pages.open(viewport=PHONE)
    _start(page, survey_site.url, lang="es")
    page.locator("input[name=consent][value=yes]").check()
    page.locator("button[name=action][value=next]").click()  # eligibility left unanswered
    assert page.locator("#error-summary").is_visible()
    assert page.locator("input[name=consent][value=yes]").is_checked()
    page.wait_for_timeout(300)
    assert "Recuperamos" not in page.locator("#offline-status").inner_text()


def test_resume_link_opens_the_draft_in_a_fresh_browser(survey_site, pages):
    page = pages.open(viewport=PHONE)
    _start(page, survey_site.url)
    fill_page(page)
    page.locator("button[name=action][value=next]").click()
    page.wait_for_url("**/page/role/")
    page.locator("#field-job_title").fill("Camp counselor")
    page.locator("button[name=action][value=save]").click()
    link = page.locator("#resume-link").input_value()
    assert "/survey/resume/" in link
    assert_no_axe_violations(page)

    fresh = pages.open(viewport=PHONE)  # another device: no cookies, no session
    fresh.goto(link)
    fresh.wait_for_url("**/page/role/")
    assert fresh.locator("#field-job_title").input_value() == "Camp counselor"
    fill_page(fresh)
    fresh.locator("button[name=action][value=next]").click()
    fresh.wait_for_url("**/page/time_use/")

    stranger = pages.open()
    stranger.goto(fresh.url)
    assert "We could not open this survey response" in stranger.content()
    stranger.goto(link.split("?")[0][:-4] + "xyz/")  # a tampered token (the link ends in ?lang=)
    assert "This link does not work" in stranger.content()
    assert_no_axe_violations(stranger)


def test_staff_preview_and_overview_pass_axe(survey_site, pages):
    from apps.accounts.roles import Role
    from tests.factories import make_user

    from .conftest import sign_in

    admin = make_user(Role.ADMINISTRATOR)
    page = pages.open()
    sign_in(page, survey_site.url, admin)
    page.wait_for_url("**/staff/")
    for url in [
        "/staff/surveys/",
        "/staff/survey-preview/1/duties/?role=site_lead",
        "/staff/surveys/ost-roles-duties/paper-import/",
    ]:
        page.goto(survey_site.url + url)
        assert_no_axe_violations(page)


def test_the_live_time_total_reads_the_boxes_as_the_server_does(survey_site, pages):
    """A Spanish phone walk typed "80,5" (cut to "80," by a 3-character box) and "9,5": the
    live total said 99% while the error said the shares add up to 90. Whole numbers only, in
    both; nothing typed is cut."""
    page = pages.open(viewport=PHONE)
    _start(page, survey_site.url, lang="es")
    fill_page(page)
    page.locator("button[name=action][value=next]").click()
    page.wait_for_url("**/page/role/")
    fill_page(page)
    page.locator("button[name=action][value=next]").click()
    page.wait_for_url("**/page/time_use/")
    boxes = page.locator(".time-share")
    for box, value in zip(boxes.all(), ["80,5", "0", "10", "9,5"], strict=True):
        box.fill(value)
    assert boxes.first.input_value() == "80,5"
    total = page.locator(".time-total")
    expect(total).to_have_text("Use números enteros en cada casilla, por ejemplo 25.")
    boxes.first.fill("80")
    boxes.last.fill("10")
    expect(total).to_have_text("Total: 100%")
    boxes.last.fill("9")
    expect(total).to_have_text("Total: 99%")
