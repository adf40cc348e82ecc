"""The form of one survey page, built from the page's questions."""

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .conditions import condition_met
from .models import Question, SurveyPage, Task
from .scales import (
    FREQUENCY_CHOICES,
    IMPORTANCE_CHOICES,
    YES_NO_CHOICES,
    state_choices,
    state_name,
    zip3_states,
)

REQUIRED = _("Please answer this question.")
OTHER_REQUIRED = _("Please say what “other” means for you.")
EXCLUSIVE = _("“%(label)s” cannot be combined with other answers.")
TIME_TOTAL = _("Your shares add up to %(total)s. They must add up to 100.")
TASK_RELEVANCE = _("Please say whether this task is part of your current job.")
TASK_RATING = _("Please rate how important this task is and how often you do it.")
TASK_IMPORTANCE = _("Please choose how important this task is.")
TASK_FREQUENCY = _("Please choose how often you do this task.")
TASK_NONE_CHECKED = _("Please check at least one task that is part of your job.")
TASK_UNKNOWN = _("One of the tasks sent is not on this list. Please check the list again.")
SCALE_UNKNOWN = _("Please choose one of the options shown.")
NUMBER_RANGE = _("Enter a number from %(min)s to %(max)s, like %(example)s.")
ZIP3_STATE = _(
    "ZIP codes starting with %(zip3)s are in %(other)s, not %(state)s. "
    "Please check the state or the ZIP code."
)
ZIP3_INVALID = _("Enter the first three digits of your ZIP code, like 941.")
TEXT_MAX = 200
LONG_TEXT_MAX = 5000


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def normalize_number(text: str) -> str:
    """A number as people type it, in the form Python reads: "$24.50" -> "24.50", "24,50"
    (Spanish decimal comma) -> "24.50", "1,200" -> "1200", "1.200,50" -> "1200.50",
    "12 %" -> "12". Anything else is returned trimmed, for the field to refuse."""
    text = text.strip().replace("\u00a0", " ")
    for sign in ("US$", "$", "%", "USD", "usd", "dólares", "dolares"):
        text = text.replace(sign, "")
    text = text.replace(" ", "")
    if "," in text and "." in text:
        # The separator written last is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) in (1, 2) and head.lstrip("-").isdigit():
            text = f"{head}.{tail}"  # decimal comma: 24,50
        else:
            text = text.replace(",", "")  # thousands: 1,200 and 1,200,000
    return text


class NumberField(forms.DecimalField):
    """A decimal that accepts "10.0" where whole numbers are asked for, "$24.50", the Spanish
    decimal comma "24,50" and thousands separators "1,200"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value)
        number = super().to_python(value)
        # Far too many digits to quantize (the decimal context holds 28): left as written, the
        # max_digits check then refuses it with the range message.
        if (
            number is not None
            and number.is_finite()
            and number.adjusted() < 20
            and number == number.to_integral_value()
        ):
            number = number.quantize(Decimal(1))
        return number

    def run_validators(self, value):
        """Say each problem once: a huge number breaks the maximum and the digit count, which
        share the range message."""
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(list(dict.fromkeys(error.messages))) from None


def number_example(min_value, max_value, places: int) -> str:
    """An answer that fits the field, to show in its error message: a quarter of the way up
    the range, with cents where cents are allowed."""
    low = min_value if min_value is not None else Decimal(0)
    high = max_value if max_value is not None else low + 100
    whole = (low + (high - low) / 4).to_integral_value()
    if places and whole + Decimal("0.5") <= high:
        return f"{whole + Decimal('0.5'):.2f}"
    return f"{whole:f}"


def task_field(task: Task, part: str) -> str:
    return f"task_{task.code}_{part}"


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
        key, t = q.key, q.type
        if t == Question.Type.SHORT_TEXT:
            self.fields[key] = forms.CharField(required=False, max_length=TEXT_MAX)
        elif t == Question.Type.LONG_TEXT:
            self.fields[key] = forms.CharField(required=False, max_length=LONG_TEXT_MAX)
        elif t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
            self.fields[key] = forms.ChoiceField(
                required=False, choices=[(c.value, c.tr("label")) for c in q.choice_list]
            )
            self._add_other(q)
        elif t == Question.Type.MULTI_CHOICE:
            self.fields[key] = forms.MultipleChoiceField(
                required=False, choices=[(c.value, c.tr("label")) for c in q.choice_list]
            )
            self._add_other(q)
        elif t == Question.Type.YES_NO:
            self.fields[key] = forms.ChoiceField(required=False, choices=YES_NO_CHOICES)
        elif t == Question.Type.NUMBER:
            self.fields[key] = self._number_field(q.min_value, q.max_value, q.step)
        elif t == Question.Type.STATE_ZIP:
            self.fields[f"{key}__state"] = forms.ChoiceField(
                required=False, choices=[("", "—")] + state_choices()
            )
            self.fields[f"{key}__zip3"] = forms.CharField(
                required=False,
                max_length=3,
                validators=[RegexValidator(r"^\d{3}$", ZIP3_INVALID)],
            )
        elif t == Question.Type.TIME_USE:
            for choice in q.choice_list:
                self.fields[f"{key}__{choice.value}"] = self._number_field(
                    Decimal(0), Decimal(100), Decimal(1)
                )
        elif t == Question.Type.EMAIL:
            self.fields[key] = forms.EmailField(
                required=False,
                max_length=254,
                error_messages={"invalid": _("Enter an email address like name@example.org.")},
            )
        elif t == Question.Type.TASK_MATRIX and self.duties_step == 0:
            self.fields[key] = forms.MultipleChoiceField(
                required=False,
                choices=[
                    (task.code, task.tr("text")) for task in self.role_tasks + self.other_tasks
                ],
                error_messages={"invalid_choice": TASK_UNKNOWN},
            )
        elif t == Question.Type.TASK_MATRIX and self.duties_step:
            for task in self.rate_tasks:
                for part, choices in (("imp", IMPORTANCE_CHOICES), ("freq", FREQUENCY_CHOICES)):
                    self.fields[task_field(task, part)] = forms.TypedChoiceField(
                        required=False,
                        coerce=int,
                        empty_value=None,
                        choices=choices,
                        error_messages={"invalid_choice": SCALE_UNKNOWN},
                    )
        elif t == Question.Type.TASK_MATRIX:
            for task in self.role_tasks + self.other_tasks:
                self.fields[task_field(task, "rel")] = forms.ChoiceField(
                    required=False, choices=YES_NO_CHOICES
                )
                self.fields[task_field(task, "imp")] = forms.TypedChoiceField(
                    required=False, coerce=int, empty_value=None, choices=IMPORTANCE_CHOICES
                )
                self.fields[task_field(task, "freq")] = forms.TypedChoiceField(
                    required=False, coerce=int, empty_value=None, choices=FREQUENCY_CHOICES
                )

    def _add_other(self, q: Question) -> None:
        if any(c.is_other for c in q.choice_list):
            self.fields[f"{q.key}__other"] = forms.CharField(required=False, max_length=TEXT_MAX)

    @staticmethod
    def _number_field(min_value, max_value, step) -> forms.DecimalField:
        places = 0 if step is None or step == step.to_integral_value() else 2
        message = NUMBER_RANGE % {
            "min": _number(min_value),
            "max": _number(max_value),
            "example": number_example(min_value, max_value, places),
        }
        return NumberField(
            required=False,
            min_value=min_value,
            max_value=max_value,
            max_digits=12,
            decimal_places=places,
            error_messages={
                "min_value": message,
                "max_value": message,
                "invalid": message,
                "max_decimal_places": message,
                "max_digits": message,
                "max_whole_digits": message,
            },
        )

    # --- validation ---

    def question_fields(self, q: Question) -> list[str]:
        return [name for name in self.fields if name == q.key or name.startswith(f"{q.key}__")] + (
            [name for name in self.fields if name.startswith("task_")]
            if q.type == Question.Type.TASK_MATRIX
            else []
        )

    def page_values(self) -> dict[str, set[str]]:
        """Condition values from this page's cleaned answers (the valid ones)."""
        values: dict[str, set[str]] = {}
        data = getattr(self, "cleaned_data", {})
        for q in self.step_questions:
            raw = data.get(q.key)
            if q.type == Question.Type.STATE_ZIP:
                raw = data.get(f"{q.key}__state")
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
        return cleaned

    def _missing(self, q: Question, cleaned) -> bool:
        if q.type == Question.Type.STATE_ZIP:
            return not cleaned.get(f"{q.key}__state")
        if q.type == Question.Type.TIME_USE:
            return all(cleaned.get(f"{q.key}__{c.value}") is None for c in q.choice_list)
        if q.type == Question.Type.TASK_MATRIX:
            return False  # checked task by task
        return cleaned.get(q.key) in (None, "", [])

    def _check_question(self, q: Question, cleaned) -> None:
        key = q.key
        if q.key in self._errors:
            return
        if q.is_required and not self.lenient and self._missing(q, cleaned):
            self.add_error(key if key in self.fields else self.question_fields(q)[0], REQUIRED)
            return
        if q.type in (Question.Type.SINGLE_CHOICE, Question.Type.MULTI_CHOICE):
            chosen = cleaned.get(key) or []
            chosen = chosen if isinstance(chosen, list) else [chosen]
            by_value = {c.value: c for c in q.choice_list}
            if q.type == Question.Type.MULTI_CHOICE and len(chosen) > 1:
                for value in chosen:
                    if by_value[value].is_exclusive:
                        self.add_error(key, EXCLUSIVE % {"label": by_value[value].tr("label")})
                        return
            other_chosen = any(by_value[v].is_other for v in chosen if v in by_value)
            if other_chosen and not self.lenient and not cleaned.get(f"{key}__other", "").strip():
                self.add_error(f"{key}__other", OTHER_REQUIRED)
            if not other_chosen:
                cleaned[f"{key}__other"] = ""
        elif q.type == Question.Type.STATE_ZIP:
            self._check_zip3(q, cleaned)
        elif q.type == Question.Type.TIME_USE:
            shares = [cleaned.get(f"{key}__{c.value}") for c in q.choice_list]
            if any(s is not None for s in shares) and not (self.lenient and None in shares):
                total = sum((s or Decimal(0)) for s in shares)
                if total != 100:
                    self.add_error(
                        f"{key}__{q.choice_list[0].value}", TIME_TOTAL % {"total": _number(total)}
                    )
        elif q.type == Question.Type.TASK_MATRIX:
            self._check_tasks(q, cleaned)

    def _check_zip3(self, q: Question, cleaned) -> None:
        """State and ZIP3 must agree (ZIP3 prefix ranges per state); not checked on Back or
        Save, so moving around never gets stuck on it."""
        state, zip3 = cleaned.get(f"{q.key}__state"), cleaned.get(f"{q.key}__zip3")
        if self.lenient or not state or not zip3 or f"{q.key}__zip3" in self._errors:
            return
        belongs = zip3_states(zip3)
        if belongs and state not in belongs:
            self.add_error(
                f"{q.key}__zip3",
                ZIP3_STATE
                % {
                    "zip3": zip3,
                    "other": state_name(sorted(belongs)[0]),
                    "state": state_name(state),
                },
            )

    def _check_tasks(self, q: Question, cleaned) -> None:
        if self.duties_step == 0:
            if q.is_required and not self.lenient and not cleaned.get(q.key):
                self.add_error(q.key, TASK_NONE_CHECKED)
            return
        if self.duties_step:
            for task in self.rate_tasks:
                if self.lenient:
                    continue
                for part, message in (("imp", TASK_IMPORTANCE), ("freq", TASK_FREQUENCY)):
                    name = task_field(task, part)
                    if cleaned.get(name) is None and name not in self._errors:
                        self.add_error(name, message)
            return
        for task in self.role_tasks + self.other_tasks:
            rel = cleaned.get(task_field(task, "rel"))
            is_role_task = task in self.role_tasks
            if not rel:
                if is_role_task and q.is_required and not self.lenient:
                    self.add_error(task_field(task, "rel"), TASK_RELEVANCE)
                continue
            if rel == "yes":
                if not self.lenient and (
                    cleaned.get(task_field(task, "imp")) is None
                    or cleaned.get(task_field(task, "freq")) is None
                ):
                    self.add_error(task_field(task, "imp"), TASK_RATING)
            else:
                cleaned[task_field(task, "imp")] = None
                cleaned[task_field(task, "freq")] = None
