"""Single choice: radio buttons over the question's choices, with an optional "other, please
specify" text. Scale and multiple choice build on it."""

from django import forms

from ..models import Question
from .base import (
    Aggregate,
    SimpleType,
    blank_note,
    form_errors,
    form_value,
    options,
    other_column,
    register,
)
from .fields import EXCLUSIVE, OTHER_REQUIRED, TEXT_MAX


@register
class SingleChoice(SimpleType):
    type = Question.Type.SINGLE_CHOICE
    template = "surveys/includes/qtypes/choice.html"
    aggregate = Aggregate.CHOICE
    answer_effort = (1, 0)
    field_class = forms.ChoiceField
    input_type = "radio"
    inline = False  # choices side by side (scales, yes/no) rather than one a line
    checks_other = True  # "other" needs its text; exclusive choices stand alone

    # --- form ---

    def add_fields(self, form, q) -> None:
        form.fields[q.key] = self.field_class(
            required=False, choices=[(c.value, c.tr("label")) for c in q.choice_list]
        )
        if any(c.is_other for c in q.choice_list):
            form.fields[f"{q.key}__other"] = forms.CharField(required=False, max_length=TEXT_MAX)

    def check(self, form, q, cleaned: dict) -> None:
        if not self.checks_other:
            return
        key = q.key
        chosen = cleaned.get(key) or []
        chosen = chosen if isinstance(chosen, list) else [chosen]
        by_value = {c.value: c for c in q.choice_list}
        if self.input_type == "checkbox" and len(chosen) > 1:
            for value in chosen:
                if by_value[value].is_exclusive:
                    form.add_error(key, EXCLUSIVE % {"label": by_value[value].tr("label")})
                    return
        other_chosen = any(by_value[v].is_other for v in chosen if v in by_value)
        if other_chosen and not form.lenient and not cleaned.get(f"{key}__other", "").strip():
            form.add_error(f"{key}__other", OTHER_REQUIRED)
        if not other_chosen:
            cleaned[f"{key}__other"] = ""

    def render_context(self, form, q, ctx: dict) -> None:
        key = q.key
        chosen = form_value(form, key)
        ctx["options"] = [
            {**o, "is_other": c.is_other, "is_exclusive": c.is_exclusive}
            for o, c in zip(
                options([(c.value, c.tr("label")) for c in q.choice_list], chosen),
                q.choice_list,
                strict=True,
            )
        ]
        ctx["input_type"] = self.input_type
        ctx["inline"] = self.inline
        ctx["other_name"] = f"{key}__other" if f"{key}__other" in form.fields else ""
        ctx["other_value"] = form_value(form, f"{key}__other") or ""
        ctx["other_errors"] = form_errors(form, f"{key}__other")
        # As the page script leaves it: the box only for the "other" choice, a value or an error.
        ctx["other_hidden"] = not (
            ctx["other_value"]
            or ctx["other_errors"]
            or any(o["checked"] and o["is_other"] for o in ctx["options"])
        )
        ctx["errors"] = form_errors(form, key)

    # --- storage and reading back ---

    def number_for(self, value: str):
        return None

    def answers(self, q, data: dict, make) -> list:
        value = data.get(q.key)
        if not value:
            return []
        choice = {c.value: c for c in q.choice_list}[value]
        other = data.get(f"{q.key}__other", "").strip() if choice.is_other else ""
        return [make(choice=choice, number_value=self.number_for(value), text_value=other)]

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[q.key] = choice_by_id[row.choice_id].value
        if row.text_value:
            initial[f"{q.key}__other"] = row.text_value

    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        return choice_by_id[row.choice_id].value if row.choice_id is not None else None

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        label = choice_by_id[row.choice_id].tr("label")
        return f"{label}: {row.text_value}" if row.text_value else label

    # --- export ---

    def export_pairs(self, q) -> dict:
        return {c.value: c.label_en for c in q.choice_list}

    def export_columns(self, layout, q, item, n: int) -> bool:
        item.main = layout.add(
            q.key,
            ("q", q.key, self.shape),
            n,
            question=q.text_en,
            type="label" if layout.labels else "code",
            values=self.export_pairs(q),
            notes=blank_note(q),
        )
        item.other = other_column(layout, self, q, n)
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        if not answers:
            return
        answer = answers[0]
        choice = fill.choices[answer.choice_id]
        if fill.labels:
            row[item.main] = choice.label_en
        else:
            row[item.main] = int(choice.value) if choice.value.isdigit() else choice.value
        if answer.text_value and item.other is not None:
            row[item.other] = answer.text_value

    def sample(self, q, choices: dict, role_tasks) -> dict:
        values = [c.value for c in q.choice_list]
        data = {q.key: choices[q.key] if choices.get(q.key) in values else values[0]}
        if any(c.is_other and c.value == data[q.key] for c in q.choice_list):
            data[f"{q.key}__other"] = "Something else"
        return data
