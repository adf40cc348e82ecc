"""Disclosure control: the one layer every aggregate passes on its way out of the database.

Dashboards, their CSVs, the proposal's evidence blocks (page, public draft, DOCX, PDF), the
comment counts and the partner API all get their figures from the insights selectors, and the
selectors pass every count and every statistic through the functions below. The method
(README, "Disclosure control") follows the national statistical offices:

1. Cell-key perturbation (ABS TableBuilder, US Census Bureau). A count is read together with
   the sum of its contributors' response ids (a `Tally`, summed in SQL beside the count); a
   secret mixing of that sum gives the cell key (0..255), and a fixed table turns the cell key
   into a small noise (-2..+2) added to every count of at least K. The
   same set of respondents always gets the same noise, however the query was phrased, so
   asking again does not average the noise away; two queries that differ by one person
   differ by noise, not by that person.
2. Primary suppression: a count of 1..K-1 is never shown ("<K"); zero is shown.
3. Complementary suppression over linked tables (tau-Argus, sdcTable): tables that share a
   margin (a table and its total, the by-role tables and the pooled table, a grid's rows and
   columns) are protected together (`protect_linked`), so that no hidden cell follows from
   the others by addition or subtraction.
4. Derived quantities: a share is hidden when its numerator or its complement is 1..K-1
   (`protect_share`); a mean, quartile or fit mean is hidden when fewer than K people give
   it (`protect_stat`).
5. Statistics are perturbed too (`protect_stat` given a Tally): a mean, quartile, standard
   deviation or fit mean of n contributors is shown as

       value + u * max(STAT_NOISE * spread / n, step), rounded to `digits` decimals,

   kept within the scale's bounds, where spread is the widest one contributor can pull the
   statistic (the scale's width, or the largest minus the smallest value given), step is
   one unit of the last digit shown, and u in [-1, -1/2] or [1/2, 1] comes from a secret hash of
   the contributors' record-key sum and the statistic's name. The same people asked the
   same way always get the same figure; two views one person apart differ by that person's
   pull plus two unrelated perturbations at least as large as half of it, so mean * n
   differences and quartile shifts give a range, never the person's value.

Nothing here queries the database: the sources compute counts and key sums in SQL.
"""

import hashlib
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import BigIntegerField, Q, Sum
from django.db.models.functions import Cast

# The cell key of a set of respondents is (sum of their ids * a secret multiplier) mod a prime,
# mod 256: the database only sums ids (cheap, and SUM(DISTINCT id) counts a respondent with
# several answers once); the secret mixing happens here.
KEY_PRIME = 2_147_483_647
CELL_KEYS = 256
MAX_NOISE = 2
# How many of the 256 cell keys give each noise: half none, most of the rest +-1.
NOISE_SPREAD = {0: 128, 1: 51, -1: 51, 2: 13, -2: 13}
# Statistics: the perturbation is u * max(STAT_NOISE * spread / n, one shown step), with
# STAT_MIN_U <= |u| <= 1 in STAT_LEVELS even steps (see the module docstring, point 5).
STAT_NOISE = 0.5
STAT_MIN_U = 0.5
STAT_LEVELS = 4096


def k() -> int:
    """The smallest count shown (settings.SUPPRESSION_MIN_N)."""
    return settings.SUPPRESSION_MIN_N


def query_set_allowed(n: int) -> bool:
    """Minimum query-set size: figures are shown for a selection only when the filters in
    effect select at least K responses (n is the true count, not a perturbed one). Below
    that every cell of every table would describe those few people, so nothing is shown."""
    return n >= k()


def _secret(label: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()[:8])


def key_multiplier() -> int:
    """The secret multiplier of the cell keys, in 1..KEY_PRIME-1 (from SECRET_KEY)."""
    return _secret("insights-record-key") % (KEY_PRIME - 1) + 1


def key_sum(field: str = "pk", *, filter: Q | None = None, distinct: bool = False):
    """SQL aggregate: the sum of the ids of the respondents counted beside it (the record
    key of a response is its id; `field` holds it)."""
    return Sum(Cast(field, BigIntegerField()), filter=filter, distinct=distinct)


def record_key_of(response_id: int) -> int:
    """The record key of one response, as `key_sum` adds it up in SQL."""
    return response_id


def cell_key(key_total: int) -> int:
    """The cell key (0..255) of a set of respondents whose record keys sum to `key_total`."""
    return key_total % KEY_PRIME * key_multiplier() % KEY_PRIME % CELL_KEYS


class Tally(int):
    """A count that knows the sum of its contributors' record keys.

    Adding tallies adds both (a respondent counted once in each), so a total summed from its
    parts has the key of the whole. Adding a plain int keeps the key (adding 0 is the usual
    case: sum()). Everything else behaves as an int."""

    key: int

    def __new__(cls, n, key=0):
        obj = super().__new__(cls, n or 0)
        obj.key = int(key or 0)
        return obj

    def __add__(self, other):
        if isinstance(other, Tally):
            return Tally(int(self) + int(other), self.key + other.key)
        if isinstance(other, int):
            return Tally(int(self) + other, self.key)
        return NotImplemented

    __radd__ = __add__

    def __repr__(self) -> str:
        return f"Tally({int(self)}, key={self.key})"


def _noise_table() -> list[int]:
    table = [noise for noise, times in NOISE_SPREAD.items() for _ in range(times)]
    random.Random(_secret("insights-noise-table")).shuffle(table)
    return table


_NOISE: dict[str, list[int]] = {}


def noise_of_cell_key(key: int) -> int:
    """The perturbation the table gives a cell key (taken modulo 256)."""
    secret = settings.SECRET_KEY
    if secret not in _NOISE:
        _NOISE.clear()
        _NOISE[secret] = _noise_table()
    return _NOISE[secret][key % CELL_KEYS]


def noise(key_total: int) -> int:
    """The perturbation of a cell whose contributors' record keys sum to `key_total`."""
    return noise_of_cell_key(cell_key(key_total))


def is_small(n) -> bool:
    """True for a count that may not be shown: 1..K-1 (zero identifies no one)."""
    return n is not None and 0 < n < k()


def shown_count(n) -> int | None:
    """The count as shown: None when it is 1..K-1, 0 for 0, else perturbed and never below K.

    Only a Tally (a count read with its record keys) is perturbed; a plain int (a count of
    something else, such as coding reports) is suppressed but shown as is.
    settings.INSIGHTS_NOISE = False turns the noise off (tests of the arithmetic only)."""
    if n is None or is_small(n):
        return None
    if n == 0:
        return 0
    if not isinstance(n, Tally) or not noise_on():
        return int(n)
    return max(k(), int(n) + noise(n.key))


def noise_on() -> bool:
    """settings.INSIGHTS_NOISE (default True); False only for tests of the arithmetic."""
    return getattr(settings, "INSIGHTS_NOISE", True)


def stat_unit(key_total: int, name: str = "") -> float:
    """The u of a statistic: in [-1, -STAT_MIN_U) or (STAT_MIN_U, 1], fixed by a secret hash
    of its contributors' record-key sum and its name (mean, p25...), so the same people
    always get the same u and another statistic of theirs an unrelated one."""
    digest = hashlib.sha256(f"stat:{name}:{key_total}:{settings.SECRET_KEY}".encode()).digest()
    h = int.from_bytes(digest[:8])
    level = ((h >> 1) % STAT_LEVELS + 1) / STAT_LEVELS  # above 0, up to 1
    magnitude = STAT_MIN_U + (1 - STAT_MIN_U) * level
    return magnitude if h & 1 else -magnitude


def round_half_up(value: float, digits: int) -> float:
    """The value rounded half up to `digits` decimals (as written, not as a binary float)."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def perturb_stat(value, n: Tally, *, name="", bounds=None, digits=None) -> float:
    """A statistic of the n contributors of a Tally, perturbed (module docstring, point 5).

    `bounds` (lowest, highest) is what one contributor can give (a rating scale, or the
    smallest and largest value given); without it the spread is the size of the statistic
    itself. `digits`: the decimals shown (the perturbation is at least one step of the last,
    and the figure is rounded to them)."""
    spread = abs(value) if bounds is None else bounds[1] - bounds[0]
    scale = STAT_NOISE * spread / int(n)
    if digits is not None:
        scale = max(scale, 10.0**-digits)
    shown = value + stat_unit(n.key, name) * scale
    if bounds is not None:
        shown = min(max(shown, bounds[0]), bounds[1])
    return shown if digits is None else round_half_up(shown, digits)


def protect_stat(value, n, *, name="", bounds=None, digits=None):
    """A statistic (mean, quartile, fit mean...) shown only when at least K people give it;
    perturbed when n is a Tally (a count read with its record keys) and the noise is on
    (`perturb_stat`: `name` tells statistics of the same people apart, `bounds` is the
    range one contributor can give, `digits` the decimals shown). A plain int n only
    suppresses."""
    if n is None or n < k():
        return None
    if value is None or not isinstance(n, Tally) or not noise_on():
        return value
    return perturb_stat(value, n, name=name, bounds=bounds, digits=digits)


def protect_quartiles(quartiles, n, *, name="", bounds=None, digits=None) -> list:
    """The 25th, 50th and 75th percentiles of the same n people, each perturbed under its own
    name; a perturbed quartile that would cross the median is shown at the median (the
    median always keeps its own perturbation)."""
    low, middle, high = (
        protect_stat(value, n, name=f"{name}:q{i}", bounds=bounds, digits=digits)
        for i, value in enumerate(quartiles)
    )
    if middle is None:
        return [low, middle, high]
    return [min(low, middle), middle, max(high, middle)]


def protect_share(numerator, denominator) -> float | None:
    """A percentage shown only when its numerator, its complement and its base are all safe.

    Percent of the shown (perturbed) counts, so share times base gives back a shown count,
    never a hidden one."""
    if denominator is None or numerator is None or denominator < k():
        return None
    if is_small(numerator) or is_small(denominator - numerator):
        return None
    top, base = shown_count(numerator), shown_count(denominator)
    return 100 * min(top, base) / base


@dataclass
class Row:
    """One row of a distribution table: a label and its count; `hidden` after protection.

    After `protect_table` n is the shown (perturbed) count, None when hidden."""

    key: str
    label: str
    n: int | None
    hidden: bool = False
    share: float | None = None  # percent of the table's total, None when hidden


# --- Linked tables: primary and complementary suppression ---


def protect_linked(values: dict, relations: list[tuple], weight=None) -> set:
    """Which cells to hide so that no hidden cell follows from the shown ones.

    `values` maps a cell id to its (true) count; each relation (total id, [member ids]) says
    that the total is the sum of the members. Cells of 1..K-1 are hidden (primary); then,
    until nothing changes, a relation in which exactly one non-zero cell is hidden hides its
    smallest other non-zero cell (complementary), and any hidden cell that the relations
    still determine exactly (linear algebra over the hidden cells) hides another cell beside
    it. Zero cells are never hidden and never hide others. `weight(cell)` (default 1)
    multiplies a cell's count into its cost: the cheapest visible cell is hidden first, so a
    heavy cell (a pooled total) is kept when a lighter one does the job."""
    weight = weight or (lambda cell: 1)
    hidden = {cell for cell, n in values.items() if is_small(n)}
    while True:
        changed = False
        for total, members in relations:
            line = [c for c in (total, *members) if values.get(c, 0)]
            if sum(1 for c in line if c in hidden) == 1:
                changed |= _hide_cheapest(line, values, hidden, weight)
        if not changed:
            determined = _determined(values, relations, hidden)
            if not determined:
                return hidden
            for cell in sorted(determined, key=str):
                lines = [(t, m) for t, m in relations if cell == t or cell in m]
                for total, members in lines:
                    line = [c for c in (total, *members) if values.get(c, 0)]
                    if _hide_cheapest(line, values, hidden, weight):
                        changed = True
                        break
                if changed:
                    break
            if not changed:  # nothing more can be hidden: hide the determined cells' lines
                return hidden | {c for t, m in relations for c in (t, *m) if values.get(c, 0)}


def _hide_cheapest(line: list, values: dict, hidden: set, weight) -> bool:
    visible = sorted(
        (c for c in line if c not in hidden), key=lambda c: (values[c] * weight(c), str(c))
    )
    if not visible:
        return False
    hidden.add(visible[0])
    return True


def _determined(values: dict, relations: list[tuple], hidden: set) -> set:
    """Hidden cells whose value the relations fix, given every shown cell."""
    unknown = sorted((c for c in hidden if values.get(c, 0)), key=str)
    if not unknown:
        return set()
    index = {c: i for i, c in enumerate(unknown)}
    rows = []
    for total, members in relations:
        row = [Fraction(0)] * len(unknown)
        if total in index:
            row[index[total]] += 1
        for m in members:
            if m in index:
                row[index[m]] -= 1
        if any(row):
            rows.append(row)
    pivots = _rref(rows, len(unknown))
    free = [j for j in range(len(unknown)) if j not in pivots]
    determined = set()
    for column, row in pivots.items():
        if all(row[j] == 0 for j in free):
            determined.add(unknown[column])
    return determined


def _rref(rows: list[list[Fraction]], width: int) -> dict[int, list[Fraction]]:
    """Reduced row echelon form; returns {pivot column: its row}."""
    pivots: dict[int, list[Fraction]] = {}
    r = 0
    for column in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][column]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        r += 1
    for i in range(r):
        column = next(j for j in range(width) if rows[i][j] != 0)
        pivots[column] = rows[i]
    return pivots


def protect_table(rows: list[Row], total=None) -> tuple[list[Row], bool]:
    """Protect a table whose total is shown beside its rows.

    Returns the rows (hidden flagged; n and share as shown) and whether the total is hidden.
    The total is the sum of the rows unless given (a multiple-choice table's respondents)."""
    total = sum(r.n for r in rows) if total is None else total
    # Cells named first by their respondents' record-key sum (a Tally's), so that of two
    # equal counts the same one is hidden whatever order the rows came in and whatever they
    # are called: the figures and the responses list a table's rows in different orders (a
    # state with a date range once hid one partner link from the figures and another from
    # the responses), and two tables of the same counts may key them differently (the
    # overview's links by name, in the page's language; the links page by id), which would
    # show each of the two in one of them. Then by the row's key and place (plain counts).
    cells = [
        ("row", f"{int(getattr(r.n, 'key', 0) or 0):024d}", str(r.key), i)
        for i, r in enumerate(rows)
    ]
    values = {cell: r.n for cell, r in zip(cells, rows, strict=True)}
    values["total"] = total
    additive = total == sum(r.n for r in rows)
    relations = [("total", cells)] if additive else []
    hidden = protect_linked(values, relations)
    apply_rows(rows, cells, hidden, total, "total" in hidden)
    return rows, "total" in hidden


def apply_rows(rows: list[Row], ids: list, hidden: set, total, total_hidden: bool) -> None:
    """Write the outcome of `protect_linked` into rows: flags, shown counts, shares of the
    shown total (None when the row or the total is hidden, or when the row's complement,
    total minus row in true counts, is 1..K-1: the rule of `protect_share`; a multiple-choice
    table has no additive relation, so suppression alone never hides such a row)."""
    shown_total = None if total_hidden else shown_count(total)
    for row, cell in zip(rows, ids, strict=True):
        true_n = row.n
        row.hidden = cell in hidden
        row.n = None if row.hidden else shown_count(true_n)
        if row.hidden or not shown_total or is_small(total - true_n):
            row.share = None
        else:
            row.share = 100 * min(row.n, shown_total) / shown_total


def _grid_weight(cell) -> int:
    """Costs of hiding in a grid: keep the grand total and the pooled column totals; rather
    hide a row total (one role's table total) than a cell inside it."""
    if cell == "grand":
        return 1000
    return {"column": 100, "cell": 2}.get(cell[0], 1)


def protect_grid(
    cells: dict[tuple[str, str], int],
    row_totals: dict[str, int] | None = None,
    column_totals: dict[str, int] | None = None,
) -> tuple[set, set, set, bool]:
    """Protect a two-way table with its row totals, column totals and grand total shown.

    Returns (hidden cells (row, column), hidden row keys, hidden column keys, grand total
    hidden). Totals default to the sums of the cells."""
    row_keys = sorted({r for r, _c in cells} | set(row_totals or {}))
    column_keys = sorted({c for _r, c in cells} | set(column_totals or {}))
    if row_totals is None:
        row_totals = {r: sum(n for (rr, _c), n in cells.items() if rr == r) for r in row_keys}
    if column_totals is None:
        column_totals = {c: sum(n for (_r, cc), n in cells.items() if cc == c) for c in column_keys}
    values: dict = {("cell", r, c): n for (r, c), n in cells.items()}
    values.update({("row", r): n for r, n in row_totals.items()})
    values.update({("column", c): n for c, n in column_totals.items()})
    values["grand"] = sum(row_totals.values())
    relations = []
    for r in row_keys:
        members = [("cell", r, c) for c in column_keys if ("cell", r, c) in values]
        if sum(values[m] for m in members) == values.get(("row", r), 0):
            relations.append((("row", r), members))
    for c in column_keys:
        members = [("cell", r, c) for r in row_keys if ("cell", r, c) in values]
        if sum(values[m] for m in members) == values.get(("column", c), 0):
            relations.append((("column", c), members))
    relations.append(("grand", [("row", r) for r in row_keys]))
    if sum(column_totals.values()) == values["grand"]:
        relations.append(("grand", [("column", c) for c in column_keys]))
    hidden = protect_linked(values, relations, _grid_weight)
    return (
        {(cell[1], cell[2]) for cell in hidden if isinstance(cell, tuple) and cell[0] == "cell"},
        {cell[1] for cell in hidden if isinstance(cell, tuple) and cell[0] == "row"},
        {cell[1] for cell in hidden if isinstance(cell, tuple) and cell[0] == "column"},
        "grand" in hidden,
    )
