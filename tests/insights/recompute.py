"""An independent recomputation of the dashboards' figures from the responses export alone.

Written without the app's selectors, sources, cube or formatting: the CSV is read with the
csv module and every figure is computed here from its columns, so a figure that the app
computes wrongly (or a column the export lacks) shows up as a mismatch. The only things
taken from elsewhere are the rules written down in the README: K (small cells), the O*NET
core rule, half-up rounding, and the export's codebook (column names).
"""

import math
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CORE_RELEVANCE = 67
CORE_IMPORTANCE = 3


def fmt(value, digits: int) -> str:
    """Half-up rounding of the value as printed ("—" for None)."""
    if value is None:
        return "—"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return str(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def fmt_beside(value, threshold, digits: int) -> str:
    """As fmt, with as many more digits as it takes to keep the figure on its side of the
    threshold (the rule stated on the duties page)."""
    if value is None:
        return "—"
    for extra in range(7):
        text = fmt(value, digits + extra)
        if (Decimal(text) >= threshold) == (value >= threshold):
            return text
    return text


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    position = p * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def suppressed(
    counts: dict[str, int], k: int, total: int | None = None, prefer=frozenset()
) -> tuple[set, bool]:
    """Which cells a table of counts hides (primary: 1..k-1; complementary: the smallest
    other non-zero cell when exactly one is hidden and the cells add up to the total shown),
    and whether its total is hidden. The rule does not say which of several equally small
    cells is the complement: one of them in `prefer` (the cells the page hid) is taken when
    there is one."""
    additive = total is None or total == sum(counts.values())
    total = sum(counts.values()) if total is None else total
    if 0 < total < k:
        return {key for key, n in counts.items() if n > 0}, True
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if len(hidden) == 1 and additive:
        rest = sorted(
            (n, key not in prefer, key) for key, n in counts.items() if key not in hidden and n > 0
        )
        if rest:
            hidden.add(rest[0][2])
    return hidden, False


class Export:
    """The rows of a responses export (code values), and the figures they give."""

    def __init__(self, rows: list[dict], codebook: list[dict], *, flagged: bool = False):
        self.all = rows
        self.codebook = {row["column"]: row for row in codebook}
        self.flagged = flagged
        # Counted in the figures: complete, not excluded, not a volunteer (eligibility
        # "volunteer"), not flagged unless included. Worked out from the status, excluded,
        # eligibility and flag columns (and checked against "counted").
        self.rows = [r for r in rows if self.is_counted(r)]

    def is_counted(self, row: dict) -> bool:
        flagged = row["flag_too_fast"] == "1" or row["flag_duplicate"] == "1"
        return (
            row["status"] == "complete"
            and row["excluded"] == "0"
            and row.get("eligibility") != "volunteer"
            and (self.flagged or not flagged)
        )

    # --- distributions ---

    def column_values(self, column: str) -> Counter:
        return Counter(r[column] for r in self.rows if r.get(column, "") != "")

    def all_choices(self, column: str) -> Counter:
        """column_values with every code the codebook lists for the column at 0 when unused
        (the dashboards list every choice whatever the filters)."""
        counts = self.column_values(column)
        text = self.codebook.get(column, {}).get("values", "") or ""
        for part in text.split("; "):
            if " = " in part:
                counts.setdefault(part.split(" = ", 1)[0].strip(), 0)
        return counts

    def multi(self, key: str) -> tuple[Counter, int]:
        """Counts per choice of a multiple-choice question, and respondents who chose any."""
        columns = [
            c
            for c in self.codebook
            if c.startswith(f"{key}_")
            and c != f"{key}_other_text"
            and self.codebook[c]["type"] == "0/1"
        ]
        counts = Counter()
        answered = 0
        for r in self.rows:
            chosen = [c[len(key) + 1 :] for c in columns if r.get(c) == "1"]
            counts.update(chosen)
            answered += bool(chosen)
        return counts, answered

    def numbers(self, column: str) -> list[float]:
        return [float(r[column]) for r in self.rows if r.get(column, "") != ""]

    def summary(self, column: str) -> dict:
        values = self.numbers(column)
        if not values:
            return {"n": 0, "mean": None, "p25": None, "median": None, "p75": None}
        return {
            "n": len(values),
            "mean": sum(values) / len(values),
            "p25": percentile(values, 0.25),
            "median": percentile(values, 0.5),
            "p75": percentile(values, 0.75),
        }

    # --- tasks ---

    def task_codes(self) -> list[str]:
        return [c[: -len("_relevant")] for c in self.codebook if c.endswith("_relevant")]

    def task(self, code: str, rows=None) -> dict | None:
        rows = self.rows if rows is None else rows
        rated = [r for r in rows if r.get(f"{code}_relevant", "") != ""]
        if not rated:
            return None
        yes = [r for r in rated if r[f"{code}_relevant"] == "1"]
        importance = [int(r[f"{code}_importance"]) for r in yes]
        frequency = Counter(int(r[f"{code}_frequency"]) for r in yes)
        mean = sd = low = high = None
        if yes:
            mean = sum(importance) / len(yes)
            if len(yes) > 1:
                sd = math.sqrt(sum((x - mean) ** 2 for x in importance) / (len(yes) - 1))
                half = 1.96 * sd / math.sqrt(len(yes))
                low, high = max(1.0, mean - half), min(5.0, mean + half)  # within the scale
        relevance = 100 * len(yes) / len(rated)
        core = mean is not None and relevance >= CORE_RELEVANCE and mean >= CORE_IMPORTANCE
        return {
            "n": len(rated),
            "yes": len(yes),
            "relevance": relevance,
            "mean": mean,
            "sd": sd,
            "low": low,
            "high": high,
            "frequency": {c: 100 * frequency[c] / len(yes) if yes else None for c in range(1, 8)},
            "frequency_n": {c: frequency[c] for c in range(1, 8)},
            "modal": max(range(1, 8), key=lambda c: (frequency[c], -c)) if yes else None,
            "class": "core" if core else "supplemental",
        }

    # --- crosswalk ---

    def fit_by_code(self) -> dict[str, tuple[int, float]]:
        sums: dict[str, list[float]] = {}
        for r in self.rows:
            if r.get("crosswalk_fit", "") != "" and r.get("crosswalk_code", "") != "":
                sums.setdefault(r["crosswalk_code"], []).append(float(r["crosswalk_fit"]))
        return {code: (len(v), sum(v) / len(v)) for code, v in sums.items()}

    def crosswalk_by_role(self) -> dict[str, Counter]:
        result: dict[str, Counter] = {}
        for r in self.rows:
            if r.get("crosswalk_code", "") != "":
                result.setdefault(r["profile_role"], Counter())[r["crosswalk_code"]] += 1
        return result

    # --- overview ---

    def funnel_rows(self) -> list[dict]:
        """The rows the funnel counts: complete or in progress, not excluded, not of a
        volunteer, not flagged unless included."""
        return [
            r
            for r in self.all
            if r["status"] in ("complete", "in_progress")
            and r["excluded"] == "0"
            and r.get("eligibility") != "volunteer"
            and (self.flagged or (r["flag_too_fast"] != "1" and r["flag_duplicate"] != "1"))
        ]

    def weekly(self) -> tuple[Counter, Counter]:
        """(complete by week submitted, started-not-finished by week started), weeks from
        Monday."""

        def monday(stamp: str) -> date:
            day = date.fromisoformat(stamp[:10])
            return day - timedelta(days=day.weekday())

        complete = Counter(monday(r["submitted_at"]) for r in self.rows)
        partial = Counter(
            monday(r["started_at"]) for r in self.funnel_rows() if r["status"] == "in_progress"
        )
        return complete, partial

    def funnel(self, page_order: list[str], pages_of_version: dict[str, list[str]]) -> dict:
        """Responses that reached each page (complete ones reached every page of their
        version), over the rows the funnel counts: complete or in progress, not excluded,
        not flagged unless included."""
        rows = self.funnel_rows()
        reached = Counter()
        for r in rows:
            keys = pages_of_version[r["version"]]
            if r["status"] == "complete":
                upto = len(keys)
            else:
                upto = keys.index(r["last_page"]) + 1 if r["last_page"] in keys else 0
            reached.update(keys[:upto])
        result = {"started": len(rows), "complete": sum(r["status"] == "complete" for r in rows)}
        result.update({key: reached[key] for key in page_order})
        return result


# --- cross-tabs ---

NO_ANSWER = "(no answer)"
PROFILE_COLUMNS = {
    "role": "profile_role",
    "setting": "profile_setting",
    "state": "profile_state",
    "collector": "collector",
}


def _values_of(export: Export, row: dict, axis: str) -> list[str]:
    """The categories a respondent falls in on one axis of a cross-tab: the profile column
    of a grouping, the code of a one-answer question, every choice of a multiple-choice
    question (its 0/1 columns), or "no answer"."""
    if axis in PROFILE_COLUMNS:
        return [row[PROFILE_COLUMNS[axis]]]
    columns = [
        c
        for c in export.codebook
        if c.startswith(f"{axis}_")
        and c != f"{axis}_other_text"
        and export.codebook[c]["type"] == "0/1"
    ]
    if columns:
        chosen = [c[len(axis) + 1 :] for c in columns if row.get(c) == "1"]
        return chosen or [NO_ANSWER]
    value = row.get(axis, "")
    return [value] if value != "" else [NO_ANSWER]


def crosstab(export: Export, row_axis: str, column_axis: str):
    """(cells {(row, column): n}, row totals, column totals, grand total) counted from the
    export's rows: a respondent counts once in each pair of categories it falls in."""
    cells, rows, columns = Counter(), Counter(), Counter()
    for r in export.rows:
        mine = _values_of(export, r, row_axis)
        theirs = _values_of(export, r, column_axis)
        rows.update(mine)
        columns.update(theirs)
        cells.update((a, b) for a in mine for b in theirs)
    return cells, rows, columns, len(export.rows)
