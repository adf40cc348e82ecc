import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from apps.comments.models import DraftFingerprint, SubmissionRecord
from apps.notices.models import Notice
from apps.notices.seeding import seed_toolkit
from apps.surveys.models import Task
from apps.surveys.seeding import seed_survey

from .conftest import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser


def _number(text: str) -> int:
    """A count as the page prints it in any locale (1,121 / 1.121 / 1121)."""
    return int(re.sub(r"\D", "", text))


@pytest.fixture
def comment_site(site):
    seed_survey()
    seed_toolkit()
    now = timezone.now()
    Notice.objects.create(
        title_en="Second notice: recommendations",
        title_es="Segundo aviso: recomendaciones",
        citation="92 FR 4321",
        document_number="2027-01234",
        docket_id="BLS-2027-0001",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=40),
        submission_url="https://www.regulations.gov/docket/BLS-2027-0001",
        required_header="BLS-2027-0001: Standard Occupational Classification (SOC)",
        summary_en="The committee recommends changes.",
        summary_es="El comité recomienda cambios.",
        is_published=True,
    )
    return site


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_toolkit_notice_and_builder_pages_pass_axe(comment_site, pages, viewport, lang):
    page = pages.open(viewport=viewport)
    page.goto(f"{comment_site.url}/?lang={lang}")
    notice = Notice.objects.get(docket_id="BLS-2027-0001")
    for url in [
        "/toolkit/",
        "/notices/",
        f"/notices/{notice.pk}/",
        "/comment/",
        "/comment/submitted/",
        "/page/timeline/",
    ]:
        page.goto(comment_site.url + url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1, url
        assert page.locator(".notice-banner").count() == 1, url
        assert_no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
    assert pages.console_errors == []


def test_build_a_comment_in_spanish_and_download_it(comment_site, pages, tmp_path):
    page = pages.open(viewport=PHONE, locale="es-US")
    page.goto(comment_site.url + "/?lang=es")
    page.locator(".notice-banner").get_by_role("link", name="Escriba su comentario").click()
    page.wait_for_url("**/comment/")
    assert page.locator("h1").inner_text() == "Escriba su comentario público"
    page.get_by_label("¿Qué opción describe mejor su función principal?").select_option("site_lead")
    page.get_by_label("Su puesto", exact=True).fill("Coordinadora de sitio")
    page.get_by_label("Años de trabajo en programas").fill("9")
    page.get_by_label("Estado o territorio", exact=True).select_option("AZ")
    tasks = list(Task.objects.filter(code__in=["T21", "T23", "T27"]).order_by("order"))
    for task in tasks:
        page.get_by_label(task.text_es).check()
    page.get_by_label("Una historia de su trabajo").fill(
        "El lunes cubrí a un líder ausente y además preparé el horario de la semana."
    )
    assert page.get_by_label("Idioma de su comentario").input_value() == "es"
    page.get_by_role("button", name="Crear mi borrador").click()
    page.wait_for_url("**/comment/")
    assert page.locator("h1").inner_text() == "Su borrador de comentario"
    area = page.get_by_label("Su comentario", exact=True)
    draft = area.input_value()
    assert draft.startswith("BLS-2027-0001")
    assert "Trabajo en programas fuera del horario escolar." in draft
    assert "Coordinadora de sitio" in draft and "Arizona" in draft
    for task in tasks:
        assert task.text_es in draft
    assert "Los comentarios se publican." in page.content()
    assert_no_axe_violations(page)

    # The live counter follows the typing, and warns past the form's limit.
    counter = page.locator("#char-count")
    area.press("End")
    area.type(" Gracias.")
    assert _number(counter.inner_text().split(" ")[0]) == len(draft) + 9
    area.fill(draft + "x" * 5000)
    assert "más de los que admite" in counter.inner_text()
    assert "text-danger" in (counter.get_attribute("class") or "")
    own_words = draft + "\nLo escribí con mis propias palabras."
    area.fill(own_words)
    assert _number(counter.inner_text().split(" de ")[1].split(" ")[0]) == 5000
    assert "text-danger" not in (counter.get_attribute("class") or "")

    # Copy puts the text on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copiar el texto").click()
    expect(page.locator(".copy-status")).to_have_text(re.compile(r"^Copiado"))
    assert page.evaluate("navigator.clipboard.readText()") == own_words

    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar como Word (.docx)").click()
    download = info.value
    assert download.suggested_filename == "public-comment-bls-2027-0001.docx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Lo escribí con mis propias palabras." in text
    assert tasks[0].text_es in text

    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar como texto (.txt)").click()
    txt = tmp_path / "c.txt"
    info.value.save_as(txt)
    assert "Lo escribí con mis propias palabras." in txt.read_text(encoding="utf-8-sig")
    assert DraftFingerprint.objects.exclude(signature=[]).count() == 1

    # The link to the official form carries the docket; then the person says they submitted.
    link = page.get_by_role("link", name="Ir al formulario oficial de comentarios")
    assert link.get_attribute("href") == "https://www.regulations.gov/docket/BLS-2027-0001"
    page.get_by_role("link", name="¿Ya lo envió? Avísenos (sin carta ni nombre)").click()
    page.get_by_label("Su función principal", exact=True).select_option("site_lead")
    page.get_by_label("Estado o territorio", exact=True).select_option("AZ")
    page.get_by_label("Número de seguimiento (opcional)").fill("m1x-9abc-def0")
    page.get_by_role("button", name="Contar mi comentario").click()
    page.wait_for_url("**/comment/submitted/thanks/")
    record = SubmissionRecord.objects.get()
    assert (record.role, record.state, record.language) == ("site_lead", "AZ", "es")
    assert pages.console_errors == []


def test_social_post_copy_button(comment_site, pages):
    page = pages.open(viewport=DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(comment_site.url + "/toolkit/")
    page.get_by_role("button", name="Copy post").first.click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    assert "#OSTworkforce" in page.evaluate("navigator.clipboard.readText()")


def test_an_edited_draft_is_not_lost_to_the_language_switcher(comment_site, pages):
    """Switching language on the draft page reloaded an empty builder: the edited draft,
    never stored, was gone. The switcher now sends the draft itself: the page comes back in
    Spanish with the edit, without a question; leaving by a link with an unsent edit asks."""
    page = pages.open(viewport=PHONE)
    page.goto(comment_site.url + "/comment/")
    page.get_by_label("Which best describes your main role?").select_option("site_lead")
    page.get_by_label("Your job title", exact=True).fill("Site coordinator")
    page.get_by_label(Task.objects.get(code="T21").text_en).check()
    page.get_by_role("button", name="Make my draft").click()
    area = page.get_by_label("Your comment", exact=True)
    area.press("End")
    area.type(" MY OWN EDIT SENTENCE.")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert asked == []
    area = page.locator("textarea[name=text]")
    assert "MY OWN EDIT SENTENCE." in area.input_value()
    assert "Site coordinator" in area.input_value()
    # An unsent edit, then a link away: the browser asks, and the text stays.
    area.press("End")
    area.type(" OTRA FRASE.")
    page.locator("header a").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert "OTRA FRASE." in area.input_value()
    page.remove_listener("dialog", stay)
    assert pages.console_errors == []
