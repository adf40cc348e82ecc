"""Long text: a text area, up to LONG_TEXT_MAX characters; stored and exported like short text."""

from ..models import Question
from .base import register
from .fields import LONG_TEXT_MAX
from .short_text import ShortText


@register
class LongText(ShortText):
    type = Question.Type.LONG_TEXT
    template = "surveys/includes/qtypes/long_text.html"
    answer_effort = (1, 60)
    typed = True
    max_length = LONG_TEXT_MAX
