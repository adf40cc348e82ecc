"""In a real browser: turning on two-factor sign-in and signing in with a code; the
Administrator requirement; a respondent deleting their answers; a deletion request."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.surveys.models import RespondentContact, Response
from tests.factories import PASSWORD, make_user, totp_code

from .conftest import PHONE, assert_no_axe_violations, sign_in
from .survey_filler import fill_page

pytestmark = pytest.mark.browser


def _code_from_key(shown_key: str) -> str:
    """What an authenticator app shows for the key typed by hand from the set-up page."""
    key = shown_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    totp = TOTP(base64.b32decode(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _password_step(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_staff_member_turns_on_two_factor_then_signs_in_with_a_code(site, pages):
    reviewer = make_user(Role.REVIEWER)
    page = pages.open(viewport=PHONE)
    sign_in(page, site.url, reviewer)
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert "Two-factor sign-in is off." in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/accounts/two-factor/set-up/")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert page.evaluate("() => document.querySelector('img.two-factor-qr').naturalWidth") > 0
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill(_code_from_key(page.locator("#two-factor-secret").inner_text()))
    page.get_by_role("button", name="Confirm and turn on").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    assert_no_axe_violations(page)
    page.get_by_role("link", name="I have saved them, go on").click()
    assert "Two-factor sign-in is on." in page.content()
    page.get_by_role("button", name="Sign out").click()

    # Next time: password, then the code page.
    _password_step(page, site.url, reviewer)
    assert "/accounts/login/code/" in page.url
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert "That code is not right" in page.content()
    assert_no_axe_violations(page)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=True)
    # django-otp pauses the device for a second after a wrong code; end the pause here
    # rather than sleep (the pause itself is tested in tests/accounts).
    device.throttle_reset()
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Staff area"
    assert AuditEvent.objects.filter(actor=reviewer, details={"two_factor": "turned on"}).exists()
    # Only the wrong code's page answered with an error status (400), as it should.
    assert [e for e in pages.console_errors if "status of 400" not in e] == []


def test_an_administrator_without_two_factor_is_sent_to_set_it_up(site, pages):
    admin = make_user(Role.ADMINISTRATOR, two_factor=False)
    page = pages.open()
    _password_step(page, site.url, admin)
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    assert "Administrators must turn on two-factor sign-in" in page.content()
    page.goto(site.url + "/staff/audit/")
    assert "/accounts/two-factor/set-up/" in page.url


def test_administrator_answers_a_deletion_request(site, pages):
    from apps.surveys.seeding import seed_survey
    from apps.surveys.services import digest
    from tests.surveys.helpers import complete

    seed_survey()
    from django.test import Client

    from apps.surveys.models import Survey

    response, _seen = complete(Client(), Survey.objects.get(slug="ost-roles-duties"))
    RespondentContact.objects.create(
        response=response, email="rosa@example.org", email_digest=digest("rosa@example.org")
    )
    admin = make_user(Role.ADMINISTRATOR)
    page = pages.open(viewport=PHONE)
    sign_in(page, site.url, admin)
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Answer a deletion request").click()
    assert_no_axe_violations(page)
    page.get_by_label("Email address in the request").fill("Rosa@example.org")
    page.get_by_role("button", name="Find linked records").click()
    assert page.locator("tbody td").nth(1).inner_text() == "1"
    assert_no_axe_violations(page)
    page.get_by_label("I have checked the request; delete everything listed").check()
    page.get_by_role("button", name="Delete these records").click()
    assert "Deleted 1 records linked to that address." in page.content()
    assert not Response.objects.exists()
    assert not pages.console_errors


def test_a_respondent_deletes_their_answers_from_the_thank_you_page(site, pages):
    from apps.surveys.seeding import seed_survey

    seed_survey()
    page = pages.open(viewport=PHONE)
    page.goto(site.url + "/survey/ost-roles-duties/?lang=es")
    page.locator("form button[type=submit]").last.click()
    for _ in range(20):
        if "/thanks/" in page.url:
            break
        fill_page(page)
        page.locator("button[name=action][value=next]").click()
        page.wait_for_load_state()
    assert Response.objects.complete().count() == 1
    page.get_by_role("link", name="Borrar mis respuestas y mi correo").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Borrar mis respuestas para siempre").click()
    page.wait_for_url("**/privacy/deleted/")
    assert_no_axe_violations(page)
    assert not Response.objects.exists()
    assert not RespondentContact.objects.exists()
    assert not pages.console_errors
