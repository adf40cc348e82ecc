"""State and ZIP: a state or territory and the first three digits of the ZIP code, which must
agree. The state is what skip logic and the dashboards' state profile read."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _

from ..models import Question
from ..scales import US_STATES, state_choices, state_name, state_names_en, zip3_states
from .base import SimpleType, blank_note, form_errors, form_value, options, register
from .fields import ZIP3_INVALID, ZIP3_STATE


@register
class StateZip(SimpleType):
    type = Question.Type.STATE_ZIP
    template = "surveys/includes/qtypes/state_zip.html"
    answer_effort = (3, 3)  # open the list, pick, type three digits

    def add_fields(self, form, q) -> None:
        form.fields[f"{q.key}__state"] = forms.ChoiceField(
            required=False, choices=[("", "—")] + state_choices()
        )
        form.fields[f"{q.key}__zip3"] = forms.CharField(
            required=False, max_length=3, validators=[RegexValidator(r"^\d{3}$", ZIP3_INVALID)]
        )

    def condition_raw(self, cleaned: dict, q):
        return cleaned.get(f"{q.key}__state")

    def is_missing(self, form, q, cleaned: dict) -> bool:
        return not cleaned.get(f"{q.key}__state")

    def check(self, form, q, cleaned: dict) -> None:
        """State and ZIP3 must agree (ZIP3 prefix ranges per state); not checked on Back or
        Save, so moving around never gets stuck on it."""
        state, zip3 = cleaned.get(f"{q.key}__state"), cleaned.get(f"{q.key}__zip3")
        if form.lenient or not state or not zip3 or f"{q.key}__zip3" in form._errors:
            return
        belongs = zip3_states(zip3)
        if belongs and state not in belongs:
            form.add_error(
                f"{q.key}__zip3",
                ZIP3_STATE
                % {
                    "zip3": zip3,
                    "other": state_name(sorted(belongs)[0]),
                    "state": state_name(state),
                },
            )

    def render_context(self, form, q, ctx: dict) -> None:
        key = q.key
        ctx["states"] = options([("", "—")] + state_choices(), form_value(form, f"{key}__state"))
        ctx["zip3"] = form_value(form, f"{key}__zip3") or ""
        ctx["state_errors"] = form_errors(form, f"{key}__state")
        ctx["zip3_errors"] = form_errors(form, f"{key}__zip3")
        ctx["errors"] = ctx["state_errors"] + ctx["zip3_errors"]

    def answers(self, q, data: dict, make) -> list:
        rows = []
        for part in ("state", "zip3"):
            if data.get(f"{q.key}__{part}"):
                rows.append(make(part=part, text_value=data[f"{q.key}__{part}"]))
        return rows

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        initial[f"{q.key}__{row.part}"] = row.text_value

    def condition_value(self, q, row, choice_by_id: dict) -> str | None:
        return row.text_value if row.part == "state" else None

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        if row.part == "state":
            return str(dict(US_STATES).get(row.text_value, row.text_value))
        return str(_("ZIP code starts with %(zip3)s")) % {"zip3": row.text_value}

    def export_columns(self, layout, q, item, n: int) -> bool:
        sig, blank = ("q", q.key, self.shape), blank_note(q)
        item.main = layout.add(
            f"{q.key}_state",
            (*sig, "state"),
            n,
            question=f"{q.text_en} [state]",
            type="code",
            values=state_names_en(),
            notes=blank,
        )
        item.other = layout.add(
            f"{q.key}_zip3",
            (*sig, "zip3"),
            n,
            question=f"{q.text_en} [ZIP3]",
            type="text",
            notes=f"{blank}; blank also when no ZIP was given",
        )
        return True

    def export_fill(self, row: list, item, answers, fill) -> None:
        for answer in answers or ():
            if answer.part == "state":
                row[item.main] = answer.text_value
            elif answer.part == "zip3":
                row[item.other] = answer.text_value

    def import_columns(self, q, tasks) -> list[str]:
        return [f"{q.key}__state", f"{q.key}__zip3"]

    def sample(self, q, choices: dict, role_tasks) -> dict:
        return {f"{q.key}__state": "TX", f"{q.key}__zip3": "787"}
