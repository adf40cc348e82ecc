"""Yes or no: two radio buttons; stored as a boolean, without a choice row."""

from django import forms
from django.utils.translation import gettext as _

from ..models import Question
from ..scales import YES_NO_CHOICES
from .base import form_errors, form_value, options, register
from .single_choice import SingleChoice


@register
class YesNo(SingleChoice):
    type = Question.Type.YES_NO
    answer_effort = (1, 0)
    inline = True
    checks_other = False

    def add_fields(self, form, q) -> None:
        form.fields[q.key] = forms.ChoiceField(required=False, choices=YES_NO_CHOICES)

    def render_context(self, form, q, ctx: dict) -> None:
        ctx["options"] = options(YES_NO_CHOICES, form_value(form, q.key))
        ctx["input_type"] = "radio"
        ctx["inline"] = self.inline
        ctx["errors"] = form_errors(form, q.key)

    def answers(self, q, data: dict, make) -> list:
        value = data.get(q.key)
        return [make(bool_value=value == "yes")] if value else []

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[q.key] = "yes" if row.bool_value else "no"

    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        return None if row.bool_value is None else ("yes" if row.bool_value else "no")

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return str(_("Yes") if row.bool_value else _("No"))

    def known_values(self, q, choice_values: set[str]) -> set[str] | None:
        return {"yes", "no"}

    def choice_labels(self, q) -> dict[str, str]:
        return {value: str(label) for value, label in YES_NO_CHOICES}

    def export_pairs(self, q) -> dict:
        return {"yes": "Yes", "no": "No"}

    def export_fill(self, row: list, item, answers, fill) -> None:
        if answers:
            code = "yes" if answers[0].bool_value else "no"
            row[item.main] = code.capitalize() if fill.labels else code

    def sample(self, q, choices: dict, role_tasks) -> dict:
        return {q.key: choices.get(q.key, "yes")}
