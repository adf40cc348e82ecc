"""The form of one survey page, built from the page's questions."""

from decimal import Decimal

from django import forms

from .conditions import condition_met
from .models import Question, SurveyPage, Task
from .qtypes import qtype
from .qtypes.fields import (  # noqa: F401  (re-exported: the form's messages and fields)
    AT_MOST_YEARS,
    EXCLUSIVE,
    LONG_TEXT_MAX,
    NUMBER_RANGE,
    OTHER_REQUIRED,
    REQUIRED,
    SCALE_UNKNOWN,
    TASK_FREQUENCY,
    TASK_IMPORTANCE,
    TASK_NONE_CHECKED,
    TASK_RATING,
    TASK_RELEVANCE,
    TASK_UNKNOWN,
    TEXT_MAX,
    TIME_TOTAL,
    ZIP3_INVALID,
    ZIP3_STATE,
    NumberField,
    normalize_number,
    number_example,
    plain,
    task_field,
)

# Number answers that cannot be more than another one on the same page, by question key,
# with the message naming the larger answer: the years with the current employer are part of
# the years in youth programs in all (a walk found 12 years with the employer beside 3 in
# the field accepted, which the workforce tables then averaged).
AT_MOST = (("years_with_employer", "years_in_field", AT_MOST_YEARS),)


class SurveyPageForm(forms.Form):
    """Fields for every question on a page; skip logic and required answers are checked in clean().

    `saved_values` are the condition values from the other pages; `lenient` (Back, Save and
    finish later) keeps whatever is valid and does not insist on required answers.
    """

    def __init__(
        self,
        *args,
        page: SurveyPage,
        saved_values: dict[str, set[str]],
        role_tasks: list[Task] = (),
        other_tasks: list[Task] = (),
        lenient: bool = False,
        duties_step: int | None = None,
        rate_tasks: list[Task] = (),
        allowed_rating_codes: set[str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.page = page
        self.saved_values = saved_values
        self.role_tasks = list(role_tasks)
        self.other_tasks = list(other_tasks)
        self.lenient = lenient
        # None: the one-page task matrix (staff preview, paper import). 0: the duties
        # checklist. 1..k: the rating screens, each rating `rate_tasks`.
        self.duties_step = duties_step
        self.rate_tasks = list(rate_tasks)
        self.step_questions = [
            q for q in page.question_list if not duties_step or q.type == Question.Type.TASK_MATRIX
        ]
        self.visible_questions: list[Question] = []
        for question in self.step_questions:
            self._add_fields(question)
        # Ratings sent for tasks this respondent did not check or was not asked to rate
        # (a stale or tampered page): never saved, and the respondent is told.
        self.stray_tasks: list[str] = []
        if duties_step and self.is_bound:
            on_screen = {t.code for t in self.rate_tasks}
            allowed = allowed_rating_codes or set()
            for name in self.data:
                if name.startswith("task_") and name.endswith(("_imp", "_freq", "_rel")):
                    code = name[5:].rsplit("_", 1)[0]
                    if code not in on_screen and code not in allowed:
                        self.stray_tasks.append(code)
            self.stray_tasks = sorted(set(self.stray_tasks))

    # --- building ---

    def _add_fields(self, q: Question) -> None:
        qtype(q).add_fields(self, q)

    # --- validation ---

    def question_fields(self, q: Question) -> list[str]:
        return qtype(q).field_names(self, q)

    def page_values(self) -> dict[str, set[str]]:
        """Condition values from this page's cleaned answers (the valid ones)."""
        values: dict[str, set[str]] = {}
        data = getattr(self, "cleaned_data", {})
        for q in self.step_questions:
            raw = qtype(q).condition_raw(data, q)
            if raw in (None, "", []):
                continue
            values[q.key] = {str(v) for v in raw} if isinstance(raw, list) else {str(raw)}
        return values

    def clean(self):
        cleaned = super().clean()
        values = {**self.saved_values}
        self.visible_questions = []
        # Questions are in order, and a condition only looks at earlier questions.
        for q in self.step_questions:
            values.update(self.page_values())
            if not condition_met(q.condition, values):
                for name in self.question_fields(q):
                    self._errors.pop(name, None)
                    cleaned.pop(name, None)
                continue
            self.visible_questions.append(q)
            self._check_question(q, cleaned)
        if not self.lenient:  # Back and "Save and finish later" never stop on it
            self._check_at_most(cleaned)
        return cleaned

    def _check_at_most(self, cleaned) -> None:
        shown = {q.key: q for q in self.visible_questions}
        for lesser, greater, message in AT_MOST:
            if lesser not in shown or greater not in shown:
                continue
            small_field = self.question_fields(shown[lesser])[0]
            big_field = self.question_fields(shown[greater])[0]
            small, big = cleaned.get(small_field), cleaned.get(big_field)
            # Numbers only: a later version may ask either question another way.
            if not isinstance(small, Decimal) or not isinstance(big, Decimal) or small <= big:
                continue
            self.add_error(small_field, forms.ValidationError(message % {"total": plain(big)}))

    def _check_question(self, q: Question, cleaned) -> None:
        key = q.key
        if q.key in self._errors:
            return
        handler = qtype(q)
        if q.is_required and not self.lenient and handler.is_missing(self, q, cleaned):
            self.add_error(key if key in self.fields else self.question_fields(q)[0], REQUIRED)
            return
        handler.check(self, q, cleaned)
