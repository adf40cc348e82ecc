"""Scale: a single choice over numbered points shown side by side; the point's number is
stored beside the choice."""

from ..models import Question
from .base import register
from .single_choice import SingleChoice


@register
class Scale(SingleChoice):
    type = Question.Type.SCALE
    answer_effort = (1, 0)
    inline = True
    checks_other = False

    def number_for(self, value: str):
        return int(value) if value.isdigit() else None
