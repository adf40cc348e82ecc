"""Small-cell suppression: no figure computed from fewer than K respondents leaves the database.

Primary suppression hides every count (and every statistic) based on 1..K-1 respondents.
Complementary suppression then hides the next smallest count in the same table when exactly
one count is hidden, so the hidden one cannot be recovered by subtracting the others from a
total shown beside them; a total below K hides the whole table.
"""

from dataclasses import dataclass

from django.conf import settings


def k() -> int:
    return settings.SUPPRESSION_MIN_N


def is_small(n: int | None) -> bool:
    """True for a count that may not be shown (zero is shown: it identifies no one)."""
    return n is not None and 0 < n < k()


@dataclass
class Row:
    """One row of a distribution table: a label and its count; `hidden` after suppression."""

    key: str
    label: str
    n: int
    hidden: bool = False
    share: float | None = None  # percent of the table's total, None when hidden


def suppress_table(rows: list[Row], total: int | None = None) -> tuple[list[Row], bool]:
    """Apply primary and complementary suppression to a table whose total is shown.

    Returns the rows (hidden ones flagged, shares computed) and whether the total itself
    must be hidden. The total is the sum of the rows unless given.
    """
    total = sum(r.n for r in rows) if total is None else total
    if is_small(total):
        for r in rows:
            r.hidden, r.share = r.n > 0, None
        return rows, True
    for r in rows:
        r.hidden = is_small(r.n)
    hidden = [r for r in rows if r.hidden]
    if len(hidden) == 1:
        candidates = sorted((r for r in rows if not r.hidden and r.n > 0), key=lambda r: r.n)
        if candidates:
            candidates[0].hidden = True
    for r in rows:
        r.share = None if r.hidden or not total else 100 * r.n / total
    return rows, False


def suppressed_value(value, n: int | None):
    """A statistic (mean, median, share...) shown only when it rests on at least K people."""
    return None if n is None or n < k() else value
