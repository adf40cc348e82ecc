import pytest
from django.core import mail

from apps.pages.models import ContactMessage, Page

from .conftest import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser


def _public_urls() -> list[str]:
    urls = [page.get_absolute_url() for page in Page.objects.published()]
    return sorted(set(urls)) + [
        "/accounts/login/",
        "/contact/thanks/",
        "/proposal/draft/",
        "/updates/",
        "/page/no-such-page/",
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_public_page_passes_axe_wcag21_aa(site, pages, viewport, lang):
    page = pages.open(viewport=viewport)
    page.goto(f"{site.url}/?lang={lang}")
    for url in _public_urls():
        page.goto(site.url + url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1, url
        assert_no_axe_violations(page)
        # Nothing wider than the screen: usable without sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
    # The only error allowed is the deliberate 404 itself (no CSP violation, no script error).
    assert [e for e in pages.console_errors if "no-such-page" not in e] == []


def test_pages_fit_a_320_pixel_screen(site, pages):
    page = pages.open(viewport={"width": 320, "height": 640})
    for url in ["/", "/page/where-counted-today/", "/page/timeline/", "/contact/"]:
        page.goto(site.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url


def test_language_choice_sticks_across_pages(site, pages):
    page = pages.open(viewport=DESKTOP)
    page.goto(site.url + "/page/vision/")
    page.get_by_role("button", name="Español").click()
    page.wait_for_url("**/page/vision/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name=Page.objects.get(slug="faq").title_es).first.click()
    assert page.locator("h1").inner_text() == Page.objects.get(slug="faq").title_es
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_phone_menu_opens_and_reaches_every_learn_page(site, pages):
    page = pages.open(viewport=PHONE)
    page.goto(site.url + "/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Learn").click()
    page.get_by_role("link", name="Glossary").click()
    assert page.locator("h1").inner_text() == "Glossary"
    assert not pages.console_errors


def test_skip_link_moves_focus_to_the_main_content(site, pages):
    page = pages.open()
    page.goto(site.url + "/page/timeline/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_contact_form_by_keyboard_alone(site, pages):
    page = pages.open(viewport=PHONE)
    page.goto(site.url + "/contact/")
    page.get_by_label("Your name").focus()
    page.keyboard.type("Rosa Díaz")
    page.keyboard.press("Tab")
    page.keyboard.type("not-an-email")
    page.keyboard.press("Tab")
    page.keyboard.type("Parks and Rec Youth")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # topic: the next choice
    page.keyboard.press("Tab")
    page.keyboard.type("Our staff would like to take the survey together.")
    page.keyboard.press("Tab")  # the honeypot is out of the tab order: straight to Send
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A bad email: clear message tied to the field, and nothing typed is lost.
    email = page.get_by_label("Your email address")
    assert email.get_attribute("aria-invalid") == "true"
    assert "name@example.org" in page.locator(".invalid-feedback").first.inner_text()
    assert page.get_by_label("Your message").input_value().startswith("Our staff would")
    assert_no_axe_violations(page)
    email.fill("rosa@example.org")
    email.press("Enter")
    page.wait_for_url("**/contact/thanks/")
    stored = ContactMessage.objects.get()
    assert stored.organization == "Parks and Rec Youth"
    assert stored.status == ContactMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_info_pages_print_without_navigation(site, pages):
    page = pages.open()
    page.goto(site.url + "/page/timeline/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").is_visible()
