"""Email: the follow-up address, kept apart from the answers (RespondentContact), never in
the responses export or on the dashboards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Question
from .base import Aggregate, SimpleType, Storage, form_errors, form_value, register

EMAIL_INVALID = _("Enter an email address like name@example.org.")


@register
class Email(SimpleType):
    type = Question.Type.EMAIL
    template = "surveys/includes/qtypes/email.html"
    storage = Storage.CONTACT
    aggregate = Aggregate.NONE
    answer_effort = (1, 20)
    typed = True

    def add_fields(self, form, q) -> None:
        form.fields[q.key] = forms.EmailField(
            required=False, max_length=254, error_messages={"invalid": EMAIL_INVALID}
        )

    def render_context(self, form, q, ctx: dict) -> None:
        value = form_value(form, q.key)
        ctx["value"] = "" if value is None else value
        ctx["errors"] = form_errors(form, q.key)

    def answers(self, q, data: dict, make) -> list:
        return []  # saved as the response's contact (services._save_contact)

    def initial(self, initial: dict, q, row, choice_by_id: dict) -> None:
        return None  # no answer rows; the contact's address is filled in by initial_from_answers

    def copy_text(self, q, row, choice_by_id: dict) -> str:
        return ""  # left out of the respondent's copy on purpose

    def export_columns(self, layout, q, item, n: int) -> bool:
        return False  # contact details never go into the responses export

    def export_fill(self, row: list, item, answers, fill) -> None:
        return None

    def sample(self, q, choices: dict, role_tasks) -> dict:
        return {q.key: "practitioner@example.org"}
