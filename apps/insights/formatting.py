"""How a figure becomes text: one rounding rule and one number of digits per kind of figure,
for the dashboards, their CSV files, the proposal's evidence blocks and its DOCX and PDF.

- Rounding is half up on the decimal value as printed (3.925 gives 3.93), never on the
  binary float (where 3.925 is 3.92499... and Python's round() and f-strings give 3.92).
- `plain()` writes the figure for machines and markup: "52.9", never localized (SVG
  attributes, data-* attributes, chart JSON, CSV cells, evidence snapshots).
- `local()` writes the figure for people in the active language: "52,9" in Spanish.
- A hidden count, whether hidden because it is small (primary suppression) or so that another
  hidden count cannot be worked out from a total (complementary suppression, where the true
  count may be large), is written as one neutral mark, `HIDDEN_COUNT` ("x", as Statistics
  Canada writes it), which claims no value: never "<K", which would be untrue for a
  complementary cell. Statistics resting on fewer than K people are "—" (`SUPPRESSED_STAT`).
  Templates draw the mark and its legend with `{% hidden_mark %}` and `{% hidden_legend %}`
  (insights_tags); CSV, XLSX, DOCX and PDF write `count()` / `HIDDEN_COUNT`.
- A figure beside a threshold that decides a label (core or supplemental) is written with as
  many more digits as it takes for the rounded figure to stay on the side of the threshold
  the exact figure is on (66.996 is "66.996", not "67"): see `beside_threshold()`.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from .suppression import k

SUPPRESSED_STAT = "—"
HIDDEN_COUNT = "x"
MAX_EXTRA_DIGITS = 6  # enough to tell 2.999999 from 3 (a mean of a million ratings)

# Digits after the decimal point, per kind of figure.
DIGITS = {
    "share": 1,  # percent of a table's total
    "relevance": 0,  # percent saying a task is part of their job
    "importance": 2,  # mean importance and its confidence interval (1-5)
    "fit": 2,  # mean crosswalk fit (its question's scale)
    "number": 1,  # workforce numbers: mean and quartiles
    "sd": 2,
}


def rounded(value, digits: int) -> Decimal | None:
    """The value rounded half up to `digits` decimals, as a Decimal (None stays None)."""
    if value is None:
        return None
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None
    if not exact.is_finite():
        return None
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def plain(value, digits: int) -> str:
    """The rounded figure with a decimal point, never localized ("" for None)."""
    number = rounded(value, digits)
    return "" if number is None else f"{number:.{digits}f}"


def local(value, digits: int) -> str:
    """The rounded figure in the active language's number format ("" for None)."""
    number = rounded(value, digits)
    if number is None:
        return ""
    return formats.number_format(number, digits, use_l10n=True)


def figure(value, kind: str) -> str:
    """A statistic of a kind (see DIGITS) in plain form, "—" when hidden (None)."""
    return SUPPRESSED_STAT if value is None else plain(value, DIGITS[kind])


def count(n: int | None, hidden: bool = False) -> str:
    """A count, or the neutral mark `HIDDEN_COUNT` when it is hidden (for any reason)."""
    if hidden:
        return HIDDEN_COUNT
    return "" if n is None else str(n)


def is_hidden_mark(text) -> bool:
    """Whether a written cell is a hidden count: the mark, or "<K" in evidence frozen before
    the mark replaced it (shown as the mark: "<K" may be untrue for a complementary cell)."""
    text = str(text)
    return text == HIDDEN_COUNT or (text.startswith("<") and text[1:].isdigit())


def hidden_explanation(threshold=None) -> str:
    """What the mark means (its tooltip; `threshold` is K unless a frozen snapshot's own)."""
    return _(
        "hidden: fewer than %(k)s people, or hidden so that another hidden figure cannot be "
        "worked out"
    ) % {"k": k() if threshold in (None, "") else threshold}


def hidden_legend(threshold=None) -> str:
    """The legend line beside every table that can hide a count: "x = hidden: ..."."""
    return f"{HIDDEN_COUNT} = {hidden_explanation(threshold)}"


def digits_beside(value, threshold, digits: int) -> int:
    """The fewest digits (at least `digits`) at which the rounded value is on the same side of
    the threshold as the value itself (a label decided by `value >= threshold`)."""
    if value is None:
        return digits
    above = value >= threshold
    for extra in range(MAX_EXTRA_DIGITS + 1):
        shown = rounded(value, digits + extra)
        if (shown >= Decimal(repr(float(threshold)))) == above:
            return digits + extra
    return digits + MAX_EXTRA_DIGITS


def beside_threshold(value, threshold, kind: str) -> str:
    """A statistic that decides a label against a threshold, in plain form (see module)."""
    if value is None:
        return SUPPRESSED_STAT
    return plain(value, digits_beside(value, threshold, DIGITS[kind]))


def scale_range(values) -> tuple[int, int] | None:
    """(lowest, highest) of a rating scale's numeric choice codes, None if it has none."""
    numbers = sorted(int(v) for v in values if str(v).lstrip("-").isdigit())
    return (numbers[0], numbers[-1]) if numbers else None
