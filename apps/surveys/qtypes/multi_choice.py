"""Multiple choice: check boxes; a choice may be exclusive ("none of these") or "other"."""

from django import forms

from ..models import Question
from .base import NOT_SHOWN, Aggregate, other_column, register, slug
from .single_choice import SingleChoice

MULTI_SEPARATOR = ";"  # between the chosen codes in one cell of the paper-import CSV


@register
class MultiChoice(SingleChoice):
    type = Question.Type.MULTI_CHOICE
    aggregate = Aggregate.CHOICES
    answer_effort = (1, 0)
    field_class = forms.MultipleChoiceField
    input_type = "checkbox"

    def answers(self, q, data: dict, make) -> list:
        by_value = {c.value: c for c in q.choice_list}
        other = data.get(f"{q.key}__other", "").strip()
        return [
            make(choice=by_value[v], text_value=other if by_value[v].is_other else "")
            for v in data.get(q.key) or []
        ]

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial.setdefault(q.key, []).append(choice_by_id[row.choice_id].value)
        if row.text_value:
            initial[f"{q.key}__other"] = row.text_value

    def export_columns(self, layout, q, item, n: int) -> bool:
        sig = ("q", q.key, self.shape)
        for c in q.choice_list:
            item.by_choice[c.pk] = layout.add(
                f"{q.key}_{slug(c.value)}",
                (*sig, "choice", c.value),
                n,
                question=f"{q.text_en} [{c.label_en}]",
                type="0/1",
                values={1: "chosen", 0: "not chosen"},
                notes=f"{NOT_SHOWN}; 0 = shown, not chosen",
            )
        item.other = other_column(layout, self, q, n)
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        # 0 for every choice of a question shown on the path, 1 for those chosen.
        if answers or fill.is_shown(item.question):
            for position in item.by_choice.values():
                row[position] = 0
        for answer in answers or ():
            row[item.by_choice[answer.choice_id]] = 1
            if answer.text_value and item.other is not None:
                row[item.other] = answer.text_value

    def import_cell(self, value: str):
        return [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]

    def sample(self, q, choices: dict, role_tasks) -> dict:
        """The codes `choices` gives for the key, else the first choice."""
        values = [c.value for c in q.choice_list]
        wanted = choices.get(q.key)
        chosen = wanted if isinstance(wanted, list) and set(wanted) <= set(values) else values[:1]
        data = {q.key: list(chosen)}
        if any(c.is_other and c.value in chosen for c in q.choice_list):
            data[f"{q.key}__other"] = "Something else"
        return data
