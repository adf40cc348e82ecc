"""The task-rating matrix (the duties page): is each task part of the job, how important, how
often. Stored as TaskRating rows by the duties services, not as answers. The form has three
modes: the one-page matrix (staff preview, paper import), the duties checklist (step 0) and
the rating screens (steps 1..k)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Question
from ..scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES, YES_NO_CHOICES
from .base import Aggregate, SimpleType, Storage, form_errors, form_value, options, register
from .fields import (
    SCALE_UNKNOWN,
    TASK_FREQUENCY,
    TASK_IMPORTANCE,
    TASK_NONE_CHECKED,
    TASK_RATING,
    TASK_RELEVANCE,
    TASK_UNKNOWN,
    task_field,
)


@register
class TaskMatrix(SimpleType):
    type = Question.Type.TASK_MATRIX
    template = "surveys/includes/qtypes/task_matrix.html"
    storage = Storage.TASK_RATINGS
    aggregate = Aggregate.TASKS
    answer_effort = None  # counted per task (timing.duties_seconds)
    page_weight = 8

    # --- form ---

    def add_fields(self, form, q) -> None:
        if form.duties_step == 0:
            form.fields[q.key] = forms.MultipleChoiceField(
                required=False,
                choices=[
                    (task.code, task.tr("text")) for task in form.role_tasks + form.other_tasks
                ],
                error_messages={"invalid_choice": TASK_UNKNOWN},
            )
        elif form.duties_step:
            for task in form.rate_tasks:
                for part, choices in (("imp", IMPORTANCE_CHOICES), ("freq", FREQUENCY_CHOICES)):
                    form.fields[task_field(task, part)] = forms.TypedChoiceField(
                        required=False,
                        coerce=int,
                        empty_value=None,
                        choices=choices,
                        error_messages={"invalid_choice": SCALE_UNKNOWN},
                    )
        else:
            for task in form.role_tasks + form.other_tasks:
                form.fields[task_field(task, "rel")] = forms.ChoiceField(
                    required=False, choices=YES_NO_CHOICES
                )
                form.fields[task_field(task, "imp")] = forms.TypedChoiceField(
                    required=False, coerce=int, empty_value=None, choices=IMPORTANCE_CHOICES
                )
                form.fields[task_field(task, "freq")] = forms.TypedChoiceField(
                    required=False, coerce=int, empty_value=None, choices=FREQUENCY_CHOICES
                )

    def field_names(self, form, q) -> list[str]:
        return super().field_names(form, q) + [
            name for name in form.fields if name.startswith("task_")
        ]

    def is_missing(self, form, q, cleaned: dict) -> bool:
        return False  # checked task by task

    def check(self, form, q, cleaned: dict) -> None:
        if form.duties_step == 0:
            if q.is_required and not form.lenient and not cleaned.get(q.key):
                form.add_error(q.key, TASK_NONE_CHECKED)
            return
        if form.duties_step:
            for task in form.rate_tasks:
                if form.lenient:
                    continue
                for part, message in (("imp", TASK_IMPORTANCE), ("freq", TASK_FREQUENCY)):
                    name = task_field(task, part)
                    if cleaned.get(name) is None and name not in form._errors:
                        form.add_error(name, message)
            return
        for task in form.role_tasks + form.other_tasks:
            rel = cleaned.get(task_field(task, "rel"))
            is_role_task = task in form.role_tasks
            if not rel:
                if is_role_task and q.is_required and not form.lenient:
                    form.add_error(task_field(task, "rel"), TASK_RELEVANCE)
                continue
            if rel == "yes":
                if not form.lenient and (
                    cleaned.get(task_field(task, "imp")) is None
                    or cleaned.get(task_field(task, "freq")) is None
                ):
                    form.add_error(task_field(task, "imp"), TASK_RATING)
            else:
                cleaned[task_field(task, "imp")] = None
                cleaned[task_field(task, "freq")] = None

    # --- rendering ---

    def render_context(self, form, q, ctx: dict) -> None:
        if form.duties_step == 0:
            chosen = {str(v) for v in (form_value(form, q.key) or [])}
            rows = [
                {"code": task.code, "text": task.tr("text"), "checked": task.code in chosen}
                for task in form.role_tasks + form.other_tasks
            ]
            ctx["mode"] = "checklist"
            ctx["role_rows"] = rows[: len(form.role_tasks)] if form.role_tasks else rows
            ctx["other_rows"] = rows[len(form.role_tasks) :] if form.role_tasks else []
            ctx["other_open"] = any(row["checked"] for row in ctx["other_rows"])
            ctx["errors"] = form_errors(form, q.key)
        elif form.duties_step:
            ctx["mode"] = "rate"
            ctx["rate_rows"] = [rate_row(form, task) for task in form.rate_tasks]
            ctx["importance_scale"] = [(v, label) for v, label in IMPORTANCE_CHOICES]
            ctx["frequency_scale"] = [(v, label) for v, label in FREQUENCY_CHOICES]
        else:
            ctx["role_tasks"] = [task_row(form, task) for task in form.role_tasks]
            ctx["other_tasks"] = [task_row(form, task) for task in form.other_tasks]
            ctx["other_open"] = any(row["relevant"] for row in ctx["other_tasks"]) or any(
                row["errors"] for row in ctx["other_tasks"]
            )

    # --- storage: TaskRating rows, saved and read back by the duties services ---

    def answers(self, q, data: dict, make) -> list:
        return []

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        return None  # ratings, not answer rows: see initial_from_answers

    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        return None

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return ""  # the copy lists the ratings (selectors.response_copy)

    # --- export: the task columns, one set for every task of the bank ---

    def export_columns(self, layout, q, item, n: int) -> bool:
        layout._task_columns(n)
        return False  # filled from the ratings (fill_ratings), not from answers

    def export_fill(self, row: list, item, answers, fill) -> None:
        return None

    # --- paper import and sample answers ---

    def import_columns(self, q, tasks) -> list[str]:
        return [task_field(task, p) for task in tasks for p in ("rel", "imp", "freq")]

    def sample(self, q, choices: dict, role_tasks) -> dict:
        # The same data serves every duties step: the checklist reads `key` (every role
        # task checked), each rating screen reads its tasks' importance and frequency.
        data: dict = {q.key: [task.code for task in role_tasks]}
        for task in role_tasks:
            data[task_field(task, "rel")] = "yes"
            data[task_field(task, "imp")] = "4"
            data[task_field(task, "freq")] = "5"
        return data


def task_row(form, task) -> dict:
    """One task of the one-page matrix."""
    rel = form_value(form, task_field(task, "rel"))
    return {
        "task": task,
        "code": task.code,
        "text": task.tr("text"),
        "rel_name": task_field(task, "rel"),
        "imp_name": task_field(task, "imp"),
        "freq_name": task_field(task, "freq"),
        "relevant": rel == "yes",
        "rel_options": options(YES_NO_CHOICES, rel),
        "imp_options": options(IMPORTANCE_CHOICES, form_value(form, task_field(task, "imp"))),
        "freq_options": options(FREQUENCY_CHOICES, form_value(form, task_field(task, "freq"))),
        "errors": form_errors(form, task_field(task, "rel"))
        + form_errors(form, task_field(task, "imp")),
    }


IMPORTANCE_LEGEND = pgettext_lazy("duties scale", "Importance: how important is it to your job?")
FREQUENCY_LEGEND = pgettext_lazy("duties scale", "How often do you do it?")


def rate_row(form, task) -> dict:
    """One task of a rating screen: its importance and frequency scales."""
    scales = []
    # A short visible label beside each scale; the legend screen readers hear starts with it.
    scales_shown = (
        ("imp", IMPORTANCE_CHOICES, _("Importance"), IMPORTANCE_LEGEND),
        ("freq", FREQUENCY_CHOICES, _("How often"), FREQUENCY_LEGEND),
    )
    for part, choices, short, legend in scales_shown:
        name = task_field(task, part)
        scales.append(
            {
                "name": name,
                "part": part,
                "short": short,
                "legend": legend,
                "options": options(choices, form_value(form, name)),
                "low": choices[0][1],
                "high": choices[-1][1],
                "errors": form_errors(form, name),
            }
        )
    # The task was just read in full and checked: a short label heads its scales, the full
    # statement one tap away (and in the scales' accessible description).
    text = task.tr("text")
    label = task.rating_label()
    return {
        "code": task.code,
        "text": text,
        "label": label if label != text else "",
        "scales": scales,
    }
