"""Time-use shares: a percentage for each of the question's choices, adding up to 100."""

from decimal import Decimal

from ..models import Question
from .base import (
    SimpleType,
    blank_note,
    export_number,
    form_errors,
    form_value,
    plain,
    register,
    slug,
)
from .fields import TIME_SHARE, TIME_TOTAL, number_field


@register
class TimeUse(SimpleType):
    type = Question.Type.TIME_USE
    template = "surveys/includes/qtypes/time_use.html"
    answer_effort = (4, 8)  # a share in each of four boxes

    def add_fields(self, form, q) -> None:
        for choice in q.choice_list:
            field = number_field(Decimal(0), Decimal(100), Decimal(1))
            message = TIME_SHARE % {"label": choice.tr("label")}
            field.error_messages = dict.fromkeys(field.error_messages, message)
            form.fields[f"{q.key}__{choice.value}"] = field

    def is_missing(self, form, q, cleaned: dict) -> bool:
        return all(cleaned.get(f"{q.key}__{c.value}") is None for c in q.choice_list)

    def check(self, form, q, cleaned: dict) -> None:
        shares = [cleaned.get(f"{q.key}__{c.value}") for c in q.choice_list]
        if any(s is not None for s in shares) and not (form.lenient and None in shares):
            total = sum((s or Decimal(0)) for s in shares)
            if total != 100:
                form.add_error(
                    f"{q.key}__{q.choice_list[0].value}", TIME_TOTAL % {"total": plain(total)}
                )

    def render_context(self, form, q, ctx: dict) -> None:
        ctx["parts"] = [
            {
                "name": f"{q.key}__{c.value}",
                "label": c.tr("label"),
                "value": form_value(form, f"{q.key}__{c.value}") or "",
            }
            for c in q.choice_list
        ]
        ctx["errors"] = [e for p in ctx["parts"] for e in form_errors(form, p["name"])]

    def answers(self, q, data: dict, make) -> list:
        return [
            make(part=c.value[:20], choice=c, number_value=data[f"{q.key}__{c.value}"])
            for c in q.choice_list
            if data.get(f"{q.key}__{c.value}") is not None
        ]

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[f"{q.key}__{choice_by_id[row.choice_id].value}"] = plain(row.number_value)

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return f"{choice_by_id[row.choice_id].tr('label')}: {plain(row.number_value)}%"

    def export_columns(self, layout, q, item, n: int) -> bool:
        sig = ("q", q.key, self.shape)
        for c in q.choice_list:
            item.by_choice[c.pk] = layout.add(
                f"{q.key}_{slug(c.value)}",
                (*sig, c.value),
                n,
                question=f"{q.text_en} [{c.label_en}]",
                type="number (percent)",
                values={"0 to 100": "share of working time"},
                notes=blank_note(q),
            )
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        for answer in answers or ():
            position = item.by_choice.get(answer.choice_id)
            if position is not None:
                row[position] = export_number(answer.number_value)

    def import_columns(self, q, tasks) -> list[str]:
        return [f"{q.key}__{c.value}" for c in q.choice_list]

    def sample(self, q, choices: dict, role_tasks) -> dict:
        shares = [100] + [0] * (len(q.choice_list) - 1)
        return {f"{q.key}__{c.value}": str(s) for c, s in zip(q.choice_list, shares, strict=True)}
