import pytest

from apps.accounts.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser

DASHBOARDS = [
    "/staff/insights/",
    "/staff/insights/duties/",
    "/staff/insights/duties/T02/",
    "/staff/insights/titles/",
    "/staff/insights/crosswalk/",
    "/staff/insights/workforce/",
    "/staff/insights/open-answers/",
]


@pytest.fixture
def data_site(site):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey
    from devtools.synthetic import synthetic_responses_generate

    seed_survey()
    synthetic_responses_generate(
        survey=Survey.objects.get(slug="ost-roles-duties"), count=80, seed=5
    )
    return site


def _sign_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_dashboard_passes_axe(data_site, pages, viewport):
    page = pages.open(viewport=viewport)
    _sign_in(page, data_site.url, make_user(Role.REVIEWER))
    for url in DASHBOARDS:
        page.goto(data_site.url + url)
        assert page.locator("h1").count() == 1, url
        assert_no_axe_violations(page)
        # best practice: a table's scrolling region is not labelled like its section
        unique = page.evaluate(
            "async () => (await axe.run(document, {runOnly: {type: 'rule', "
            "values: ['landmark-unique']}})).violations.map(v => v.nodes.length)"
        )
        assert unique == [], (url, unique)
    assert not pages.console_errors


def test_a_reviewer_filters_saves_the_view_and_reopens_it(data_site, pages):
    page = pages.open()
    _sign_in(page, data_site.url, make_user(Role.REVIEWER))
    page.goto(data_site.url + "/staff/insights/duties/")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Main role").select_option("frontline")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**role=frontline**")
    page.get_by_label("Save this view as").fill("Frontline duties")
    page.get_by_role("button", name="Save view").click()
    page.goto(data_site.url + "/staff/insights/")
    page.get_by_text("Filters").first.click()
    page.get_by_role("link", name="Frontline duties").click()
    page.wait_for_url("**/staff/insights/duties/?role=frontline")
    page.emulate_media(media="print")
    assert not page.locator(".filters").is_visible()
    assert page.locator("table").first.is_visible()
