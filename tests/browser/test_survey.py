import pytest
from django.core import mail

from apps.surveys.models import Answer, RespondentContact, Response, TaskRating

from .conftest import PHONE, assert_no_axe_violations
from .survey_filler import fill_page

pytestmark = pytest.mark.browser

SURVEY_URL = "/survey/ost-roles-duties/"


@pytest.fixture
def survey_site(site):
    from apps.surveys.seeding import seed_survey

    seed_survey()
    return site


def _walk_to_the_end(page, lang: str, max_pages: int = 20) -> list[str]:
    titles = []
    for _ in range(max_pages):
        if "/thanks/" in page.url:
            return titles
        titles.append(page.locator("h1").inner_text())
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
