"""Short text: one line, up to TEXT_MAX characters."""

from django import forms

from ..models import Question
from .base import Aggregate, SimpleType, blank_note, form_errors, form_value, register
from .fields import TEXT_MAX


@register
class ShortText(SimpleType):
    type = Question.Type.SHORT_TEXT
    template = "surveys/includes/qtypes/short_text.html"
    aggregate = Aggregate.TEXT
    answer_effort = (1, 12)
    typed = True
    column_shape = "text"  # short and long text answers share their export column
    max_length = TEXT_MAX

    def add_fields(self, form, q) -> None:
        form.fields[q.key] = forms.CharField(required=False, max_length=self.max_length)

    def render_context(self, form, q, ctx: dict) -> None:
        value = form_value(form, q.key)
        ctx["value"] = "" if value is None else value
        ctx["errors"] = form_errors(form, q.key)

    def answers(self, q, data: dict, make) -> list:
        text = (data.get(q.key) or "").strip()
        return [make(text_value=text)] if text else []

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[q.key] = row.text_value

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return row.text_value

    def export_columns(self, layout, q, item, n: int) -> bool:
        sig = ("q", q.key, self.shape)
        item.main = layout.add(q.key, sig, n, question=q.text_en, type="text", notes=blank_note(q))
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        if answers:
            row[item.main] = answers[0].text_value

    def sample(self, q, choices: dict, role_tasks) -> dict:
        return {q.key: f"Answer to {q.key}"}
