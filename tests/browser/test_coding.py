"""A reviewer codes a passage of an answer and marks it as a quote, in a real browser; every
coding page passes axe-core."""

import pytest

from apps.accounts.roles import Role
from tests.factories import PASSWORD, make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = pytest.mark.browser

# An emoji (two UTF-16 units, one code point) and a CR LF before the passage: the offsets the
# page sends must still count code points of the stored text.
TEXT = "Hola 👋 niños.\r\nI plan the week with my team. <script>alert(1)</script>"
PASSAGE = "I plan the week with my team."


@pytest.fixture
def coding_site(site):
    from django.utils import timezone

    from apps.coding import services
    from apps.surveys.models import Answer, Question, Response, Survey
    from apps.surveys.seeding import seed_survey
    from devtools.synthetic import synthetic_responses_generate

    seed_survey()
    survey = Survey.objects.get(slug="ost-roles-duties")
    synthetic_responses_generate(survey=survey, count=30, seed=7)
    editor = make_user(Role.EDITOR)
    planning = services.code_create(
        by=editor, name_en="Planning", description_en="Planning activities and schedules."
    )
    services.code_create(by=editor, name_en="Weekly plans", parent=planning)
    services.code_create(by=editor, name_en="Families")
    version = survey.versions.get()
    response = Response.objects.create(
        version=version,
        status=Response.Status.COMPLETE,
        language="en",
        submitted_at=timezone.now(),
        setting="camp",
        quote_consent="anonymous",
    )
    answer = Answer.objects.create(
        response=response,
        question=Question.objects.get(version=version, key="describe_work"),
        text_value=TEXT,
    )
    # A second reviewer's codes, so the reports have something to show.
    other = make_user(Role.REVIEWER)
    for a in Answer.objects.filter(question__key="describe_work").exclude(text_value="")[:12]:
        services.application_add(answer_id=a.pk, code_id=planning.pk, coder=other)
        services.application_add(answer_id=a.pk, code_id=planning.pk, coder=editor)
    return {"site": site, "answer": answer, "editor": editor}


def _sign_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def _select(page, passage):
    """Select the passage in the answer as a user would by dragging over it."""
    page.evaluate(
        """(passage) => {
          const box = document.getElementById("answer-text");
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.data.indexOf(passage);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + passage.length);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              return;
            }
          }
          throw new Error("passage not found");
        }""",
        passage,
    )


def test_a_reviewer_codes_a_passage_and_marks_a_quote(coding_site, pages):
    from apps.coding.models import CodeApplication, Quote
    from apps.coding.selectors import usable_quotes

    base, answer = coding_site["site"].url, coding_site["answer"]
    reviewer = make_user(Role.REVIEWER)
    page = pages.open()
    _sign_in(page, base, reviewer)
    page.get_by_role("link", name="Open coding").click()
    page.wait_for_url("**/staff/coding/")
    page.get_by_label("Search the text").fill("plan the week")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Code this answer").first.click()
    page.wait_for_url(f"**/staff/coding/answers/{answer.pk}/**")
    assert "<script>alert(1)</script>" in page.locator("#answer-text").inner_text()

    _select(page, PASSAGE)
    start = TEXT.index(PASSAGE)
    end = start + len(PASSAGE)
    page.wait_for_function(f"document.getElementById('id_start').value === '{start}'")
    assert page.get_by_label("To character").first.input_value() == str(end)
    assert PASSAGE in page.locator("#span-preview").inner_text()
    page.locator("#id_code").select_option(label="Planning › Weekly plans")
    page.get_by_role("button", name="Apply code").click()
    page.wait_for_selector("text=Code applied.")
    app = CodeApplication.objects.get(coder=reviewer)
    assert (app.start, app.end) == (start, end)
    assert TEXT[app.start : app.end] == PASSAGE
    assert app.code.name_en == "Weekly plans"
    assert page.locator("#answer-text mark").inner_text() == PASSAGE
    assert_no_axe_violations(page)

    _select(page, PASSAGE)
    page.wait_for_function(f"document.getElementById('id_quote-start').value === '{start}'")
    page.get_by_label("Note (why this quote)").fill("Shows weekly planning.")
    page.get_by_role("button", name="Mark as candidate quote").click()
    page.wait_for_selector("text=Marked as a candidate quote.")
    quote = Quote.objects.get()
    assert quote.text == PASSAGE and quote.created_by == reviewer
    (usable,) = usable_quotes(public=True)
    assert usable.text == PASSAGE and usable.setting_label == "Camp"

    # Keyboard fallback: choose a sentence instead of selecting with the mouse.
    page.locator("#id_code").select_option(label="Families")
    page.get_by_label("A passage").check()
    page.locator("#id_sentence").select_option(index=1)
    page.get_by_role("button", name="Apply code").click()
    page.wait_for_selector("text=Code applied.")
    families = CodeApplication.objects.get(coder=reviewer, code__name_en="Families")
    assert TEXT[families.start : families.end] == "Hola 👋 niños."
    # Applying a code marks the answer as coded by this reviewer (it counts for agreement).
    assert page.get_by_text("Coded by you").is_visible()
    assert not pages.console_errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_coding_page_passes_axe(coding_site, pages, viewport):
    base, answer = coding_site["site"].url, coding_site["answer"]
    page = pages.open(viewport=viewport)
    _sign_in(page, base, coding_site["editor"])
    from apps.coding.models import Code

    code = Code.objects.get(name_en="Families")
    for url in [
        "/staff/",
        "/staff/coding/",
        f"/staff/coding/answers/{answer.pk}/",
        "/staff/coding/codebook/",
        f"/staff/coding/codebook/{code.pk}/",
        "/staff/coding/agreement/",
        "/staff/coding/frequencies/",
        "/staff/coding/codes-together/",
        "/staff/coding/quotes/",
    ]:
        page.goto(base + url)
        assert page.locator("h1").count() == 1, url
        assert_no_axe_violations(page)
    # Error states too: an empty code name and a span out of range.
    page.goto(base + "/staff/coding/codebook/")
    page.get_by_role("button", name="Add code").click()
    assert page.locator(".invalid-feedback").count() >= 1
    assert_no_axe_violations(page)
    page.goto(base + f"/staff/coding/answers/{answer.pk}/")
    page.locator("#id_code").select_option(label="Families")
    page.get_by_label("A passage").check()
    page.locator("#id_start").fill("0")
    page.locator("#id_end").fill("9999")
    page.get_by_role("button", name="Apply code").click()
    assert page.get_by_text("The passage must lie within the answer").count() >= 1
    assert page.locator("#id_end").input_value() == "9999"  # nothing typed is lost
    assert_no_axe_violations(page)
    # The refused forms answer 400 on purpose; anything else (a CSP violation) is an error.
    assert not [e for e in pages.console_errors if "status of 400" not in e]
