"""Email updates in a real browser: sign up, confirm from the email, manage, unsubscribe;
staff write, preview and send an announcement and watch the progress bar. axe on every page."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.mailings.models import Announcement, Subscriber
from apps.mailings.services import announcement_deliver
from tests.factories import make_user
from tests.mailings.factories import make_subscriber

from .conftest import DESKTOP, PHONE, assert_no_axe_violations
from .test_staff import _sign_in

pytestmark = pytest.mark.browser


def _link_from_email(site_url: str, kind: str) -> str:
    body = mail.outbox[-1].body
    found = re.search(re.escape(settings.PORTAL_BASE_URL) + rf"(/updates/{kind}/[^\s]+/)", body)
    assert found, body
    return site_url + found.group(1)


def test_sign_up_in_spanish_confirm_from_the_email_manage_and_unsubscribe(site, pages):
    page = pages.open(viewport=PHONE, locale="es-ES")
    page.goto(site.url + "/updates/?lang=es")
    assert page.locator("h1").inner_text() == "Novedades por correo"
    assert_no_axe_violations(page)

    # A throwaway address is refused in Spanish, and the choices are kept.
    page.get_by_label("Su correo electrónico").fill("alguien@mailinator.com")
    page.get_by_label("Borradores de la propuesta").uncheck()
    page.get_by_role("button", name="Suscribirme").click()
    assert "servicios de correo desechable" in page.content()
    assert not page.get_by_label("Borradores de la propuesta").is_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Su correo electrónico").fill("Rosa.Diaz@Example.org")
    page.get_by_role("button", name="Suscribirme").click()
    page.wait_for_url("**/updates/check-your-email/")
    assert page.locator("h1").inner_text() == "Revise su correo"
    assert_no_axe_violations(page)

    # The test reads the email the live server sent (locmem backend, same process).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa.diaz@example.org"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(_link_from_email(site.url, "confirm"))
    assert page.locator("h1").inner_text() == "Confirme su suscripción"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Sí, envíenme novedades").click()
    assert page.locator("h1").inner_text() == "Ya está suscrito"
    assert "rosa.diaz@example.org" in page.content()
    assert_no_axe_violations(page)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "es"
    assert subscriber.topics == ["survey_news", "comment_window"]

    page.get_by_role("link", name="Cambiar sus opciones").click()
    assert page.locator("h1").inner_text() == "Sus novedades por correo"
    assert_no_axe_violations(page)
    page.get_by_label("Noticias de la encuesta").uncheck()
    page.get_by_role("button", name="Guardar mis opciones").click()
    assert "Sus preferencias se guardaron." in page.content()
    assert_no_axe_violations(page)
    subscriber.refresh_from_db()
    assert subscriber.topics == ["comment_window"]

    page.get_by_role("button", name="Darme de baja de todo").click()
    assert page.locator("h1").inner_text() == "Se dio de baja"
    assert_no_axe_violations(page)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # The only console line allowed is the refused form's own 400 (no CSP or script error).
    assert [e for e in pages.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_link_pages_and_the_compact_form_pass_axe(site, pages, lang):
    subscriber = make_subscriber()
    from apps.mailings.tokens import MANAGE, make_token

    token = make_token(subscriber, MANAGE)
    page = pages.open(viewport=DESKTOP)
    page.goto(f"{site.url}/?lang={lang}")
    for url in [
        f"/updates/unsubscribe/{token}/",
        "/updates/confirm/tampered-link/",
        "/page/get-involved/",
        "/updates/",
    ]:
        page.goto(site.url + url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1, url
        assert_no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], url
    # The compact form on the get-involved page signs up too.
    page.goto(site.url + "/page/get-involved/")
    form = page.locator("section.updates-compact")
    form.locator("input[type=email]").fill(f"compact-{lang}@example.org")
    form.get_by_role("button").click()
    page.wait_for_url("**/updates/check-your-email/")
    assert Subscriber.objects.filter(email=f"compact-{lang}@example.org").exists()


def test_editor_writes_previews_and_sends_and_the_progress_bar_follows(site, pages):
    for i in range(5):
        make_subscriber(language="es" if i % 2 else "en")
    editor = make_user(Role.EDITOR)
    page = pages.open(viewport=DESKTOP)
    _sign_in(page, site.url, editor)
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Open email updates").click()
    assert page.locator("h1").inner_text() == "Email updates"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Write an announcement").click()
    assert_no_axe_violations(page)
    page.get_by_label("Topic").select_option("survey_news")
    page.get_by_label("Subject (English)").fill("The survey is open")
    page.get_by_label("Subject (Spanish)").fill("La encuesta está abierta")
    page.get_by_label("Message (English, Markdown)").fill("Tell us about **your work**.")
    page.get_by_label("Message (Spanish, Markdown)").fill("Cuéntenos sobre **su trabajo**.")
    page.get_by_role("button", name="Save and preview").click()
    assert page.locator(".announcement-preview strong").all_inner_texts() == [
        "your work",
        "su trabajo",
    ]
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send me a test").click()
    assert [m.to for m in mail.outbox] == [[editor.email], [editor.email]]
    # Hold the batches back so the page shows the send in progress, then let them run.
    with mock.patch("apps.mailings.services.enqueue"):
        page.get_by_label("I have read the preview").check()
        page.get_by_role("button", name="Send to subscribers").click()
        page.wait_for_selector("#send-progress")
    assert page.locator("#send-progress").get_attribute("value") == "0"
    assert_no_axe_violations(page)
    announcement = Announcement.objects.get()
    announcement_deliver(announcement_id=announcement.pk)
    # The page polls the status view (static/js/jobs.js) and fills the bar.
    expect(page.locator("#send-progress")).to_have_attribute("value", "100", timeout=20_000)
    expect(page.locator("[data-job-summary]")).to_have_text("5 of 5 done")
    assert page.locator('[data-job-count="sent"]').inner_text() == "5"
    assert len(mail.outbox) == 2 + 5
    assert_no_axe_violations(page)
    assert not pages.console_errors
