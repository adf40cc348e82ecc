"""Form fields, limits and messages the question types share (moved here from forms.py, which
re-exports them, so the types depend on nothing above them)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Task

REQUIRED = _("Please answer this question.")
OTHER_REQUIRED = _("Please say what “other” means for you.")
EXCLUSIVE = _("“%(label)s” cannot be combined with other answers.")
TIME_TOTAL = _("Your shares add up to %(total)s. They must add up to 100.")
TASK_RELEVANCE = _("Please say whether this task is part of your current job.")
TASK_RATING = _("Please rate how important this task is and how often you do it.")
TASK_IMPORTANCE = _("Please choose how important this task is.")
TASK_FREQUENCY = _("Please choose how often you do this task.")
TASK_NONE_CHECKED = _("Please check at least one task that is part of your job.")
TASK_UNKNOWN = _("One of the tasks sent is not on this list. Please check the list again.")
SCALE_UNKNOWN = _("Please choose one of the options shown.")
NUMBER_RANGE = _("Enter a number from %(min)s to %(max)s, like %(example)s.")
# A time share names its box: four boxes share one error line under the question.
TIME_SHARE = _("“%(label)s”: enter a whole number from 0 to 100, like 25.")
ZIP3_STATE = _(
    "ZIP codes starting with %(zip3)s are in %(other)s, not %(state)s. "
    "Please check the state or the ZIP code."
)
ZIP3_INVALID = _("Enter the first three digits of your ZIP code, like 941.")
AT_MOST_YEARS = _(
    "Years with your current employer can’t be more than your years in youth programs in "
    "all (%(total)s). Please check both numbers."
)
TEXT_MAX = 200
LONG_TEXT_MAX = 5000


def plain(value: Decimal | None) -> str:
    """A decimal as typed back into a form or shown to people: 12.50 -> "12.5"."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def as_typed(value: Decimal | None, step: Decimal | None) -> str:
    """A number answer shown back (the form, the copy of the answers) the way people write
    it: with cents when the step is a cent and the value has any (24.50 -> "24.50", not
    "24.5"; 24 -> "24"), otherwise as `plain`."""
    text = plain(value)
    if value is None or step is None or not step:
        return text
    places = -step.normalize().as_tuple().exponent
    if places == 2 and value != value.to_integral_value():
        return f"{value.quantize(Decimal('0.01')):f}"
    return text


def normalize_number(text: str) -> str:
    """A number as people type it, in the form Python reads: "$24.50" -> "24.50", "24,50"
    (Spanish decimal comma) -> "24.50", "1,200" -> "1200", "1.200,50" -> "1200.50",
    "12 %" -> "12". Anything else is returned trimmed, for the field to refuse."""
    text = text.strip().replace("\u00a0", " ")
    for sign in ("US$", "$", "%", "USD", "usd", "dólares", "dolares"):
        text = text.replace(sign, "")
    text = text.replace(" ", "")
    if "," in text and "." in text:
        # The separator written last is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) in (1, 2) and head.lstrip("-").isdigit():
            text = f"{head}.{tail}"  # decimal comma: 24,50
        else:
            text = text.replace(",", "")  # thousands: 1,200 and 1,200,000
    return text


class NumberField(forms.DecimalField):
    """A decimal that accepts "10.0" where whole numbers are asked for, "$24.50", the Spanish
    decimal comma "24,50" and thousands separators "1,200"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value)
        number = super().to_python(value)
        # Far too many digits to quantize (the decimal context holds 28): left as written, the
        # max_digits check then refuses it with the range message.
        if (
            number is not None
            and number.is_finite()
            and number.adjusted() < 20
            and number == number.to_integral_value()
        ):
            number = number.quantize(Decimal(1))
        return number

    def run_validators(self, value):
        """Say each problem once: a huge number breaks the maximum and the digit count, which
        share the range message."""
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(list(dict.fromkeys(error.messages))) from None


def number_example(min_value, max_value, places: int) -> str:
    """An answer that fits the field, to show in its error message: a quarter of the way up
    the range, with cents where cents are allowed."""
    low = min_value if min_value is not None else Decimal(0)
    high = max_value if max_value is not None else low + 100
    whole = (low + (high - low) / 4).to_integral_value()
    if places and whole + Decimal("0.5") <= high:
        return f"{whole + Decimal('0.5'):.2f}"
    return f"{whole:f}"


def task_field(task: Task, part: str) -> str:
    return f"task_{task.code}_{part}"


def number_field(min_value, max_value, step) -> forms.DecimalField:
    """A number field whose every error message gives the range and an example."""
    places = 0 if step is None or step == step.to_integral_value() else 2
    message = NUMBER_RANGE % {
        "min": plain(min_value),
        "max": plain(max_value),
        "example": number_example(min_value, max_value, places),
    }
    return NumberField(
        required=False,
        min_value=min_value,
        max_value=max_value,
        max_digits=12,
        decimal_places=places,
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": message,
            "max_decimal_places": message,
            "max_digits": message,
            "max_whole_digits": message,
        },
    )
