"""Duties in two passes in a real browser (Chromium, 390 px): without JavaScript, with the
keyboard alone, errors that clear as they are fixed, and axe on every new state in English and
Spanish."""

import math
import re

import pytest

from apps.surveys.models import Response, Task, TaskRating

from .conftest import PHONE, assert_no_axe_violations
from .survey_filler import check_tasks_on, fill_page, rate_checked_on

pytestmark = pytest.mark.browser

SURVEY_URL = "/survey/ost-roles-duties/"


def _to_duties(page, base_url, lang="en", role="frontline"):
    page.goto(f"{base_url}{SURVEY_URL}?lang={lang}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/page/eligibility/")
    for _ in range(8):
        if "/page/duties/" in page.url:
            return
        fill_page(page, choices={"role": role})
        page.locator("button[name=action][value=next]").click()
        page.wait_for_load_state()
    raise AssertionError(f"never reached the duties page: {page.url}")


def _next(page):
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()


def test_two_pass_duties_work_without_javascript(survey_site, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _to_duties(page, survey_site.url)
        assert "step=0" in page.url
        question = page.locator("[data-question=duties]")
        assert page.locator("select").count() == 0
        checked = check_tasks_on(question, share=0.5)
        _next(page)
        assert page.url.endswith("?step=1")
        # Only the checked tasks, as plain radio groups, split evenly (10 -> 5 and 5).
        screens = math.ceil(checked / 8)
        assert page.locator(".seg-scale").count() == 2 * math.ceil(checked / screens)
        for step in (1, 2, 3):
            rate_checked_on(page.locator("[data-question=duties]"))
            _next(page)
            if "step=" not in page.url:
                break
            assert page.url.endswith(f"?step={step + 1}")
        assert page.url.endswith("/page/crosswalk/")
        response = Response.objects.get()
        rated = TaskRating.objects.filter(response=response, is_relevant=True)
        assert rated.count() == checked
        assert {(r.importance, r.frequency) for r in rated} == {(4, 5)}
        assert TaskRating.objects.filter(response=response, is_relevant=False).exists()
    finally:
        context.close()


def test_a_segmented_scale_is_one_tab_stop_with_arrow_keys(survey_site, pages):
    page = pages.open(viewport=PHONE)
    _to_duties(page, survey_site.url)
    check_tasks_on(page.locator("[data-question=duties]"), share=0.2)
    _next(page)
    first = page.locator(".seg-scale").first
    imp_name = first.locator("input").first.get_attribute("name")
    freq_name = page.locator(".seg-scale").nth(1).locator("input").first.get_attribute("name")
    page.locator("#main").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == imp_name:
            break
    else:
        raise AssertionError("Tab never reached the first scale")
    page.keyboard.press("Space")  # nothing chosen yet: Space chooses the focused 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator(f"input[name={imp_name}]:checked").get_attribute("value") == "3"
    # The focus ring shows on the segment the radio stands for.
    outline = page.evaluate(
        "(name) => getComputedStyle("
        "document.querySelector(`input[name=${name}]:checked + label`)).outlineStyle",
        imp_name,
    )
    assert outline == "solid"
    page.keyboard.press("Tab")  # one stop per scale: straight to the frequency scale
    assert page.evaluate("document.activeElement.name") == freq_name
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == imp_name
    page.keyboard.press("ArrowLeft")
    assert page.locator(f"input[name={imp_name}]:checked").get_attribute("value") == "2"


def test_errors_clear_as_they_are_fixed_and_summary_links_work(survey_site, pages):
    page = pages.open(viewport=PHONE)
    _to_duties(page, survey_site.url)
    check_tasks_on(page.locator("[data-question=duties]"), share=0.2)
    _next(page)
    _next(page)  # nothing rated
    summary = page.locator("#error-summary")
    links = summary.locator("a")
    count = links.count()
    assert count == page.locator(".seg-scale").count() >= 2
    for i in range(count):
        target = links.nth(i).get_attribute("href")[1:]
        assert page.locator(f"[id='{target}']").count() == 1, target
    # A summary link puts the focus in its scale.
    first_target = links.first.get_attribute("href")[1:]
    links.first.click()
    assert page.evaluate(
        "(id) => document.getElementById(id).contains(document.activeElement)", first_target
    )
    # Answering the scale clears its error, its aria-invalid and its line in the summary.
    scale = page.locator(f"[id='{first_target}']")
    assert scale.get_attribute("aria-invalid") == "true"
    radio = scale.locator("input[value='3']")
    scale.locator(f"label[for='{radio.get_attribute('id')}']").click()
    assert scale.get_attribute("aria-invalid") is None
    assert not scale.locator(".invalid-feedback").is_visible()
    assert links.count() == count - 1
    rate_checked_on(page.locator("[data-question=duties]"))
    assert not summary.is_visible()
    assert_no_axe_violations(page)


def test_a_number_error_clears_once_the_number_reads_right(survey_site, pages):
    page = pages.open(viewport=PHONE)
    page.goto(f"{survey_site.url}{SURVEY_URL}?lang=es")
    page.locator("form button[type=submit]").last.click()
    for _ in range(6):
        if "/page/hours_pay/" in page.url:
            break
        fill_page(page)
        _next(page)
    fill_page(page, numbers={"hours_per_week": "muchas"})
    _next(page)
    field = page.locator("#field-hours_per_week")
    assert field.get_attribute("aria-invalid") == "true"
    message = page.locator("#err-hours_per_week").inner_text()
    assert re.search(r"Escriba un número de \d+ a \d+, por ejemplo \d+\.", message)
    assert page.locator("#error-summary a[href='#field-hours_per_week']").count() == 1
    field.fill("999")  # out of range: the error stays
    assert page.locator("#err-hours_per_week").is_visible()
    field.fill("22,5")  # Spanish decimal comma
    assert not page.locator("#err-hours_per_week").is_visible()
    assert field.get_attribute("aria-invalid") is None
    assert_no_axe_violations(page)
    _next(page)
    assert "/page/hours_pay/" not in page.url


@pytest.mark.parametrize("lang", ["en", "es"])
def test_axe_finds_nothing_on_the_new_duties_states(survey_site, pages, lang):
    page = pages.open(viewport=PHONE)
    _to_duties(page, survey_site.url, lang=lang, role="site_lead")
    assert_no_axe_violations(page)  # the checklist
    page.locator("details.write-ins > summary").click()
    page.locator("[name=write_in_1]").wait_for()
    assert_no_axe_violations(page)  # the write-in tasks unfolded
    _next(page)  # nothing checked: the checklist's error
    assert page.locator("#error-summary a[href='#field-duties']").count() == 1
    assert_no_axe_violations(page)
    check_tasks_on(page.locator("[data-question=duties]"))
    _next(page)
    # A rating screen: each task headed by its short label, in the page's language.
    labels = page.locator(".task-rate details.task-label > summary")
    assert labels.count() == page.locator(".task-rate").count() > 0
    first = Task.objects.get(code=page.locator(".task-rate").first.get_attribute("id")[5:])
    assert labels.first.inner_text().strip() == (first.label_es if lang == "es" else first.label_en)
    assert_no_axe_violations(page)  # a rating screen
    labels.first.click()
    assert page.locator(".task-rate .task-full").first.is_visible()
    assert_no_axe_violations(page)  # a full statement unfolded
    _next(page)  # nothing rated: one error per scale
    assert page.locator("#error-summary li").count() == page.locator(".seg-scale").count()
    assert_no_axe_violations(page)
    page.locator("#error-summary a").first.click()
    rate_checked_on(page.locator("[data-question=duties]"))
    assert_no_axe_violations(page)  # errors cleared by the script
    # The ZIP3 cross-check message and the states in the page's language.
    for _ in range(6):
        if "/page/demographics/" in page.url:
            break
        fill_page(page)
        _next(page)
    page.locator("select[name=state_zip__state]").select_option("TX")
    page.locator("input[name=state_zip__zip3]").fill("941")
    _next(page)
    expected = (
        "están en California, no en Texas" if lang == "es" else "are in California, not Texas"
    )
    assert expected in page.locator("#err-state_zip__zip3").inner_text()
    assert_no_axe_violations(page)


def test_a_task_label_opens_its_full_statement_by_keyboard_and_describes_its_scales(
    survey_site, pages
):
    page = pages.open(viewport=PHONE)
    _to_duties(page, survey_site.url, role="site_lead")
    check_tasks_on(page.locator("[data-question=duties]"), share=0.2)
    _next(page)
    row = page.locator(".task-rate").first
    task = Task.objects.get(code=row.get_attribute("id")[5:])
    summary = row.locator("details.task-label > summary")
    full = row.locator(".task-full")
    assert summary.inner_text().strip() == task.label_en
    assert not full.is_visible()  # folded: the label is what is read
    box = summary.bounding_box()
    assert box["height"] >= 44  # one tap target
    # Keyboard: the label is one stop before its two scales; Enter shows the statement.
    imp = row.locator(".seg-imp input").first.get_attribute("name")
    freq = row.locator(".seg-freq input").first.get_attribute("name")
    page.locator("#main").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        raise AssertionError("Tab never reached the task's label")
    assert page.evaluate("document.activeElement.id") == f"label-{task.code}"
    page.keyboard.press("Enter")
    assert full.is_visible()
    assert full.inner_text().strip() == task.text_en
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == imp
    page.keyboard.press("Tab")  # still one stop per scale
    assert page.evaluate("document.activeElement.name") == freq
    # Each scale is described by the full statement (what screen readers hear with it).
    for name in (imp, freq):
        described = page.evaluate(
            """(name) => {
              const group = document.querySelector(`input[name=${name}]`).closest('fieldset');
              return group.getAttribute('aria-describedby').split(' ')
                .map(id => document.getElementById(id).textContent.trim()).join(' ');
            }""",
            name,
        )
        assert described == task.text_en
    # Without a label the statement itself heads the task (no fold).
    Task.objects.filter(code=task.code).update(label_en="")
    page.reload()
    assert row.locator("details").count() == 0
    assert row.locator(".task-text").inner_text().strip() == task.text_en
