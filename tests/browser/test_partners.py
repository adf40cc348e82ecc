"""Partners in the browser at phone width (390 px), in English and Spanish, axe-clean:
accepting an invitation, signing in, the dashboard, making a link; the public results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD

from .conftest import PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "es": "es-ES"}


@pytest.fixture
def partner_site(site):
    from apps.partners.models import Partner
    from apps.surveys.models import Response, Survey
    from apps.surveys.seeding import seed_survey
    from devtools.synthetic import synthetic_responses_generate
    from tests.partners.conftest import make_partner

    seed_survey()
    survey = Survey.objects.get(slug="ost-roles-duties")
    synthetic_responses_generate(survey=survey, count=40, seed=3)
    partner = make_partner(survey, "Alpha Network", links=1, target=50)
    make_partner(survey, "Beta Clubs", links=1)
    link = partner.links.get().collector
    ids = list(Response.objects.order_by("pk").values_list("pk", flat=True)[:20])
    Response.objects.filter(pk__in=ids).update(collector=link)
    site.partner = Partner.objects.get(pk=partner.pk)
    return site


def _invitation_path(partner) -> str:
    from apps.partners import services

    invitation = services.partner_invite(
        partner=partner, email=f"contact-{timezone.now().timestamp()}@alpha.example", by=None
    )
    return f"/partners/invitation/{services.invitation_token(invitation)}/"


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_invited_contact_accepts_sees_the_dashboard_and_makes_a_link(
    partner_site, pages, language
):
    page = pages.open(viewport=PHONE, locale=LOCALES[language])
    base = partner_site.url
    page.goto(base + _invitation_path(partner_site.partner))
    assert page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(page)
    page.locator("#id_username").fill(f"alpha-{language}")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button.btn-primary").click()
    page.wait_for_url("**/partners/")
    heading = {"en": "Your responses", "es": "Sus respuestas"}[language]
    assert page.get_by_role("heading", name=heading).is_visible()
    body = page.locator("main").inner_text()
    assert "Beta Clubs" not in body
    assert_no_axe_violations(page)
    # No sideways scrolling at phone width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(base + "/partners/links/")
    assert_no_axe_violations(page)
    page.locator("#id_name").fill("Spring fair")
    page.locator("#id_kind").select_option("event")
    ends = (timezone.localdate() + timedelta(days=20)).isoformat()
    page.locator("#id_ends_on").fill(ends)
    page.locator("main form button.btn-primary").last.click()
    page.wait_for_url("**/partners/links/")
    row = page.locator("tr", has_text="Spring fair")
    assert row.count() == 1
    assert "/s/alpha-network-" in row.inner_text()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        row.locator("a[href$='flyer.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert not pages.console_errors


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_partner_signs_in_and_uses_the_keyboard_to_filter(partner_site, pages, language):
    from tests.partners.conftest import make_partner_user

    user = make_partner_user(partner_site.partner)
    page = pages.open(viewport=PHONE, locale=LOCALES[language])
    page.goto(partner_site.url + "/partners/sign-in/")
    assert_no_axe_violations(page)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/")
    page.goto(partner_site.url + "/partners/duties/")
    assert_no_axe_violations(page)
    page.goto(partner_site.url + "/partners/api-token/")
    assert_no_axe_violations(page)
    assert not pages.console_errors


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_results_page(partner_site, pages, language):
    from apps.partners import services

    services.results_set_published(published=True, by=None)
    page = pages.open(viewport=PHONE, locale=LOCALES[language])
    page.goto(partner_site.url + "/results/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("#method").is_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert not pages.console_errors
