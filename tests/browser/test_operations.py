import pytest
from django.test import RequestFactory

from apps.accounts.roles import Role
from apps.exports.models import ExportJob
from apps.operations.middleware import database_unavailable_response
from apps.surveys.models import Answer
from tests.factories import make_user

from .conftest import PHONE, assert_no_axe_violations
from .survey_filler import fill_page
from .test_staff import _sign_in

pytestmark = pytest.mark.browser


def _draft(page, key: str):
    """The copy of a page kept on the phone (localStorage), or None."""
    form = page.locator("form[data-keep-answers]")
    response = form.get_attribute("data-response") if form.count() else ""
    return page.evaluate(f"localStorage.getItem('ost-draft:{response}:{key}')")


def _to_page_with(page, question_key: str) -> None:
    for _ in range(12):
        if page.locator(f"[data-question={question_key}]").count():
            return
        fill_page(page)
        page.locator("button[name=action][value=next]").click()
        page.wait_for_load_state()
    raise AssertionError(f"no page asks {question_key}")


def test_answers_typed_while_the_database_is_down_come_back_after_the_retry(survey_site, pages):
    # Without the service worker: the page route below stands for the server, and requests a
    # service worker makes are not routed (the offline tests cover the worker).
    page = pages.open(viewport=PHONE, service_workers="block")
    page.goto(survey_site.url + "/survey/ost-roles-duties/")
    page.locator("form button[type=submit]").last.click()
    _to_page_with(page, "job_title")
    path = page.evaluate("location.pathname")
    fill_page(page, texts={"job_title": "Lead site coordinator", "employer_name": "Casa Verde"})

    # The portal's real 503 page, as the server sends it while PostgreSQL is down.
    down = database_unavailable_response(RequestFactory().post(path))

    def database_down(route):
        if route.request.method == "POST":
            route.fulfill(
                status=503,
                body=down.content,
                headers={"Content-Type": "text/html; charset=utf-8", "Retry-After": "60"},
            )
        else:
            route.continue_()

    page.route(f"**{path}", database_down)
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Please try again in a minute"
    assert not Answer.objects.filter(question__key="job_title").exists()

    # "Try again" loads the survey page from the server (nothing of it saved) ...
    page.get_by_role("link", name="Try again").click()
    page.wait_for_load_state()
    assert page.evaluate("location.pathname") == path
    # ... and the page's script puts back what was typed.
    assert page.locator("input[name=job_title]").input_value() == "Lead site coordinator"
    assert page.locator("input[name=employer_name]").input_value() == "Casa Verde"
    assert page.locator("form[data-keep-answers]").get_attribute("data-restored") == "true"

    # The database is back: the same button now saves, and the browser copy is deleted.
    page.unroute(f"**{path}")
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()
    assert page.evaluate("location.pathname") != path
    # The next page knows this one was saved since: the copy on the phone is dropped.
    assert _draft(page, path.rstrip("/").split("/")[-1]) is None
    assert Answer.objects.get(question__key="job_title").text_value == "Lead site coordinator"
    # The only console error is the browser noting the 503 itself (no script or CSP error).
    assert all("status of 503" in error for error in pages.console_errors), pages.console_errors


def test_the_browser_copy_is_dropped_once_a_page_is_saved(survey_site, pages):
    page = pages.open(viewport=PHONE)
    page.goto(survey_site.url + "/survey/ost-roles-duties/")
    page.locator("form button[type=submit]").last.click()
    first = page.evaluate("location.pathname")
    fill_page(page)
    assert _draft(page, "eligibility") is not None  # kept on the phone as it is typed
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()
    assert page.evaluate("location.pathname") != first
    assert _draft(page, "eligibility") is None


def test_status_page_has_no_accessibility_violations(site, pages):
    ExportJob.objects.create(kind="responses", format="csv", status="failed")
    administrator = make_user(Role.ADMINISTRATOR)
    page = pages.open()
    _sign_in(page, site.url, administrator)
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Open the status page").click()
    page.wait_for_url("**/staff/status/")
    assert page.locator("h1").inner_text() == "Portal status"
    assert "Failed exports (last 7 days)" in page.content()
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert_no_axe_violations(page)
    assert not pages.console_errors
