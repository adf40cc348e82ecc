"""The pledge to comment and the builder's closest-occupation question in a real browser:
a phone (390 px), English and Spanish, keyboard only where it matters, axe-core clean."""

import re

import pytest
from django.core import mail

from apps.comments.models import Pledge
from apps.mailings.models import Subscriber
from apps.notices.seeding import seed_toolkit
from apps.surveys.models import Task
from apps.surveys.seeding import seed_survey

from .conftest import PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser

TEXT = {
    "en": {
        "email": "Your email address",
        "state": "State or territory (optional)",
        "pledge": "I pledge to comment",
        "sent": "Check your email",
        "confirm": "Yes, I pledge to comment",
        "done": "Thank you for your pledge",
    },
    "es": {
        "email": "Su correo electrónico",
        "state": "Estado o territorio (opcional)",
        "pledge": "Me comprometo a comentar",
        "sent": "Revise su correo",
        "confirm": "Sí, me comprometo a comentar",
        "done": "Gracias por su compromiso",
    },
}


@pytest.fixture
def builder_site(site):
    seed_survey()
    seed_toolkit()
    return site


def _fits_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pledge_with_the_keyboard_and_confirm_by_email(builder_site, pages, lang, settings):
    settings.PORTAL_BASE_URL = ""  # links follow the address the portal is served at
    text = TEXT[lang]
    page = pages.open(viewport=PHONE)
    page.goto(f"{builder_site.url}/?lang={lang}")
    page.goto(builder_site.url + "/comment/pledge/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)
    _fits_phone(page)
    # A mistake first: the message is in the page's language and nothing typed is lost.
    page.get_by_label(text["email"]).fill("not-an-address")
    page.get_by_label(text["state"]).select_option("NM")
    page.get_by_role("button", name=text["pledge"]).click()
    assert page.get_by_label(text["state"]).input_value() == "NM"
    assert_no_axe_violations(page)
    # Then the keyboard only: type the address and press Enter.
    field = page.get_by_label(text["email"])
    field.fill("")
    field.focus()
    page.keyboard.type(f"maria.{lang}@example.org")
    page.keyboard.press("Enter")
    page.wait_for_url("**/comment/pledge/check-your-email/")
    assert page.locator("h1").inner_text() == text["sent"]
    assert_no_axe_violations(page)
    message = next(m for m in mail.outbox if m.to == [f"maria.{lang}@example.org"])
    link = re.search(r"http://\S+/comment/pledge/confirm/\S+/", message.body).group(0)
    assert link.startswith(builder_site.url)  # the address the browser used, not port 8000
    page.goto(link)
    assert_no_axe_violations(page)
    page.get_by_role("button", name=text["confirm"]).click()
    assert page.locator("h1").inner_text() == text["done"]
    assert_no_axe_violations(page)
    _fits_phone(page)
    pledge = Pledge.objects.select_related("subscriber").get(
        subscriber__email=f"maria.{lang}@example.org"
    )
    assert pledge.is_confirmed and pledge.state == "NM" and pledge.language == lang
    assert pledge.subscriber.status == Subscriber.Status.CONFIRMED
    # The refused first try answers 400 (the browser logs that); nothing else, no CSP error.
    assert [e for e in pages.console_errors if "status of 400" not in e] == []


FIT = {
    "en": {
        "closest": "Which existing occupation comes closest to your work?",
        "fit": "Somewhat",
        "role": "Which best describes your main role?",
        "make": "Make my draft",
        "draft": "Your comment",
        "sentence": "describes my work only partly",
        "employer": "employer",
    },
    "es": {
        "closest": "¿Qué ocupación existente se parece más a su trabajo?",
        "fit": "En parte",
        "role": "¿Qué opción describe mejor su función principal?",
        "make": "Crear mi borrador",
        "draft": "Su comentario",
        "sentence": "describe mi trabajo solo en parte",
        "employer": "empleador",
    },
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_builder_states_the_fit_given_and_nothing_about_an_employer_code(builder_site, pages, lang):
    text = FIT[lang]
    page = pages.open(viewport=PHONE)
    page.goto(f"{builder_site.url}/?lang={lang}")
    page.goto(builder_site.url + "/comment/")
    assert_no_axe_violations(page)
    _fits_phone(page)
    page.get_by_label(text["role"]).select_option("frontline")
    task = Task.objects.filter(is_active=True).order_by("order").first()
    page.get_by_label(task.text_en if lang == "en" else task.text_es).check()
    page.get_by_label(text["closest"]).select_option("39-9032")
    page.get_by_role("radio", name=text["fit"], exact=True).check()
    page.get_by_role("button", name=text["make"]).click()
    draft = page.get_by_label(text["draft"], exact=True).input_value()
    assert text["sentence"] in draft and "(39-9032)" in draft
    assert text["employer"] not in draft.lower()
    assert_no_axe_violations(page)
    _fits_phone(page)
    assert pages.console_errors == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_news_page_with_its_feed_links_passes_axe_on_a_phone(site, pages, lang):
    from django.utils import timezone

    from apps.mailings.models import Announcement

    Announcement.objects.create(
        topic="survey_news",
        subject_en="The survey is open",
        subject_es="La encuesta está abierta",
        body_en="Tell us about **your work**.",
        body_es="Cuéntenos sobre **su trabajo**.",
        status="sent",
        finished_at=timezone.now(),
    )
    page = pages.open(viewport=PHONE)
    page.goto(f"{site.url}/?lang={lang}")
    page.locator("footer").get_by_role("link", name=re.compile("^(News|Noticias)")).click()
    page.wait_for_url("**/news/")
    assert page.locator("h2").first.inner_text() in (
        "The survey is open",
        "La encuesta está abierta",
    )
    assert page.locator(f'a[href="/feeds/updates.atom?lang={lang}"]').count() == 1
    assert_no_axe_violations(page)
    _fits_phone(page)
    assert pages.console_errors == []


TARGETS_JS = """() => {
  const small = [];
  const box = (el) => el.getBoundingClientRect();
  const seen = (el) => box(el).width > 0 && box(el).height > 0;
  const checks = 'main input[type=checkbox], main input[type=radio]';
  for (const el of document.querySelectorAll(checks)) {
    const b = box(el);
    if (seen(el) && (b.width < 24 || b.height < 24)) small.push([el.name, b.width, b.height]);
  }
  const tall = 'main .btn, main .form-control, main .form-select, .language-switcher .btn, '
    + '.navbar-toggler, .site-footer .list-inline-item > a';
  for (const el of document.querySelectorAll(tall)) {
    const b = box(el);
    const name = el.textContent.trim().slice(0, 30) || el.name;
    if (seen(el) && b.height < 44) small.push([name, b.width, b.height]);
  }
  return small;
}"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_public_forms_have_phone_sized_targets(builder_site, pages, lang):
    """Builder, draft, sign-up, contact, pledge and "I sent it": every button, field, select,
    the language switch, the menu button and the footer links at least 44 px high on a
    phone; checkboxes and radios at least 24 px (a stranger walk measured 16 px checkboxes,
    38 px fields and buttons on these pages)."""
    page = pages.open(viewport=PHONE)
    page.goto(f"{builder_site.url}/?lang={lang}")
    for url in ["/comment/", "/updates/", "/contact/", "/comment/pledge/", "/comment/submitted/"]:
        page.goto(builder_site.url + url)
        if url == "/comment/":
            assert page.locator("main input[type=checkbox]").count() > 10  # the tasks
        assert page.evaluate(TARGETS_JS) == [], url
        _fits_phone(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_refused_builder_leads_the_keyboard_to_each_error(builder_site, pages, lang):
    """After a refused "Make my draft", the focus is on the error summary; its links take the
    focus to the field itself (it stayed at the top of the page, 60 Tab stops away)."""
    page = pages.open(viewport=PHONE)
    page.goto(f"{builder_site.url}/?lang={lang}")
    page.goto(builder_site.url + "/comment/")
    page.locator("#id_years_in_field").fill("75")  # over 60
    page.locator("#id_years_in_field").press("Enter")
    page.wait_for_selector("#error-summary")
    for _ in range(50):  # the summary takes the focus once its deferred script has run
        if page.evaluate("document.activeElement.id") == "error-summary":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = page.locator("#error-summary a")
    assert links.count() >= 2
    years = page.locator("#error-summary a[href='#div_id_years_in_field']")
    years.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_years_in_field"
    page.locator("#error-summary a[href='#div_id_tasks']").click()
    assert page.evaluate("document.activeElement.name") == "tasks"
    assert_no_axe_violations(page)
