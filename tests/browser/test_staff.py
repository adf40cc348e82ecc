import pytest
from django.conf import settings

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.pages.models import FAQEntry
from tests.factories import make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def _sign_in(page, base_url, user):
    sign_in(page, base_url, user)


def test_editor_signs_in_edits_an_faq_answer_and_the_public_page_shows_it(site, pages):
    editor = make_user(Role.EDITOR)
    page = pages.open(viewport=DESKTOP)
    _sign_in(page, site.url, editor)
    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Staff area"
    assert_no_axe_violations(page)
    entry = FAQEntry.objects.order_by("order").first()
    page.goto(f"{site.url}/{settings.ADMIN_URL}pages/faqentry/{entry.pk}/change/")
    page.locator("#id_answer_en").fill("An answer edited in the browser.")
    page.locator("#id_answer_es").fill("Una respuesta editada en el navegador.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/pages/faqentry/")
    page.goto(site.url + "/page/faq/")
    assert "An answer edited in the browser." in page.content()
    assert AuditEvent.objects.filter(actor=editor, action="changed").exists()
    page.get_by_role("button", name="Sign out").click()
    page.goto(site.url + "/staff/")
    assert "/accounts/login/" in page.url


def test_staff_pages_pass_axe_on_a_phone(site, pages):
    admin = make_user(Role.ADMINISTRATOR)
    page = pages.open(viewport=PHONE)
    _sign_in(page, site.url, admin)
    page.wait_for_url("**/staff/")
    for url in ["/staff/", "/staff/audit/", "/accounts/password/change/"]:
        page.goto(site.url + url)
        assert_no_axe_violations(page)
    assert not pages.console_errors


def test_signed_in_user_without_a_role_gets_403(site, pages):
    user = make_user()
    page = pages.open()
    _sign_in(page, site.url, user)
    response = page.goto(site.url + "/staff/")
    assert response.status == 403
    assert "You do not have access to this page" in page.content()
