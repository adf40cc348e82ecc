"""Number: a decimal within the question's bounds, typed the way people write numbers."""

from ..models import Question
from .base import (
    Aggregate,
    SimpleType,
    blank_note,
    export_number,
    form_errors,
    form_value,
    plain,
    register,
)
from .fields import as_typed, number_field


@register
class Number(SimpleType):
    type = Question.Type.NUMBER
    template = "surveys/includes/qtypes/number.html"
    aggregate = Aggregate.NUMBER
    answer_effort = (1, 2)
    typed = True

    def add_fields(self, form, q) -> None:
        form.fields[q.key] = number_field(q.min_value, q.max_value, q.step)

    def render_context(self, form, q, ctx: dict) -> None:
        value = form_value(form, q.key)
        ctx["value"] = "" if value is None else value
        ctx["errors"] = form_errors(form, q.key)
        ctx["min"] = plain(q.min_value)
        ctx["max"] = plain(q.max_value)
        ctx["step"] = plain(q.step) or "any"
        ctx["decimal"] = bool(q.step) and q.step != q.step.to_integral()

    def answers(self, q, data: dict, make) -> list:
        value = data.get(q.key)
        return [make(number_value=value)] if value is not None else []

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[q.key] = as_typed(row.number_value, q.step)

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return as_typed(row.number_value, q.step)

    def export_columns(self, layout, q, item, n: int) -> bool:
        bounds = ""
        if q.min_value is not None or q.max_value is not None:
            low, high = export_number(q.min_value), export_number(q.max_value)
            bounds = f"{'' if low is None else low} to {'' if high is None else high}"
        item.main = layout.add(
            q.key,
            ("q", q.key, self.shape),
            n,
            question=q.text_en,
            type="number",
            notes=blank_note(q),
            values={bounds: "allowed range"} if bounds else {},
        )
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        if answers:
            row[item.main] = export_number(answers[0].number_value)

    def sample(self, q, choices: dict, role_tasks) -> dict:
        return {q.key: f"{(q.min_value if q.min_value is not None else 1).normalize():f}"}
