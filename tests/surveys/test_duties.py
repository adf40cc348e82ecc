"""Duties in two passes (checklist, then one-tap scales for checked tasks), planned
missingness, errors that help, numbers as people type them, state/ZIP3, honest time."""

import random
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from apps.surveys import duties
from apps.surveys.forms import normalize_number
from apps.surveys.models import Response, SurveyVersion, Task, TaskRating
from apps.surveys.qtypes import qtype
from apps.surveys.qtypes.fields import as_typed
from apps.surveys.sample import sample_page_data
from apps.surveys.selectors import tasks_for_role, version_structure
from apps.surveys.services import first_unanswered_page

from .helpers import page_url, start, to_duties

pytestmark = pytest.mark.django_db


def _to_duties(client, survey, role="site_lead"):
    response = to_duties(client, survey, role)
    role_tasks, _others = tasks_for_role(role)
    return response, version_structure(response.version), role_tasks


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def _summary_anchors(html: str) -> list[str]:
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def _rate_all(client, response, tasks, step_url, importance="4", frequency="5"):
    data = {"action": "next"}
    for t in tasks:
        data[f"task_{t.code}_imp"] = importance
        data[f"task_{t.code}_freq"] = frequency
    return client.post(step_url, data)


@pytest.mark.parametrize(
    "language, heading",
    [("en", "Rating task 1 of 1"), ("es", "Calificación de la tarea 1 de 1")],
)
def test_one_checked_task_is_rated_under_a_heading_for_one(client, survey, language, heading):
    """With one task checked the heading read "Rating tasks 1–1 of 1" ("Calificando las
    tareas 1–1 de 1"): it now speaks of the one task."""
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    client.post(url, {"action": "next", "duties": [role_tasks[0].code]})
    page = client.get(f"{url}?step=1", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    if language == "es":
        client.cookies["django_language"] = "es"
        page = client.get(f"{url}?step=1&lang=es").content.decode()
    assert heading in page
    assert "1–1" not in page


def test_two_passes_checklist_then_scales_for_checked_tasks_only(client, survey):
    response, structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    html = client.get(url).content.decode()
    # Pass one: one checkbox per role task, no rating scales and no selects.
    assert html.count('type="checkbox" name="duties"') == len(Task.objects.filter(is_active=True))
    assert "Which of these are part of your job?" in html
    assert "<select" not in html
    checked = role_tasks[: round(len(role_tasks) * 2 / 3)]
    data = {"action": "next", "duties": [t.code for t in checked], "write_in_1": "Drive the van"}
    reply = client.post(url + "?step=0", data)
    assert reply.status_code == 302 and reply.url.endswith("?step=1")
    # Every role task has its relevance; checked ones are waiting for their ratings.
    rows = {r.task.code: r for r in TaskRating.objects.filter(response=response)}
    assert {c for c, r in rows.items() if r.is_relevant} == {t.code for t in checked}
    assert {c for c, r in rows.items() if not r.is_relevant} == {
        t.code for t in role_tasks if t not in checked
    }
    assert all(r.importance is None for r in rows.values())
    # Until the ratings are done the response is not complete, and resuming returns here.
    assert first_unanswered_page(structure, response).key == "duties"
    response.refresh_from_db()
    assert response.last_page_key == "education_career"
    assert client.get(url).url.endswith("?step=1")

    step = 1
    seen = []
    while True:
        page = client.get(f"{url}?step={step}").content.decode()
        codes = re.findall(r'name="task_(\w+)_imp" id=', page)
        codes = list(dict.fromkeys(codes))
        assert 0 < len(codes) <= duties.TASKS_PER_SCREEN
        assert set(codes) <= {t.code for t in checked}
        assert "<select" not in page
        # One-tap segmented scales: 5 importance and 7 frequency radios per task.
        assert page.count(f'name="task_{codes[0]}_imp"') == 5
        assert page.count(f'name="task_{codes[0]}_freq"') == 7
        assert f"Rating tasks {len(seen) + 1}–{len(seen) + len(codes)} of {len(checked)}" in page
        seen += codes
        reply = _rate_all(
            client, response, [t for t in checked if t.code in codes], f"{url}?step={step}"
        )
        assert reply.status_code == 302
        if "?step=" not in reply.url:
            break
        step += 1
    assert sorted(seen) == sorted(t.code for t in checked)
    assert reply.url.endswith("/page/crosswalk/")
    assert step == 2  # 15 checked tasks: two screens of 8 and 7
    rows = TaskRating.objects.filter(response=response, is_relevant=True)
    assert {(r.importance, r.frequency) for r in rows} == {(4, 5)}
    assert first_unanswered_page(structure, response).key != "duties"
    response.refresh_from_db()
    assert response.last_page_key == "duties"
    # The write-in was kept through the rating screens.
    assert response.answers.filter(question__key="write_in_1", text_value="Drive the van").exists()


def test_back_goes_step_by_step_and_keeps_ratings(client, survey):
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    checked = role_tasks[:10]
    client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in checked]})
    _rate_all(client, response, checked[:5], url + "?step=1")
    reply = client.post(url + "?step=2", {"action": "back"})
    assert reply.url.endswith("?step=1")
    reply = client.post(url + "?step=1", {"action": "back"})
    assert reply.url.endswith("?step=0")
    # Unchecking one task and checking another keeps the other ratings.
    kept = checked[1:] + [role_tasks[10]]
    client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in kept]})
    ratings = {r.task_id: r for r in TaskRating.objects.filter(response=response)}
    assert ratings[checked[0].pk].is_relevant is False and ratings[checked[0].pk].importance is None
    assert ratings[checked[1].pk].importance == 4
    assert ratings[role_tasks[10].pk].is_relevant and ratings[role_tasks[10].pk].importance is None
    # From the next page, Back lands on the last rating screen.
    _rate_all(client, response, kept, url + "?step=1")
    _rate_all(client, response, kept, url + "?step=2")
    reply = client.post(page_url(response, "crosswalk"), {"action": "back"})
    assert reply.url.endswith("/page/duties/?step=last")
    assert client.get(reply.url).status_code == 200


def test_no_javascript_needed_every_step_is_a_plain_form(client, survey):
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    html = client.get(url + "?step=0").content.decode()
    assert re.search(r'<form method="post"[^>]*class="survey-form"', html)
    client.post(url + "?step=0", {"action": "next", "duties": [role_tasks[0].code]})
    html = client.get(url + "?step=1").content.decode()
    assert 'type="radio" name="task_' in html
    assert 'name="action" value="next"' in html


def test_errors_list_each_field_with_working_anchors(client, survey):
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    reply = client.post(url + "?step=0", {"action": "next"})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "Please check at least one task that is part of your job." in html
    anchors = _summary_anchors(html)
    assert anchors == ["field-duties"] and set(anchors) <= _ids(html)

    client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in role_tasks[:3]]})
    data = {f"task_{role_tasks[0].code}_imp": "3", f"task_{role_tasks[1].code}_freq": "2"}
    reply = client.post(url + "?step=1", {"action": "next", **data})
    assert reply.status_code == 400
    html = reply.content.decode()
    anchors = _summary_anchors(html)
    # One line per missing scale: T0 frequency, T1 importance, T2 both.
    assert len(anchors) == 4 and set(anchors) <= _ids(html)
    assert "Please choose how often you do this task." in html
    assert "Please choose how important this task is." in html
    # The summary names each rating card as the card is titled: by its short label.
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert role_tasks[0].rating_label() in summary
    assert role_tasks[0].rating_label() != role_tasks[0].text_en
    assert role_tasks[0].text_en[:40] not in summary
    # The radio groups say they are invalid and point at their message.
    fieldset = re.search(rf'<fieldset[^>]*id="field-task_{role_tasks[2].code}_imp"[^>]*>', html)
    assert 'aria-invalid="true"' in fieldset.group(0)
    assert f"err-task_{role_tasks[2].code}_imp" in fieldset.group(0)
    # What was chosen stays chosen.
    assert re.search(rf'name="task_{role_tasks[0].code}_imp" [^>]*value="3" checked', html)


def test_error_summary_anchors_exist_on_every_page_type(client, survey):
    """Every link of the error summary points at an element on the page (no dead anchors)."""
    response = start(client, survey)
    structure = version_structure(response.version)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    for key in ["role", "time_use", "setting", "hours_pay", "education_career"]:
        reply = client.post(page_url(response, key), {"action": "next", "hours_per_week": "x"})
        assert reply.status_code == 400, key
        html = reply.content.decode()
        anchors = _summary_anchors(html)
        assert anchors, key
        assert set(anchors) <= _ids(html), (key, set(anchors) - _ids(html))
        client.post(page_url(response, key), sample_page_data(structure.page(key)))
    reply = client.post(
        page_url(response, "demographics"),
        {"action": "next", "state_zip__state": "CA", "state_zip__zip3": "12"},
    )
    html = reply.content.decode()
    assert set(_summary_anchors(html)) == {"field-state_zip__zip3"} <= _ids(html)
    assert re.search(r"<select[^>]*aria-invalid", html) is None  # only the ZIP is wrong
    reply = client.post(
        page_url(response, "demographics"), {"action": "next", "state_zip__state": "ZZ"}
    )
    html = reply.content.decode()
    assert re.search(r'<select[^>]*id="field-state_zip__state"[^>]*aria-invalid="true"', html)
    assert re.search(r'<select[^>]*aria-describedby="err-state_zip__state"', html)


def test_tampered_steps_and_hidden_fields_get_a_clear_message_never_a_500(survey):
    cache.clear()
    client = Client(raise_request_exception=True)
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    # A rating screen before the checklist, or one past the end, or not a number.
    for bad in ["1", "99", "-1", "x", "1e3", "0001"]:
        reply = client.get(f"{url}?step={bad}", follow=True)
        assert reply.status_code == 200, bad
        assert "That part of the duties section is not on your path" in reply.content.decode()
    reply = client.post(f"{url}?step=7", {"action": "next"})
    assert reply.status_code == 302 and reply.url.endswith("?step=0")
    # A task code that is not on the list.
    reply = client.post(url + "?step=0", {"action": "next", "duties": ["T01", "ZZZ"]})
    assert reply.status_code == 400
    assert "One of the tasks sent is not on this list." in reply.content.decode()
    # Rating a task that was not checked: not saved, and the respondent is told.
    checked, unchecked = role_tasks[:2], role_tasks[5]
    client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in checked]})
    data = {"action": "next", f"task_{unchecked.code}_imp": "5", f"task_{unchecked.code}_freq": "7"}
    for t in checked:
        data |= {f"task_{t.code}_imp": "2", f"task_{t.code}_freq": "3"}
    reply = client.post(url + "?step=1", data, follow=True)
    assert reply.status_code == 200
    told = "Ratings were sent for tasks you did not check or were not asked to rate"
    assert f"{told} ({unchecked.code})" in reply.content.decode()
    row = TaskRating.objects.get(response=response, task=unchecked)
    assert (row.is_relevant, row.importance, row.frequency) == (False, None, None)
    assert TaskRating.objects.filter(response=response, importance=2).count() == 2
    # Values off the scale.
    reply = client.post(
        url + "?step=1",
        {f"task_{checked[0].code}_imp": "9", f"task_{checked[0].code}_freq": "0"},
    )
    assert reply.status_code == 400
    assert "Please choose one of the options shown." in reply.content.decode()


def test_planned_missingness_assigns_a_balanced_subset(client, survey):
    version = survey.versions.get()
    SurveyVersion.objects.filter(pk=version.pk).update(max_rated_tasks=3)
    cache.clear()
    role_tasks = tasks_for_role("site_lead")[0]
    checked = role_tasks[:6]
    for _ in range(6):
        browser = Client()
        response, _structure, _tasks = _to_duties(browser, survey)
        url = page_url(response, "duties")
        browser.post(url + "?step=0", {"action": "next", "duties": [t.code for t in checked]})
        assigned = TaskRating.objects.filter(response=response, is_assigned=True)
        assert assigned.count() == 3
        assert TaskRating.objects.filter(response=response, is_relevant=True).count() == 6
        html = browser.get(url + "?step=1").content.decode()
        on_screen = set(re.findall(r'name="task_(\w+)_imp" id=', html))
        assert on_screen == {r.task.code for r in assigned}
        reply = _rate_all(browser, response, [r.task for r in assigned], url + "?step=1")
        assert reply.url.endswith("/page/crosswalk/")
        structure = version_structure(response.version)
        assert first_unanswered_page(structure, response).key != "duties"
    counts = [
        TaskRating.objects.filter(task=t, is_assigned=True, is_relevant=True).count()
        for t in checked
    ]
    assert counts == [3] * 6  # 6 people x 3 ratings spread evenly over 6 tasks


def test_assignment_keeps_earlier_choices_and_fills_least_rated_first(survey):
    version = survey.versions.get()
    version.max_rated_tasks = 2
    tasks = list(Task.objects.order_by("order")[:4])
    # Nobody rated anything yet: a kept task stays; the free place goes to any of the rest.
    got = duties.assign_for_rating(version, tasks, {tasks[3].pk}, rng=random.Random(1))
    assert tasks[3].pk in got and len(got) == 2
    # With ratings elsewhere, the least assigned task wins the free place.
    other = Response.objects.create(version=version, language="en")
    TaskRating.objects.bulk_create(
        [TaskRating(response=other, task=t, is_relevant=True) for t in tasks[:3] if t != tasks[1]]
    )
    for seed in range(5):
        got = duties.assign_for_rating(version, tasks[:3], set(), rng=random.Random(seed))
        assert tasks[1].pk in got
    version.max_rated_tasks = None
    assert duties.assign_for_rating(version, tasks, set()) == {t.pk for t in tasks}


def test_dashboard_figures_use_the_rated_n(survey, settings):
    from apps.insights.selectors import _task_stats

    settings.INSIGHTS_NOISE = False  # hand-worked figures, compared without the cell-key noise
    task = Task.objects.first()
    # 25 answered the checklist, 16 checked the task, 8 of them were asked to rate it.
    row = {"n": 25, "yes": 16, "imp_sum": 32, "imp_sq": 136}
    row |= {f"f{c}": 0 for c in range(1, 8)} | {"f4": 8}
    stats = _task_stats(task, row)
    assert stats.rated == 8 and stats.relevance_pct == 64
    assert stats.importance_mean == 4.0
    assert stats.frequency[3]["share"] == 100
    sd = ((136 - 8 * 16) / 7) ** 0.5
    assert stats.ci_high - stats.ci_low == pytest.approx(2 * 1.96 * sd / 8**0.5)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("$24.50", "24.50"),
        ("24,50", "24.50"),
        ("1,200", "1200"),
        ("1.200,50", "1200.50"),
        ("1,200.5", "1200.5"),
        (" 18 ", "18"),
        ("US$ 9,5", "9.5"),
        ("1,2,3", "123"),
        ("abc", "abc"),
    ],
)
def test_numbers_as_people_type_them(typed, expected):
    assert normalize_number(typed) == expected


@pytest.mark.parametrize(
    "value, step, shown",
    [
        ("24.50", "0.01", "24.50"),
        ("24.5", "0.01", "24.50"),
        ("24", "0.01", "24"),
        ("24.00", "0.01", "24"),
        ("37.5", "0.5", "37.5"),
        ("12", "1", "12"),
        ("3.25", None, "3.25"),
    ],
)
def test_a_number_is_shown_back_as_people_write_it(value, step, shown):
    assert as_typed(Decimal(value), Decimal(step) if step else None) == shown


def test_the_copy_of_the_answers_keeps_the_cents_of_an_hourly_rate(survey):
    """A stranger walk typed "$24.50" and found "24.5" in the copy of the answers."""
    version = SurveyVersion.objects.filter(survey=survey).first()
    question = version_structure(version).questions["hourly_rate"]
    number = qtype(question)

    class Row:
        number_value = Decimal("24.50")

    assert number.copy_text(question, Row(), {}) == "24.50"
    initial = {}
    number.initial(initial, question, Row(), {})
    assert initial == {"hourly_rate": "24.50"}


def test_number_refusal_says_the_form_with_an_example_in_both_languages(client, survey):
    response, structure, _tasks = _to_duties(client, survey)
    data = sample_page_data(structure.page("hours_pay")) | {"hourly_rate": "$24.50"}
    reply = client.post(page_url(response, "hours_pay"), data)
    assert reply.status_code == 302
    assert response.answers.get(question__key="hourly_rate").number_value == Decimal("24.50")
    data["hours_per_week"] = "lots"
    html = client.post(page_url(response, "hours_pay"), data).content.decode()
    assert re.search(r"Enter a number from \d+ to \d+, like \d+\.", html)
    client.cookies["django_language"] = "es"
    data["hours_per_week"] = "22,5"  # decimal comma
    data["hourly_rate"] = "abc"
    html = client.post(page_url(response, "hours_pay"), data).content.decode()
    assert re.search(r"Escriba un número de [\d.]+ a [\d.]+, por ejemplo [\d.]+\.", html)


def test_state_and_zip3_are_cross_checked_and_states_are_in_spanish(client, survey):
    response, structure, _tasks = _to_duties(client, survey)
    url = page_url(response, "demographics")
    data = {"action": "next", "state_zip__state": "TX", "state_zip__zip3": "941"}
    html = client.post(url, data).content.decode()
    assert "ZIP codes starting with 941 are in California, not Texas." in html
    assert client.post(url, data | {"state_zip__zip3": "787"}).status_code == 302
    assert client.post(url, data | {"state_zip__zip3": "090"}).status_code == 302  # military
    # Back never gets stuck on it.
    assert client.post(url, data | {"action": "back"}).status_code == 302
    client.cookies["django_language"] = "es"
    html = client.get(url).content.decode()
    assert ">Nueva York</option>" in html and ">Carolina del Norte</option>" in html
    html = client.post(url, data).content.decode()
    assert "están en California, no en Texas" in html


def test_choose_all_that_apply_is_printed_once(client, survey):
    response, _structure, _tasks = _to_duties(client, survey)
    html = client.get(page_url(response, "setting")).content.decode()
    for block in html.split('class="survey-question')[1:]:
        assert block.count("Choose all that apply.") <= 1
    assert "Choose all that apply." in html


def test_time_left_follows_the_path_and_real_medians(client, survey):
    from apps.surveys.stated_time import survey_minutes

    response, structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")

    def minutes_left(html):
        return int(re.search(r"about (\d+) minutes? left", html).group(1))

    before = minutes_left(client.get(url + "?step=0").content.decode())
    client.post(url + "?step=0", {"action": "next", "duties": [role_tasks[0].code]})
    after = minutes_left(client.get(url + "?step=1").content.decode())
    assert after < before  # one task to rate instead of two thirds of 22
    # With 30 real completions the landing page states their median.
    cache.clear()
    version = survey.versions.get()
    Response.objects.bulk_create(
        Response(
            version=version,
            language="en",
            status=Response.Status.COMPLETE,
            duration_seconds=seconds,
        )
        for seconds in [540 + 2 * i for i in range(31)]
    )
    assert survey_minutes(structure) == 10  # median 570 s
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "About 10 minutes" in html


def test_the_task_bank_is_in_american_spelling(survey):
    british = re.compile(
        r"\b(practise|behaviour|authoris\w*|recognis\w*|analys(e|ed|ing)|counselling|"
        r"organis\w*|colour|centre|programme|favour\w*|enrolment|licence)\b",
        re.IGNORECASE,
    )
    tasks = list(Task.objects.all())
    assert len(tasks) == 40
    assert [t.code for t in tasks if british.search(t.text_en)] == []
    # The Spanish statements are there too.
    assert all(t.text_es for t in tasks)


def test_staff_set_the_cap_per_version_in_the_admin_and_copies_keep_it(
    client, survey, administrator
):
    from django.urls import reverse

    from apps.surveys.versioning import version_copy_as_draft

    version = survey.versions.get()
    client.force_login(administrator)
    url = reverse("admin:surveys_surveyversion_change", args=[version.pk])
    html = client.get(url).content.decode()
    assert 'name="max_rated_tasks"' in html
    assert version.max_rated_tasks is None  # off by default
    SurveyVersion.objects.filter(pk=version.pk).update(max_rated_tasks=8)
    version.refresh_from_db()
    draft = version_copy_as_draft(version=version, by=administrator)
    assert draft.max_rated_tasks == 8


def test_write_in_tasks_are_asked_once_folded_under_the_checklist(client, survey):
    """Asked on the checklist only (not again on every rating screen, where what was typed
    was not even kept), folded until one is typed, and saved."""
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    html = client.get(url + "?step=0").content.decode()
    fold = html.split('class="more-tasks write-ins', 1)[1].split("</details>", 1)[0]
    assert 'name="write_in_1"' in fold and 'name="write_in_3"' in fold
    assert fold.startswith(' mt-3">')  # closed: nothing typed yet
    data = {"action": "next", "duties": [role_tasks[0].code], "write_in_2": "Drive the van"}
    assert client.post(url + "?step=0", data).status_code == 302
    step_one = client.get(url + "?step=1").content.decode()
    assert 'name="write_in_' not in step_one
    assert response.answers.filter(question__key="write_in_2", text_value="Drive the van").exists()
    again = client.get(url + "?step=0").content.decode()
    fold = again.split('class="more-tasks write-ins', 1)[1].split("</details>", 1)[0]
    assert fold.startswith(' mt-3" open>')  # open: it holds what was typed


def test_a_rating_row_shows_short_labels_and_keeps_the_full_question_for_screen_readers(
    client, survey
):
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    client.post(url + "?step=0", {"action": "next", "duties": [role_tasks[0].code]})
    html = client.get(url + "?step=1").content.decode()
    assert '<span class="seg-label" aria-hidden="true">Importance</span>' in html
    assert '<legend class="visually-hidden">Importance: how important is it to your job?' in html
    assert '<legend class="visually-hidden">How often do you do it?</legend>' in html
    client.cookies["django_language"] = "es"
    html = client.get(url + "?step=1").content.decode()
    assert '<span class="seg-label" aria-hidden="true">¿Cada cuánto?</span>' in html
    assert '<legend class="visually-hidden">¿Cada cuánto la hace?</legend>' in html


def test_years_with_the_employer_cannot_exceed_years_in_the_field(client, survey):
    response, structure, _tasks = _to_duties(client, survey)
    url = page_url(response, "education_career")
    data = sample_page_data(structure.page("education_career")) | {
        "years_in_field": "3",
        "years_with_employer": "12",
    }
    reply = client.post(url, data)
    assert reply.status_code == 400
    html = reply.content.decode()
    assert (
        "Years with your current employer can’t be more than your years in youth programs in "
        "all (3). Please check both numbers."
    ) in html
    assert 'href="#field-years_with_employer"' in html  # the error summary links to it
    stored = response.answers.filter(question__key="years_with_employer")
    assert 12 not in [a.number_value for a in stored]
    # Back never stops on it, and nothing typed is lost (kept as the page's draft).
    assert client.post(url, data | {"action": "back"}).status_code == 302
    client.cookies["django_language"] = "es"
    html = client.post(url, data).content.decode()
    assert "no pueden ser más que sus años en programas para jóvenes en total (3)" in html
    # Equal, or the employer's left blank: accepted.
    assert client.post(url, data | {"years_with_employer": "3"}).status_code == 302
    assert response.answers.get(question__key="years_with_employer").number_value == 3
    assert client.post(url, data | {"years_with_employer": ""}).status_code == 302
