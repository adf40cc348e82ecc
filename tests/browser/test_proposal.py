"""An editor builds the proposal from evidence, saves a version, exports it and publishes it;
a member of the public comments on a section; every page passes axe-core."""

import re

import docx
import pytest

from apps.accounts.roles import Role
from apps.proposals.models import EvidenceBlock, ProposalComment, ProposalVersion
from tests.factories import PASSWORD, make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def data_site(site, settings, tmp_path):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey
    from devtools.synthetic import synthetic_responses_generate

    settings.EXPORTS_DIR = tmp_path / "exports"
    seed_survey()
    synthetic_responses_generate(
        survey=Survey.objects.get(slug="ost-roles-duties"), count=60, seed=11
    )
    return site


def _sign_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def test_editor_builds_versions_exports_and_the_public_comments(data_site, pages, tmp_path):
    base = data_site.url
    editor = make_user(Role.EDITOR)
    page = pages.open(viewport=DESKTOP)
    _sign_in(page, base, editor)
    page.get_by_role("link", name="Open the proposal workspace").click()
    page.wait_for_url("**/staff/proposal/")
    assert_no_axe_violations(page)

    # Evidence into the tasks section, then text.
    page.get_by_role("link", name="Nature of the work and tasks").click()
    page.get_by_text("Insert evidence from the data").click()
    assert_no_axe_violations(page)
    page.get_by_label("Evidence to insert").select_option("tasks")
    page.get_by_label("How many rows (tasks or job titles)").fill("8")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.wait_for_selector("text=The evidence is inserted with the current figures.")
    assert page.locator("#evidence table").count() == 1
    page.get_by_label("Text (Markdown)").fill("Practitioners rated **48 tasks**.")
    page.get_by_role("button", name="Save section").click()
    page.wait_for_selector("text=The section is saved.")
    assert page.locator(".page-body strong").inner_text() == "48 tasks"
    assert_no_axe_violations(page)
    block = EvidenceBlock.objects.get(section__key="tasks")
    assert len(block.snapshot["tables"][0]["rows"]) == 8

    # The definition from the draft sentence.
    page.goto(base + "/staff/proposal/section/definition/")
    assert_no_axe_violations(page)
    if page.get_by_role("link", name="Put this draft into the text box").count():
        page.get_by_role("link", name="Put this draft into the text box").click()
        assert page.get_by_label("Text (Markdown)").input_value()
    else:
        page.get_by_label("Text (Markdown)").fill("Plan and lead activities for youth.")
    page.get_by_role("button", name="Save section").click()
    page.wait_for_selector("text=The section is saved.")

    # Title page details, then two versions and their comparison.
    page.goto(base + "/staff/proposal/settings/")
    assert_no_axe_violations(page)
    page.get_by_label("Docket ID").fill("BLS-2026-0001")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/staff/proposal/")
    page.goto(base + "/staff/proposal/versions/")
    assert_no_axe_violations(page)
    page.get_by_label("What changed (optional)").fill("First full draft")
    page.get_by_role("button", name="Save a version").click()
    page.wait_for_url("**/staff/proposal/versions/1/")
    assert_no_axe_violations(page)
    page.goto(base + "/staff/proposal/section/tasks/")
    page.get_by_label("Text (Markdown)").fill("Practitioners rated **48 tasks** in 2026.")
    page.get_by_role("button", name="Save section").click()
    page.wait_for_selector("text=The section is saved.")
    page.goto(base + "/staff/proposal/versions/")
    page.get_by_role("button", name="Save a version").click()
    page.wait_for_url("**/staff/proposal/versions/2/")
    page.goto(base + "/staff/proposal/versions/compare/?old=1&new=2")
    assert "2026." in page.locator("ins").first.inner_text()
    assert_no_axe_violations(page)

    # Export version 2 as DOCX: the job page shows progress, then the download.
    page.goto(base + "/staff/proposal/versions/2/")
    page.get_by_label("Word document (.docx)").check()
    page.get_by_role("button", name="Export the document").click()
    page.wait_for_url("**/staff/proposal/exports/*/")
    link = page.get_by_role("link", name="Download")
    link.wait_for()
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "proposal.docx"
    download_info.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "BLS-2026-0001" in text and "Nature of the work and tasks" in text

    # Publish version 2.
    page.goto(base + "/staff/proposal/versions/2/")
    page.get_by_role("button", name="Publish for public comment").click()
    page.wait_for_selector("text=Version 2 is published for comment.")
    assert ProposalVersion.objects.get(number=2).status == "published"

    # A member of the public reads the draft on a phone and comments on a section.
    public = pages.open(viewport=PHONE)
    public.goto(base + "/proposal/draft/")
    public.wait_for_url("**/proposal/draft/2/")
    assert_no_axe_violations(public)
    public.get_by_role("link", name=re.compile(r"Comment on this section\W+Definition")).click()
    assert_no_axe_violations(public)
    public.get_by_label("Your role").select_option("frontline")
    public.get_by_label("State where you work").select_option("NM")
    public.get_by_label("Your comment on this section").fill(
        "Please mention summer camps in the definition."
    )
    public.get_by_role("button", name="Send comment").click()
    public.wait_for_url("**/thanks/")
    assert_no_axe_violations(public)
    assert ProposalComment.objects.get().status == "pending"

    # The editor approves it and responds; the public page shows the response and the tally.
    page.goto(base + "/staff/proposal/comments/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=The comment is approved.")
    page.get_by_label("Adopted", exact=True).check()
    page.get_by_label("Reason (shown with the comment)").fill("Added to the definition.")
    page.get_by_role("button", name="Record the response").click()
    page.wait_for_selector("text=The response is recorded.")
    assert_no_axe_violations(page)
    public.goto(base + "/proposal/draft/2/")
    body = public.content()
    assert "Please mention summer camps" in body and "Added to the definition." in body
    assert "Adopted: 1" in body
    assert_no_axe_violations(public)
    assert not pages.console_errors


def test_public_draft_pages_pass_axe_in_spanish_and_closed(data_site, pages):
    from apps.proposals import services
    from apps.proposals.selectors import proposal_current

    editor = make_user(Role.EDITOR)
    version = services.version_save(proposal=proposal_current(), note="", by=editor)
    page = pages.open(viewport=PHONE, locale="es-ES")
    page.goto(data_site.url + "/proposal/draft/")
    assert "aún no se ha publicado" in page.content()  # no draft published yet
    assert_no_axe_violations(page)
    services.version_publish(version=version, by=editor)
    page.goto(data_site.url + f"/proposal/draft/{version.number}/")
    assert "Borrador de la propuesta" in page.content()
    assert_no_axe_violations(page)
    page.goto(data_site.url + f"/proposal/draft/{version.number}/comment/tasks/")
    page.get_by_role("button", name="Enviar comentario").click()  # empty: errors shown (400)
    assert page.locator("#form-errors").count() == 1
    assert_no_axe_violations(page)
    assert all("400 (Bad Request)" in e for e in pages.console_errors)
