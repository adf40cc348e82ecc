import re

import pytest
from django.urls import reverse

from apps.pages.models import Milestone, Page

pytestmark = pytest.mark.django_db

# slug -> facts the page must state, in English and in Spanish.
KEY_FACTS = {
    "vision": (["recogni"], ["reconoc"]),
    "what-is-soc": (
        ["867", "Bureau of Labor Statistics"],
        ["867", "Oficina de Estadísticas Laborales"],
    ),
    "why-it-matters": (["600,000", "2 million"], ["600,000", "2 millones"]),
    "where-counted-today": (
        ["39-9011", "Childcare Workers", "11-9031", "25-9045"],
        ["39-9011", "25-9045"],
    ),
    "timeline": (["BLS-2024-0001", "89 FR 49911", "2024-12825"], ["BLS-2024-0001", "89 FR 49911"]),
    "workgroup": (
        ["California AfterSchool Network", "Afterschool Alliance", "16"],
        ["California AfterSchool Network", "Afterschool Alliance", "16"],
    ),
    "what-is-ost": (["CDC"], ["CDC"]),
    "get-involved": (["survey"], ["encuesta"]),
    "faq": (["Will a"], ["¿"]),
    "glossary": (["O*NET", "Detailed occupation"], ["O*NET"]),
    "privacy": (["contact"], ["contacto"]),
}


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("slug", sorted(KEY_FACTS))
def test_every_info_page_states_its_key_facts_in_english(client, seeded, slug):
    response = client.get(reverse("pages:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    html = _text(response)
    assert '<html lang="en">' in html
    assert html.count("<h1") == 1
    for fact in KEY_FACTS[slug][0]:
        assert fact in html, f"{slug}: {fact!r} missing"


@pytest.mark.parametrize("slug", sorted(KEY_FACTS))
def test_every_info_page_states_its_key_facts_in_spanish(spanish_client, seeded, slug):
    page = Page.objects.get(slug=slug)
    response = spanish_client.get(page.get_absolute_url())
    assert response.status_code == 200
    html = _text(response)
    assert '<html lang="es">' in html
    assert page.title_es in html.replace("&#x27;", "'")
    for fact in KEY_FACTS[slug][1]:
        assert fact in html, f"{slug}: {fact!r} missing"


def test_home_page_offers_next_actions_in_both_languages(client, spanish_client, seeded):
    html = _text(client.get("/"))
    assert "Get involved" in html and reverse("pages:contact") in html
    html_es = _text(spanish_client.get("/"))
    assert '<html lang="es">' in html_es
    assert Page.objects.get(slug="home").title_es in html_es


def test_home_shows_the_first_milestone_not_done_as_current_stage(client, seeded):
    from apps.pages.selectors import milestone_list_with_current

    milestones, current = milestone_list_with_current()
    first_not_done = next(m for m in milestones if m.status != Milestone.Status.DONE)
    assert current == first_not_done
    html = _text(client.get("/"))
    assert current.title_en in html


def test_timeline_highlights_exactly_one_current_stage(client, seeded):
    html = _text(client.get(reverse("pages:detail", kwargs={"slug": "timeline"})))
    assert html.count('aria-current="step"') == 1
    assert "Provisional, to be verified" in html


def test_contact_page_shows_the_form(client, seeded):
    response = client.get(reverse("pages:contact"))
    assert response.status_code == 200
    assert 'name="email"' in _text(response)


def test_unknown_page_gets_a_friendly_404_in_spanish(spanish_client, seeded):
    response = spanish_client.get("/page/does-not-exist/")
    assert response.status_code == 404
    assert '<html lang="es">' in _text(response)


def test_unpublished_page_is_not_found(client, seeded):
    Page.objects.filter(slug="vision").update(is_published=False)
    assert client.get("/page/vision/").status_code == 404


def test_language_switcher_sets_a_cookie_that_sticks(client, seeded):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/page/faq/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    assert '<html lang="es">' in _text(client.get("/page/vision/"))


def test_the_switcher_works_on_an_address_that_carries_lang(client, seeded):
    """The thank-you page links to /comment/?from=survey&lang=en: the switcher there reloaded
    the same address, whose ?lang switched the page straight back."""
    import re

    html = _text(client.get("/page/faq/?lang=es&x=1"))
    target = re.search(r'name="next" value="([^"]*)"', html).group(1).replace("&amp;", "&")
    assert target == "/page/faq/?x=1"
    reply = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert '<html lang="en">' in _text(client.get(reply.url))


def test_lang_query_parameter_picks_spanish_and_remembers_it(client, seeded):
    assert '<html lang="es">' in _text(client.get("/?lang=es"))
    assert '<html lang="es">' in _text(client.get("/page/vision/"))


def test_menus_link_every_page_in_the_navigation(client, seeded):
    html = _text(client.get("/"))
    for page in Page.objects.exclude(nav_group=Page.NavGroup.NONE):
        assert f'href="{page.get_absolute_url()}"' in html


def test_pages_have_no_inline_scripts(client, seeded):
    for url in ["/", "/page/timeline/", "/contact/", "/accounts/login/"]:
        html = _text(client.get(url))
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)


def test_robots_txt_keeps_crawlers_out_of_staff_pages(client):
    body = _text(client.get("/robots.txt"))
    assert "Disallow: /staff/" in body
