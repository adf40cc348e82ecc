"""The question-type registry (apps/surveys/qtypes): every type is registered and implements
every hook, and one response answering a question of each type goes through the form, the
storage, the export and the dashboards' counts as the type promises.

Adding a question type? Add its expectation to EXPECT below (docs: qtypes.md)."""

from decimal import Decimal

import pytest
from django.template.loader import get_template

from apps.insights import cube
from apps.insights.sources import RawSource, source_for
from apps.surveys.conditions import condition_met
from apps.surveys.exporters import ResponsesExporter
from apps.surveys.forms import SurveyPageForm
from apps.surveys.importing import template_columns
from apps.surveys.models import Question, RespondentContact, Task
from apps.surveys.qtypes import (
    ATTRIBUTES,
    HOOKS,
    Aggregate,
    QuestionType,
    SimpleType,
    Storage,
    qtype,
    register,
    registered,
)
from apps.surveys.qtypes.base import slug
from apps.surveys.sample import PAID_FRONTLINE
from apps.surveys.selectors import (
    answer_values,
    response_answers,
    tasks_for_role,
    version_structure,
    visible_pages,
)

from ..exports.helpers import answered

T = Question.Type
CHOICES = {**PAID_FRONTLINE, "follow_up": "yes"}  # the path that shows the email question


# --- the registry ---


def test_every_question_type_has_exactly_one_registered_handler():
    assert set(registered()) == set(T.values)
    assert all(handler.type == value for value, handler in registered().items())


@pytest.mark.parametrize("value", T.values)
def test_every_registered_type_implements_every_hook(value):
    handler = registered()[value]
    cls = type(handler)
    assert not cls.__abstractmethods__
    for hook in HOOKS:
        # Implemented by the type or a shared base of types, not left to the contract.
        assert getattr(cls, hook) is not getattr(QuestionType, hook), hook
        assert callable(getattr(handler, hook)), hook
    for name in ATTRIBUTES:
        assert getattr(handler, name) not in (None, ""), name
    assert isinstance(handler.storage, Storage)
    assert isinstance(handler.aggregate, Aggregate)
    assert handler.page_weight >= 1
    if handler.answer_effort is not None:
        taps, chars = handler.answer_effort
        assert taps >= 1 and chars >= 0
        assert handler.typed == (chars > 0 and handler.type != "state_zip" and taps == 1)
    get_template(handler.template)  # the partial exists and compiles


def test_the_contract_lists_the_hooks_the_call_sites_use():
    assert {
        "add_fields", "field_names", "condition_raw", "is_missing", "check", "render_context",
        "answers", "initial", "condition_value", "copy_text", "known_values",
        "export_columns", "export_fill", "choice_labels", "import_columns", "import_cell",
        "sample",
    } == set(HOOKS)  # fmt: skip


def test_a_type_missing_a_hook_or_registered_twice_is_refused():
    class Incomplete(SimpleType):
        type = "incomplete_type_for_test"

    with pytest.raises(TypeError):
        register(Incomplete)
    assert "incomplete_type_for_test" not in registered()

    class Twice(type(qtype(T.NUMBER))):
        pass

    with pytest.raises(ValueError):
        register(Twice)
    assert type(qtype(T.NUMBER)) is not Twice


# --- one response through form -> storage -> export -> aggregate, for every type ---


def _text(q, data, tasks):
    text = data[q.key]
    return {"stored": [("", None, text, None, None)], "export": {q.key: text}, "open": 1}


def _choice(q, data, tasks):
    value = data[q.key]
    number = int(value) if q.type == T.SCALE and value.isdigit() else None
    other = data.get(f"{q.key}__other", "")
    export = {q.key: int(value) if value.isdigit() else value}
    if other:
        export[f"{q.key}_other_text"] = other
    return {
        "stored": [("", value, other, number, None)],
        "export": export,
        "counts": {value: 1},
    }


def _multi(q, data, tasks):
    chosen = data[q.key]
    return {
        "stored": [("", v, data.get(f"{q.key}__other", ""), None, None) for v in chosen],
        "export": {f"{q.key}_{slug(c.value)}": int(c.value in chosen) for c in q.choice_list},
        "counts": dict.fromkeys(chosen, 1),
    }


def _yes_no(q, data, tasks):
    value = data[q.key]
    return {
        "stored": [("", None, "", None, value == "yes")],
        "export": {q.key: value},
        "counts": {value: 1},
    }


def _number(q, data, tasks):
    value = Decimal(data[q.key])
    return {
        "stored": [("", None, "", value, None)],
        "export": {q.key: value},
        "numbers": {float(value): 1},
    }


def _state_zip(q, data, tasks):
    state, zip3 = data[f"{q.key}__state"], data[f"{q.key}__zip3"]
    return {
        "stored": [("state", None, state, None, None), ("zip3", None, zip3, None, None)],
        "export": {f"{q.key}_state": state, f"{q.key}_zip3": zip3},
        "profile": ("state", state),
    }


def _time_use(q, data, tasks):
    shares = {c.value: int(data[f"{q.key}__{c.value}"]) for c in q.choice_list}
    return {
        "stored": [(v[:20], v, "", Decimal(s), None) for v, s in shares.items()],
        "export": {f"{q.key}_{slug(v)}": s for v, s in shares.items()},
    }


def _task_matrix(q, data, tasks):
    export = {}
    for task in tasks:
        code = slug(task.code)
        export[f"{code}_relevant"] = 1
        export[f"{code}_importance"] = int(data[f"task_{task.code}_imp"])
        export[f"{code}_frequency"] = int(data[f"task_{task.code}_freq"])
    return {"stored": [], "export": export, "tasks": export}


def _email(q, data, tasks):
    return {"stored": [], "export": {}, "contact": data[q.key]}


EXPECT = {
    T.SHORT_TEXT: _text,
    T.LONG_TEXT: _text,
    T.SINGLE_CHOICE: _choice,
    T.SCALE: _choice,
    T.MULTI_CHOICE: _multi,
    T.YES_NO: _yes_no,
    T.NUMBER: _number,
    T.STATE_ZIP: _state_zip,
    T.TIME_USE: _time_use,
    T.TASK_MATRIX: _task_matrix,
    T.EMAIL: _email,
}


def test_every_type_has_a_round_trip_expectation():
    assert set(EXPECT) == set(T.values)


def _stored(response, q):
    return [
        (a.part, a.choice.value if a.choice else None, a.text_value, a.number_value, a.bool_value)
        for a in response.answers.filter(question=q).select_related("choice").order_by("id")
    ]


def _one_of_each_type(structure, values):
    """The first question of each type the response's path showed."""
    found = {}
    for page in visible_pages(structure, values):
        for q in page.question_list:
            if q.type not in found and condition_met(q.condition, values):
                found[q.type] = q
    return found


def test_one_response_of_each_type_goes_through_form_storage_export_and_figures(survey):
    structure = version_structure(survey.versions.get())
    # Two codes for the first multiple-choice question: its respondents are counted once.
    multi = next(q for q in structure.questions.values() if q.type == T.MULTI_CHOICE)
    two = [c.value for c in multi.choice_list if not c.is_exclusive and not c.is_other][:2]
    choices = {**CHOICES, multi.key: two}
    response = answered(survey, choices)
    values = answer_values(response_answers(response), structure)
    role_tasks, _others = tasks_for_role(CHOICES["role"])
    questions = _one_of_each_type(structure, values)
    assert set(questions) == set(T.values)
    assert questions[T.MULTI_CHOICE] == multi and len(two) == 2

    stored_rows = response_answers(response)

    exporter = ResponsesExporter()
    exporter.quasi_identifiers = None  # every column: the main file and the opt-in one
    header, *rows = list(exporter.rows({"filters": {}}))
    assert len(rows) == 1
    exported = dict(zip(header, rows[0], strict=True))

    cube.rebuild()
    sources = {"responses": RawSource({}), "cube": source_for({})}
    assert sources["cube"].kind == "cube"

    for value, q in questions.items():
        handler = qtype(q)
        data = handler.sample(q, choices, role_tasks)
        want = EXPECT[value](q, data, role_tasks)
        # storage: what the page form saved (answers, ratings or the contact)
        assert _stored(response, q) == want["stored"], value
        if handler.storage is Storage.TASK_RATINGS:
            assert response.task_ratings.filter(is_relevant=True).count() == len(role_tasks)
        # read back: the stored rows refill the form with what was posted
        if handler.storage is Storage.ANSWERS:
            refilled = {}
            for row in stored_rows:
                if row.question_id == q.pk:
                    handler.initial(refilled, q, row, structure.choice_by_id)
            assert refilled == data, value
        # export: the type's columns hold the answer
        for column, cell in want["export"].items():
            # as the CSV writes it: 12, not 12.00
            assert str(exported[column]) == str(cell), (value, column, exported[column])
        if "contact" in want:
            assert RespondentContact.objects.get(response=response).email == want["contact"]
            assert want["contact"] not in [str(cell) for cell in rows[0]]
        # the dashboards: the same counts from the responses and from the pre-aggregated cube
        for kind, source in sources.items():
            where = (value, kind)
            if handler.aggregate in (Aggregate.CHOICE, Aggregate.CHOICES):
                counts, respondents = source.choices([q.key])
                assert counts[q.key] == want["counts"], where
                assert respondents[q.key] == 1, where
            elif handler.aggregate is Aggregate.NUMBER:
                assert source.numbers([q.key])[q.key] == want["numbers"], where
            elif handler.aggregate is Aggregate.TASKS:
                tallies = source.tasks()
                for task in role_tasks:
                    row = tallies[task.pk]
                    code = slug(task.code)
                    assert (row["n"], row["yes"]) == (1, 1), where
                    assert row["imp_sum"] == want["tasks"][f"{code}_importance"], where
                    assert row[f"f{want['tasks'][f'{code}_frequency']}"] == 1, where
            elif handler.aggregate is Aggregate.TEXT and kind == "cube":
                assert source.open_count([q.key]) == want["open"], where
            if "profile" in want:
                column, item = want["profile"]
                assert dict(source.profile(column)) == {item: 1}, where


def test_the_paper_import_template_has_the_form_fields_of_every_type(survey):
    """The CSV template's columns are the field names of the one-page form staff import."""
    structure = version_structure(survey.versions.get())
    tasks = list(Task.objects.filter(is_active=True).order_by("order"))
    columns = template_columns(structure, tasks)
    seen = set()
    for page in structure.pages:
        form = SurveyPageForm(page=page, saved_values={}, other_tasks=tasks)
        for q in page.question_list:
            names = qtype(q).import_columns(q, tasks)
            assert set(names) == set(form.question_fields(q)), q.key
            assert set(names) <= set(columns), q.key
            seen.add(q.type)
    assert seen == set(T.values)
