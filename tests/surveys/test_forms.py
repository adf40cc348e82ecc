"""SurveyPageForm: every question type and rule, on a small survey built for the test."""

import pytest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.surveys.forms import SurveyPageForm
from apps.surveys.models import Survey, SurveyVersion, Task
from apps.surveys.seeding import build_version
from apps.surveys.selectors import version_structure

pytestmark = pytest.mark.django_db

CHOICES = [
    {"value": "a", "label_en": "A", "label_es": "A"},
    {"value": "b", "label_en": "B", "label_es": "B"},
    {"value": "other", "label_en": "Other", "label_es": "Otro", "is_other": True},
    {"value": "none", "label_en": "None", "label_es": "Ninguno", "is_exclusive": True},
]
SPEC = [
    {
        "key": "p1",
        "order": 10,
        "title_en": "P1",
        "title_es": "P1",
        "questions": [
            {
                "key": "short",
                "type": "short_text",
                "text_en": "S",
                "text_es": "S",
                "required": True,
            },
            {"key": "long", "type": "long_text", "text_en": "L", "text_es": "L"},
            {
                "key": "single",
                "type": "single_choice",
                "text_en": "C",
                "text_es": "C",
                "required": True,
                "choices": CHOICES,
            },
            {
                "key": "multi",
                "type": "multi_choice",
                "text_en": "M",
                "text_es": "M",
                "choices": CHOICES,
            },
            {
                "key": "num",
                "type": "number",
                "text_en": "N",
                "text_es": "N",
                "min": 0,
                "max": 80,
                "step": 0.5,
            },
            {
                "key": "scale",
                "type": "scale",
                "text_en": "Sc",
                "text_es": "Sc",
                "choices": [
                    {"value": str(i), "label_en": str(i), "label_es": str(i)} for i in range(1, 6)
                ],
            },
            {"key": "yn", "type": "yes_no", "text_en": "Y", "text_es": "Y", "required": True},
            {
                "key": "count",
                "type": "number",
                "text_en": "How many",
                "text_es": "Cuántos",
                "required": True,
                "min": 1,
                "max": 500,
                "step": 1,
                "condition": {"question": "yn", "in": ["yes"]},
            },
            {"key": "place", "type": "state_zip", "text_en": "W", "text_es": "W"},
            {
                "key": "time",
                "type": "time_use",
                "text_en": "T",
                "text_es": "T",
                "choices": CHOICES[:3],
            },
            {"key": "mail", "type": "email", "text_en": "E", "text_es": "E"},
            {
                "key": "duties",
                "type": "task_matrix",
                "text_en": "D",
                "text_es": "D",
                "required": True,
            },
        ],
    }
]
VALID = {
    "short": "Group leader",
    "single": "a",
    "yn": "no",
}


@pytest.fixture
def page(db):
    survey = Survey.objects.create(slug="t", title_en="T")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    build_version(version, SPEC)
    return version_structure(version).pages[0]


@pytest.fixture
def tasks(db):
    return [Task.objects.create(code=f"X{i}", text_en=f"Task {i}", order=i) for i in range(3)]


def form_for(page, data, tasks=(), lenient=False):
    mv = MultiValueDict()
    for key, value in data.items():
        mv.setlist(key, value if isinstance(value, list) else [value])
    return SurveyPageForm(
        mv, page=page, saved_values={}, role_tasks=tasks[:2], other_tasks=tasks[2:], lenient=lenient
    )


def ratings(tasks):
    data = {}
    for t in tasks[:2]:
        data |= {f"task_{t.code}_rel": "no"}
    return data


def test_valid_minimal_answers_pass(page, tasks):
    form = form_for(page, VALID | ratings(tasks), tasks)
    assert form.is_valid(), form.errors


def test_required_questions_must_be_answered(page, tasks):
    form = form_for(page, {}, tasks)
    assert not form.is_valid()
    for key in ["short", "single", "yn"]:
        assert form.errors[key] == ["Please answer this question."]


def test_lenient_mode_keeps_partial_pages(page, tasks):
    assert form_for(page, {"short": "x"}, tasks, lenient=True).is_valid()


def test_short_text_is_limited_to_200_characters(page, tasks):
    form = form_for(page, VALID | ratings(tasks) | {"short": "x" * 201}, tasks)
    assert "short" in form.errors


def test_unknown_choice_is_refused(page, tasks):
    form = form_for(page, VALID | ratings(tasks) | {"single": "zzz"}, tasks)
    assert "single" in form.errors


def test_other_needs_its_specify_text(page, tasks):
    form = form_for(page, VALID | ratings(tasks) | {"single": "other"}, tasks)
    assert form.errors["single__other"] == ["Please say what “other” means for you."]
    form = form_for(
        page, VALID | ratings(tasks) | {"single": "other", "single__other": "Coach"}, tasks
    )
    assert form.is_valid()


def test_exclusive_choice_cannot_be_combined(page, tasks):
    form = form_for(page, VALID | ratings(tasks) | {"multi": ["a", "none"]}, tasks)
    assert form.errors["multi"] == ["“None” cannot be combined with other answers."]


def test_numbers_respect_bounds_and_steps(page, tasks):
    huge = "1" + "0" * 28  # more digits than the decimal context holds (found by Hypothesis)
    for bad in ["81", "-1", "abc", "1.234", "NaN", "Infinity", huge, "-" + huge, "1e40"]:
        form = form_for(page, VALID | ratings(tasks) | {"num": bad}, tasks)
        assert form.errors["num"] == ["Enter a number from 0 to 80, like 20.50."], bad
    assert form_for(page, VALID | ratings(tasks) | {"num": "22.5"}, tasks).is_valid()


def test_whole_number_question_accepts_10_point_0_and_thousands(page, tasks):
    for typed, number in [("10.0", 10), ("1,00", 1), ("$12", 12), ("1,200", None)]:
        form = form_for(page, VALID | ratings(tasks) | {"yn": "yes", "count": typed}, tasks)
        if number is None:  # 1200 is read right, and is above the highest (500)
            assert form.errors["count"] == ["Enter a number from 1 to 500, like 126."]
        else:
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["count"] == number
    # "1,2" is one point two with a decimal comma: not a whole number, and the message
    # shows the expected form with an example.
    form = form_for(page, VALID | ratings(tasks) | {"yn": "yes", "count": "1,2"}, tasks)
    assert form.errors["count"] == ["Enter a number from 1 to 500, like 126."]


def test_condition_hides_and_unhides_a_required_question(page, tasks):
    assert form_for(page, VALID | ratings(tasks), tasks).is_valid()  # yn=no: count hidden
    form = form_for(page, VALID | ratings(tasks) | {"yn": "yes"}, tasks)
    assert form.errors["count"] == ["Please answer this question."]
    form = form_for(page, VALID | ratings(tasks) | {"count": "999"}, tasks)
    assert form.is_valid()  # a bad value in a hidden question is ignored
    assert "count" not in form.cleaned_data


def test_time_use_shares_must_total_100(page, tasks):
    data = VALID | ratings(tasks) | {"time__a": "50", "time__b": "30", "time__other": "10"}
    form = form_for(page, data, tasks)
    assert form.errors["time__a"] == ["Your shares add up to 90. They must add up to 100."]
    data["time__other"] = "20"
    assert form_for(page, data, tasks).is_valid()


def test_a_share_that_is_not_a_whole_number_names_its_box(page, tasks):
    """ "9,5" in a box was refused with "Enter a number from 0 to 100, like 25." under four
    boxes, while the page's live total read it as 9 (a Spanish phone walk)."""
    data = VALID | ratings(tasks) | {"time__a": "60", "time__b": "30,5", "time__other": "9,5"}
    form = form_for(page, data, tasks)
    assert form.errors["time__b"] == ["“B”: enter a whole number from 0 to 100, like 25."]
    with override("es"):
        form = form_for(page, data, tasks)
        assert form.errors["time__other"] == [
            "«Otro»: escriba un número entero de 0 a 100, por ejemplo 25."
        ]


def test_zip3_must_be_three_digits_and_state_must_be_real(page, tasks):
    form = form_for(
        page, VALID | ratings(tasks) | {"place__state": "ZZ", "place__zip3": "94"}, tasks
    )
    assert "place__state" in form.errors and "place__zip3" in form.errors


def test_email_error_is_clear_in_spanish(page, tasks):
    with override("es"):
        form = form_for(page, VALID | ratings(tasks) | {"mail": "nope"}, tasks)
        assert form.errors["mail"] == ["Escriba una dirección de correo como nombre@ejemplo.org."]


def test_every_task_for_the_role_needs_a_relevance_answer(page, tasks):
    form = form_for(page, VALID, tasks)
    assert form.errors[f"task_{tasks[0].code}_rel"] == [
        "Please say whether this task is part of your current job."
    ]
    assert f"task_{tasks[2].code}_rel" not in form.errors  # extra tasks are optional


def test_a_relevant_task_needs_importance_and_frequency(page, tasks):
    data = VALID | ratings(tasks) | {f"task_{tasks[0].code}_rel": "yes"}
    form = form_for(page, data, tasks)
    assert form.errors[f"task_{tasks[0].code}_imp"] == [
        "Please rate how important this task is and how often you do it."
    ]
    data |= {f"task_{tasks[0].code}_imp": "5", f"task_{tasks[0].code}_freq": "7"}
    assert form_for(page, data, tasks).is_valid()
    data[f"task_{tasks[0].code}_imp"] = "6"
    assert not form_for(page, data, tasks).is_valid()


def test_ratings_of_a_task_marked_not_relevant_are_dropped(page, tasks):
    data = VALID | ratings(tasks) | {f"task_{tasks[0].code}_imp": "5"}
    form = form_for(page, data, tasks)
    assert form.is_valid()
    assert form.cleaned_data[f"task_{tasks[0].code}_imp"] is None


FIELD_NAMES = [
    "short",
    "long",
    "single",
    "single__other",
    "multi",
    "num",
    "scale",
    "yn",
    "count",
    "place__state",
    "place__zip3",
    "time__a",
    "time__b",
    "time__other",
    "mail",
    "task_X0_rel",
    "task_X0_imp",
    "task_X0_freq",
    "task_X2_rel",
]
junk = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "yes", "no", "a", "other", "none", "1e9", "-0", "٣", "\x00", "50"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(junk, st.lists(junk, max_size=4)))
)
def test_any_input_gives_a_clean_answer_or_clear_errors(page, tasks, data):
    form = form_for(page, data, tasks)
    valid = form.is_valid()  # must never raise
    if not valid:
        assert all(
            all(str(message).strip() for message in messages) for messages in form.errors.values()
        )
