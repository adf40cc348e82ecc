"""The contract of a question type, the registry, and the helpers the types share.

Every value of `Question.Type` has exactly one `QuestionType` here, in a module of its own
(apps/surveys/qtypes/<type>.py). The code that builds forms, saves and reads answers, renders
questions, exports, aggregates for the dashboards and imports paper responses asks the
registry (`qtype(question)`) instead of testing the type itself. The contributor guide "How to
add a question type" (docs/incoming/qtypes.md) walks through adding one.
"""

import re
from abc import ABC, abstractmethod
from decimal import Decimal
from enum import StrEnum

from .fields import plain

# Export notes for a question's columns (also used by the exporter's own columns).
NOT_SHOWN = "blank = not shown on this respondent's path"
NOT_SHOWN_OR_SKIPPED = "blank = not shown on this respondent's path, or left unanswered"


class Storage(StrEnum):
    """Where a type's answers live."""

    ANSWERS = "answers"  # Answer rows (one or more per question), built by `answers()`
    TASK_RATINGS = "task_ratings"  # TaskRating rows, saved by the duties services
    CONTACT = "contact"  # RespondentContact, kept apart from the answers; never exported


class Aggregate(StrEnum):
    """How the dashboards count a type's answers (apps/insights/sources.py and cube.py)."""

    CHOICE = "choice"  # one counted value a respondent: answered = sum of the value counts
    CHOICES = "choices"  # several values a respondent: answered = distinct respondents
    NUMBER = "number"  # a distribution of numbers (mean, quartiles)
    TEXT = "text"  # open answers: counted and listed, never tabulated by value
    TASKS = "tasks"  # the task table (relevance, importance, frequency)
    NONE = "none"  # not on the dashboards


class QuestionType(ABC):
    """One type of survey question. Subclasses set the attributes and implement every hook;
    `SimpleType` gives the defaults for a type answered in one form field named after the
    question's key."""

    type: str = ""  # a Question.Type value
    template: str = ""  # the partial that renders the question (inside _question.html)
    storage: Storage = Storage.ANSWERS
    aggregate: Aggregate = Aggregate.NONE
    # For the survey's time model (timing.py, the same as bench/ux_bench.py): (taps, characters
    # typed) to answer it once read, or None when timing counts it its own way (the duties);
    # `typed` marks a text-like field that an optional question is expected to leave empty.
    answer_effort: tuple[int, int] | None = (1, 0)
    typed: bool = False
    page_weight: int = 1  # share of a page's effort, for the progress estimate
    column_shape: str = ""  # export columns of the same key and shape are one column

    @property
    def shape(self) -> str:
        return self.column_shape or self.type

    # --- the page form (apps/surveys/forms.py) ---

    @abstractmethod
    def add_fields(self, form, q) -> None:
        """Add the question's fields to `form.fields`."""

    @abstractmethod
    def field_names(self, form, q) -> list[str]:
        """The names of the form fields that belong to the question."""

    @abstractmethod
    def condition_raw(self, cleaned: dict, q):
        """The cleaned value skip logic reads (a value, a list, or None)."""

    @abstractmethod
    def is_missing(self, form, q, cleaned: dict) -> bool:
        """Whether a required question was left unanswered."""

    @abstractmethod
    def check(self, form, q, cleaned: dict) -> None:
        """Checks across the question's fields, after each field is valid."""

    # --- rendering (apps/surveys/templatetags/survey_tags.py) ---

    @abstractmethod
    def render_context(self, form, q, ctx: dict) -> None:
        """Add what `template` needs to the question's context."""

    # --- storage and reading back (services.py, selectors.py, survey_tags.py) ---

    @abstractmethod
    def answers(self, q, data: dict, make) -> list:
        """Answer rows for the cleaned data; `make(**fields)` builds one Answer."""

    @abstractmethod
    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        """Put one stored answer row back into the form's initial values."""

    @abstractmethod
    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        """The value skip logic sees for one stored answer row (None: nothing)."""

    @abstractmethod
    def copy_text(self, q, row, choice_by_id: dict) -> str:
        """One stored answer row as the respondent's copy shows it."""

    @abstractmethod
    def known_values(self, q, choice_values: set[str]) -> set[str] | None:
        """The values a condition on this question may test (None: any)."""

    # --- the responses export and its codebook (apps/surveys/exporters.py) ---

    @abstractmethod
    def export_columns(self, layout, q, item, n: int) -> bool:
        """Add the question's columns (name, codebook question, type, values, notes) to the
        layout and note their positions on `item`; False when the question has no item."""

    @abstractmethod
    def export_fill(self, row: list, item, answers, fill) -> None:
        """Write a response's answers (`answers`: its rows for the question, or None) into
        the positions noted on `item`. `fill` carries `labels`, `choices` and `is_shown(q)`."""

    # --- the dashboards (apps/insights) ---

    @abstractmethod
    def choice_labels(self, q) -> dict[str, str]:
        """Labels of the values the dashboards count, in the active language."""

    # --- paper import (apps/surveys/importing.py) ---

    @abstractmethod
    def import_columns(self, q, tasks) -> list[str]:
        """The question's columns in the CSV template (the form's field names)."""

    @abstractmethod
    def import_cell(self, value: str):
        """One trimmed CSV cell of the question's key column as form data (str or list)."""

    # --- sample answers (apps/surveys/sample.py: tests, benchmarks, load test) ---

    @abstractmethod
    def sample(self, q, choices: dict, role_tasks) -> dict:
        """POST data answering the question validly."""


HOOKS = tuple(sorted(QuestionType.__abstractmethods__))
ATTRIBUTES = ("type", "template", "storage", "aggregate", "page_weight")


class SimpleType(QuestionType):
    """Defaults for a type answered in one field named after the question's key."""

    def field_names(self, form, q) -> list[str]:
        return [name for name in form.fields if name == q.key or name.startswith(f"{q.key}__")]

    def condition_raw(self, cleaned: dict, q):
        return cleaned.get(q.key)

    def is_missing(self, form, q, cleaned: dict) -> bool:
        return cleaned.get(q.key) in (None, "", [])

    def check(self, form, q, cleaned: dict) -> None:
        return None

    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        return None

    def known_values(self, q, choice_values: set[str]) -> set[str] | None:
        return choice_values or None

    def choice_labels(self, q) -> dict[str, str]:
        return {c.value: c.tr("label") for c in q.choice_list}

    def import_columns(self, q, tasks) -> list[str]:
        columns = [q.key]
        if any(c.is_other for c in q.choice_list):
            columns.append(f"{q.key}__other")
        return columns

    def import_cell(self, value: str):
        return value


# --- the registry ---

_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make `cls` the handler of its `type` (one handler a type)."""
    if not cls.type or cls.type in _REGISTRY:
        raise ValueError(f"question type {cls.type!r} is missing or registered twice")
    _REGISTRY[cls.type] = cls()  # an abstract hook left out fails here
    return cls


def qtype(question_or_type) -> QuestionType:
    """The handler of a question (or of a type value)."""
    return _REGISTRY[getattr(question_or_type, "type", question_or_type)]


def registered() -> dict[str, QuestionType]:
    return dict(_REGISTRY)


def types_with(**attributes) -> list[str]:
    """The type values whose handlers have these attribute values (`aggregate=...`)."""
    return [
        value
        for value, handler in _REGISTRY.items()
        if all(getattr(handler, name) == wanted for name, wanted in attributes.items())
    ]


# --- helpers the types share ---


def form_value(form, name: str):
    """A field's value as the form shows it (bound data, or the initial value)."""
    if name not in form.fields:
        return None
    return form[name].value()


def form_errors(form, name: str) -> list[str]:
    return list(form.errors.get(name, [])) if form.is_bound else []


def options(choices, selected) -> list[dict]:
    """Radio, checkbox or select options with the chosen ones checked."""
    selected = selected if isinstance(selected, list | tuple) else [selected]
    selected = {str(s) for s in selected if s not in (None, "")}
    return [
        {"value": str(value), "label": label, "checked": str(value) in selected}
        for value, label in choices
    ]


def export_number(value):
    """Decimals from the database as plain numbers: 12 rather than 12.00."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def slug(value: str) -> str:
    """A code as it may appear in a column name."""
    return re.sub(r"[^0-9A-Za-z_]+", "_", value).strip("_") or "x"


def blank_note(q) -> str:
    return NOT_SHOWN if q.is_required else NOT_SHOWN_OR_SKIPPED


def other_column(layout, qt: QuestionType, q, n: int) -> int | None:
    """The "other, please specify" text column of a choice question that has such a choice."""
    if not any(c.is_other for c in q.choice_list):
        return None
    return layout.add(
        f"{q.key}_other_text",
        ("q", q.key, qt.shape, "other"),
        n,
        question=f"{q.text_en} [other, please specify]",
        type="text",
        notes="text typed with the 'other' choice; blank otherwise",
    )


__all__ = [
    "ATTRIBUTES",
    "HOOKS",
    "NOT_SHOWN",
    "NOT_SHOWN_OR_SKIPPED",
    "Aggregate",
    "QuestionType",
    "SimpleType",
    "Storage",
    "blank_note",
    "export_number",
    "form_errors",
    "form_value",
    "options",
    "other_column",
    "plain",
    "qtype",
    "register",
    "registered",
    "slug",
    "types_with",
]
