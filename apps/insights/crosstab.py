"""Cross-tabs for staff: any two questions of the survey (single choice, multiple choice,
yes/no, rating scale), or a question by role, setting, state or partner link, as a table of
counts with row percentages and row, column and grand totals.

Every figure goes through the disclosure layer (apps/insights/disclosure.py):

- The grid is counted in SQL in one GROUP BY over (row value, column value) with the count
  and the sum of the respondents' record keys (a `Tally`), so each cell gets the cell-key
  noise of its own set of respondents.
- The margins are not counted again for the grid: they are the very figures the other
  dashboards show (a question's own distribution on the workforce profile, the crosswalk
  page's pooled codes, the overview's role, state, setting and partner-link tables, the
  overview's total), read from the same source, protected by the same code, shown with the
  same noise. A margin the other page shows is known to everyone: it is never hidden here
  and it stays in the relations as a known total. A margin the other page hides stays
  hidden here (forced hidden in `protect_linked`).
- Respondents who did not answer a question are a row or column of their own ("No answer"):
  without it the difference between a question's distribution and the grid's row total
  would be a count of people nobody protected.
- Complementary suppression (`protect_linked`) runs over the relations of the grid: each row
  adds up to its total (when the column question has one answer a respondent), each column
  to its total (when the row question has one answer a respondent), and the grand total is
  the sum of the answered total and the "No answer" margin of each axis.
- A row percentage is shown only when its cell and its row total are shown and
  `protect_share` allows it (numerator and complement not 1..K-1).

Number questions are not offered: the workforce profile shows them as means and quartiles,
with no bands a cross-tab could share.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.surveys.models import Choice, Question

from . import selectors
from .cube import several_a_respondent
from .disclosure import Tally, is_small, key_sum, protect_linked, protect_share, shown_count
from .sources import CubeSource, RawSource, collector_names, scoped_responses, source_for

QUESTION_TYPES = (
    Question.Type.SINGLE_CHOICE,
    Question.Type.MULTI_CHOICE,
    Question.Type.YES_NO,
    Question.Type.SCALE,
)
# Questions that are the dimensions below (the overview's tables count the response's own
# role and setting): offered once, as the dimension.
DIMENSION_QUESTIONS = ("role", "setting")
DIMENSIONS = {
    "role": gettext_lazy("Main role"),
    "setting": gettext_lazy("Setting"),
    "state": gettext_lazy("State"),
    "collector": gettext_lazy("Partner link"),
}
NO_ANSWER = "__none__"
# Larger grids take too long to protect (linear algebra over the hidden cells).
MAX_CELLS = 1500
PROTECTION_VERSION = 1  # bump when the protection changes: cached outcomes are keyed on it
CROSSWALK_KEY = "crosswalk_code"


class CrossTabError(ValueError):
    """A cross-tab that cannot be drawn; the message is for the user, translated."""


@dataclass
class Cell:
    n: int | None
    hidden: bool
    share: float | None = None


@dataclass
class Line:
    key: str
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class CrossTab:
    row_axis: str
    column_axis: str
    row_title: str
    column_title: str
    columns: list[tuple[str, str]]
    rows: list[Line]
    column_totals: list[Cell]
    grand: Cell
    multi_columns: bool = False
    multi_rows: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def caption(self) -> str:
        return _("%(rows)s (rows) by %(columns)s (columns)") % {
            "rows": self.row_title,
            "columns": self.column_title,
        }


def axis_choices() -> list[tuple[str, str]]:
    """(value, label) of everything staff may cross: the dimensions, then the questions of
    the live survey versions (survey order) that a cross-tab can count."""
    return axis_choices_from(selectors.labels(), question_types())


def question_types() -> dict[str, str]:
    """Type of each question key (the newest version's type when versions differ)."""
    return dict(Question.objects.order_by("version__number").values_list("key", "type"))


def validate(row_axis: str, column_axis: str, allowed: dict) -> None:
    """Raise CrossTabError (a translated message) for an axis that cannot be crossed."""
    for value in (row_axis, column_axis):
        if value not in allowed:
            raise CrossTabError(
                _(
                    "“%(key)s” is not a question or grouping that can be crossed. "
                    "Pick one from the list."
                )
                % {"key": value[:60]}
            )
    if row_axis == column_axis:
        raise CrossTabError(
            _("Pick two different questions: a question crossed with itself says nothing.")
        )
    if {row_axis, column_axis} == {CROSSWALK_KEY, "role"}:
        # The crosswalk page shows this very table, protected with its pooled codes.
        raise CrossTabError(
            _("The crosswalk page shows the occupation chosen by main role: open it there.")
        )


# --- Counting ---


_DIMENSION_VALUE = {
    "role": F("role__slug"),
    "setting": F("setting"),
    "state": F("state"),
    "collector": F("collector_id"),
}


def grid_counts(
    params: dict,
    row_axis: str,
    column_axis: str,
    question_ids: dict,
    source=None,
    types: dict[str, str] | None = None,
) -> dict:
    """{(row value, column value): Tally} in one GROUP BY (and one query for the choice
    codes); NO_ANSWER for a question not answered. An answer counts as the margins count it
    (apps/insights/cube.py, answered_value): its choice's code, or yes/no.

    A question by main role is read from the pre-aggregated figures when `source` is them
    (they split every count by role): see _role_grid. `types`: the question types, when the
    caller holds them already (question_types())."""
    if isinstance(source, CubeSource) and "role" in (row_axis, column_axis):
        other = column_axis if row_axis == "role" else row_axis
        if other not in _DIMENSION_VALUE:
            qtype = (question_types() if types is None else types).get(other, "")
            by_role = _role_grid(source, other, qtype)
            if row_axis == "role":
                return by_role
            return {(value, role): n for (role, value), n in by_role.items()}
    responses = scoped_responses(params)
    relations = {}
    columns = {}
    for name, axis in (("a", row_axis), ("b", column_axis)):
        if axis in _DIMENSION_VALUE:
            columns[f"{name}_v"] = _DIMENSION_VALUE[axis]
            continue
        alias = f"ct_{name}"
        relations[alias] = FilteredRelation(
            "answers",
            condition=Q(answers__question_id__in=question_ids[axis])
            & (Q(answers__choice__isnull=False) | Q(answers__bool_value__isnull=False)),
        )
        # The choice's id, not its code: a join to the choices from a filtered relation is
        # put before it by Django (invalid SQL); the codes are read in one query below.
        columns[f"{name}_c"] = F(f"{alias}__choice_id")
        columns[f"{name}_b"] = F(f"{alias}__bool_value")
    rows = list(
        responses.annotate(**relations)
        .values(**columns)
        .annotate(n=Count("pk"), ck=key_sum("pk"))
        .order_by()
    )
    all_ids = [pk for ids in question_ids.values() for pk in ids]
    codes = dict(Choice.objects.filter(question_id__in=all_ids).values_list("pk", "value"))
    result = {}
    for row in rows:
        pair = tuple(
            _value(row, name, axis, codes) for name, axis in (("a", row_axis), ("b", column_axis))
        )
        result[pair] = result.get(pair, Tally(0)) + Tally(row["n"], row["ck"])
    return result


def _role_grid(source: CubeSource, key: str, qtype: str) -> dict:
    """{(role, value): Tally} of one question by main role, from the pre-aggregated figures:
    the choice counts by role, and "No answer" the role's respondents less those who
    answered (counted once each for a multiple-choice question, the sum of the counts
    otherwise: one answer a respondent). The key sums subtract as the counts do, so each
    cell has the record-key sum of its own respondents, as counted from the responses."""
    cells = {cell: n for cell, n in source.by_role("choice", key).items() if n}
    if qtype in several_a_respondent():
        answered = {role: n for (role, _item), n in source.by_role("answered", key).items()}
    else:
        answered = {}
        for (role, _value), n in cells.items():
            answered[role] = answered.get(role, Tally(0)) + n
    for role, total in source.profile("role"):
        done = answered.get(role, Tally(0))
        if int(total) > int(done):
            cells[role, NO_ANSWER] = Tally(int(total) - int(done), total.key - done.key)
    return cells


def _value(row: dict, name: str, axis: str, codes: dict) -> str:
    if axis in _DIMENSION_VALUE:
        value = row[f"{name}_v"]
        return "" if value is None else str(value)
    choice, answer = row[f"{name}_c"], row[f"{name}_b"]
    if choice is not None:
        return codes[choice]
    if answer is not None:
        return "yes" if answer else "no"
    return NO_ANSWER


@dataclass
class Margin:
    """One axis's categories as the other dashboards show them."""

    order: list[str]
    labels: dict[str, str]
    counts: dict[str, int]  # true tallies
    hidden: set  # categories the other dashboard hides
    answered: int | None = None  # respondents who answered (questions)
    answered_hidden: bool = False
    multi: bool = False


def _subtract(a, b) -> Tally:
    return Tally(int(a) - int(b), getattr(a, "key", 0) - getattr(b, "key", 0))


def _dimension_margin(source, axis: str, lab) -> Margin:
    """The overview's table of this dimension, protected by the overview's own code."""
    counts = source.profile(axis)
    if axis == "collector":
        names = collector_names([value for value, _n in counts])
        named = [(names.get(value, _("Portal home page")), n) for value, n in counts]
        table = selectors._table("", named, {}, key=axis)
        hidden_names = {r.key for r in table.rows if r.hidden}
        hidden = {
            value for value, _n in counts if names.get(value, _("Portal home page")) in hidden_names
        }
        labels = {value: names.get(value, _("Portal home page")) for value, _n in counts}
        order = sorted(labels, key=lambda v: (labels[v].lower(), v))
    else:
        label_map = lab.choices.get(axis, {}) if axis in ("role", "setting") else {}
        table = selectors._table("", counts, label_map, key=axis)
        hidden = {r.key for r in table.rows if r.hidden}
        labels = {str(v): label_map.get(str(v), str(v) or _("No answer")) for v, _n in counts}
        known = list(label_map)
        order = sorted(labels, key=lambda v: (known.index(v) if v in known else len(known), v))
    return Margin(order, labels, {str(v): n for v, n in counts}, hidden)


def _question_margin(table, counts: dict, answered, lab, key: str, multi: bool) -> Margin:
    known = list(lab.choices.get(key, {}))
    order = sorted(counts, key=lambda v: (known.index(v) if v in known else len(known), v))
    labels = {v: lab.choices.get(key, {}).get(v, v) for v in order}
    return Margin(
        order,
        labels,
        dict(counts),
        {r.key for r in table.rows if r.hidden},
        answered=answered,
        answered_hidden=table.total_hidden,
        multi=multi,
    )


# --- Protection ---


def _protect(
    cells: dict, rows: Margin, columns: Margin, grand, grand_known: bool, forced=frozenset()
):
    """Run protect_linked over the grid and its margins. Returns (hidden cells (r, c),
    hidden row keys, hidden column keys). `forced`: cells (r, c) another page hides."""
    values: dict = {("cell", r, c): n for (r, c), n in cells.items()}
    for r, c in forced:
        if cells.get((r, c)):
            values[("cell", r, c)] = 1  # a stand-in small count: hidden from the start
    # A row or column of 1..K-1 people hides all its cells, zeros too: a zero shown beside
    # hidden cells tells what those few people answered (or did not). A hidden zero counts
    # as a hidden cell for the protection (a stand-in 1), so it is not worked out either.
    for r in rows.order:
        for c in columns.order:
            if is_small(rows.counts[r]) or is_small(columns.counts[c]):
                values[("cell", r, c)] = cells.get((r, c)) or 1
    relations = []
    for side, margin in (("row", rows), ("col", columns)):
        ids = {}
        for key, n in margin.counts.items():
            cell_id = (side, key)
            ids[key] = cell_id
            if key in margin.hidden and n:
                # Hidden on its own dashboard: stays hidden here (a stand-in small count
                # marks it hidden for protect_linked; its size is never compared).
                values[cell_id] = 1
            elif key == NO_ANSWER and not _no_answer_known(margin, grand_known):
                values[cell_id] = n
            # else: shown on another page, a known total (kept out of `values`).
        if margin.answered is not None:
            answered_id = (side, "__answered__")
            if margin.answered_hidden and margin.answered:
                values[answered_id] = 1
            relations.append(("__grand__", [answered_id, (side, NO_ANSWER)]))
            if not margin.multi:
                relations.append(
                    (answered_id, [ids[key] for key in margin.order if key != NO_ANSWER])
                )
        elif not margin.multi:
            relations.append(("__grand__", [ids[key] for key in margin.order]))
    if not grand_known and grand:
        values["__grand__"] = 1
    row_keys = rows.order
    column_keys = columns.order
    if not columns.multi:
        for r in row_keys:
            relations.append((("row", r), [("cell", r, c) for c in column_keys]))
    if not rows.multi:
        for c in column_keys:
            relations.append((("col", c), [("cell", r, c) for r in row_keys]))
    # A cell alone in a line whose total other pages show is that total: known to everyone,
    # whatever this table does (shown when at least K). Left out of the protection, it does
    # not make protect_linked hide the whole grid for a figure nobody can hide any more.
    known = set()
    for total, members in relations:
        nonzero = [m for m in members if values.get(m, 0) or m not in values and m[0] != "cell"]
        if total not in values and len(nonzero) == 1 and nonzero[0][0] == "cell":
            known.add(nonzero[0])
    for cell in known:
        values.pop(cell, None)
    hidden = protect_linked(values, relations)
    hidden |= {cell for cell in known if is_small(cells[(cell[1], cell[2])])}
    return (
        {(cell[1], cell[2]) for cell in hidden if isinstance(cell, tuple) and cell[0] == "cell"},
        {cell[1] for cell in hidden if isinstance(cell, tuple) and cell[0] == "row"},
        {cell[1] for cell in hidden if isinstance(cell, tuple) and cell[0] == "col"},
    )


def _no_answer_known(margin: Margin, grand_known: bool) -> bool:
    """The "No answer" margin is the shown total minus the shown answered total."""
    return grand_known and margin.answered is not None and not margin.answered_hidden


# --- The cross-tab ---


def check_axes(row_axis: str, column_axis: str) -> None:
    """Raise CrossTabError for axes that cannot be crossed (no figure is read)."""
    validate(row_axis, column_axis, dict(axis_choices_from(selectors.labels(), question_types())))


def crosstab(params: dict, row_axis: str, column_axis: str) -> CrossTab:
    """The protected cross-tab of two axes (question keys or dimension names) under the
    dashboards' filters. Raises CrossTabError for axes that cannot be crossed."""
    types = question_types()
    lab = selectors.labels()
    allowed = dict(axis_choices_from(lab, types))
    validate(row_axis, column_axis, allowed)
    axes = (row_axis, column_axis)
    question_keys = tuple(a for a in axes if a not in DIMENSIONS)
    question_ids: dict[str, list[int]] = {key: [] for key in question_keys}
    if question_keys:
        for pk, key in Question.objects.filter(key__in=question_keys).values_list("pk", "key"):
            question_ids[key].append(pk)
    source = source_for(params)
    cells = grid_counts(params, row_axis, column_axis, question_ids, source, types)
    margins, grand = _margins(source, axes, question_keys, lab, types, params)
    if not _consistent(cells, margins, grand, row_axis, column_axis):
        # The pre-aggregated figures lag behind the responses: read the margins from the
        # responses, as the grid was.
        margins, grand = _margins(RawSource(params), axes, question_keys, lab, types, params)
    rows, columns = margins[row_axis], margins[column_axis]
    if not _consistent(cells, margins, grand, row_axis, column_axis):
        raise CrossTabError(_("The answers changed while the table was counted. Reload the page."))
    if len(rows.order) * len(columns.order) > MAX_CELLS:
        raise CrossTabError(
            _(
                "This table would have %(n)s cells, more than %(max)s. Filter the responses "
                "or pick a question with fewer answers."
            )
            % {"n": len(rows.order) * len(columns.order), "max": MAX_CELLS}
        )
    grand_known = not is_small(grand)
    if is_small(grand):
        hidden_cells = {cell for cell, n in cells.items() if n}
        hidden_rows = set(rows.order)
        hidden_columns = set(columns.order)
    else:
        forced = filtered_page_hidden(cells, rows, columns, row_axis, column_axis, lab)
        hidden_cells, hidden_rows, hidden_columns = _protect_canonical(
            cells, rows, columns, grand, grand_known, (row_axis, column_axis), forced
        )
    hidden_rows |= rows.hidden | {key for key in rows.order if is_small(rows.counts[key])}
    hidden_columns |= columns.hidden | {
        key for key in columns.order if is_small(columns.counts[key])
    }
    grand_hidden = is_small(grand)
    lines = []
    for r in rows.order:
        row_total = rows.counts[r]
        row_hidden = r in hidden_rows or grand_hidden
        line_cells = []
        for c in columns.order:
            n = cells.get((r, c), Tally(0))
            # Fewer than K people in all: every cell hidden, zeros too (a zero would say
            # what those few people answered).
            hidden = (r, c) in hidden_cells or grand_hidden
            share = None
            if not hidden and not row_hidden:
                share = protect_share(n, row_total)
            line_cells.append(Cell(None if hidden else shown_count(n), hidden, share))
        lines.append(
            Line(
                key=r,
                label=rows.labels[r],
                cells=line_cells,
                total=Cell(None if row_hidden else shown_count(row_total), row_hidden),
            )
        )
    column_totals = []
    for c in columns.order:
        n = columns.counts[c]
        hidden = c in hidden_columns or grand_hidden
        share = None if hidden else protect_share(n, grand)
        column_totals.append(Cell(None if hidden else shown_count(n), hidden, share))
    notes = []
    if columns.multi:
        notes.append(
            _(
                "Respondents could choose several answers in the columns: "
                "a row's percentages can add up to more than 100."
            )
        )
    if rows.multi:
        notes.append(
            _(
                "Respondents could choose several answers in the rows: "
                "a respondent can be counted in more than one row."
            )
        )
    return CrossTab(
        row_axis=row_axis,
        column_axis=column_axis,
        row_title=allowed[row_axis],
        column_title=allowed[column_axis],
        columns=[(c, columns.labels[c]) for c in columns.order],
        rows=lines,
        column_totals=column_totals,
        grand=Cell(None if grand_hidden else shown_count(grand), grand_hidden),
        multi_columns=columns.multi,
        multi_rows=rows.multi,
        notes=notes,
    )


def axis_choices_from(lab, types: dict) -> list[tuple[str, str]]:
    questions = [
        (key, str(text))
        for key, text in lab.questions.items()
        if types.get(key) in QUESTION_TYPES and key not in DIMENSION_QUESTIONS
    ]
    return [(key, str(label)) for key, label in DIMENSIONS.items()] + questions


def _margins(source, axes, question_keys, lab, types, params) -> tuple[dict, int]:
    """Each axis's margin as its own dashboard shows it, and the grand total."""
    grand = source.total()
    margins = {}
    if question_keys:
        counts, answered = source.choices(question_keys)
        tables = selectors.choice_tables(source, question_keys, lab)
        for key in question_keys:
            table = tables[key]
            if key == CROSSWALK_KEY:  # the crosswalk page protects its pooled table itself
                table = selectors.crosswalk(params)["pooled"]
            margins[key] = _question_margin(
                table,
                counts[key],
                answered[key],
                lab,
                key,
                types.get(key) == Question.Type.MULTI_CHOICE,
            )
    for axis in axes:
        if axis in DIMENSIONS:
            margins[axis] = _dimension_margin(source, axis, lab)
    for key in question_keys:
        margin = margins[key]
        no_answer = _subtract(grand, margin.answered)
        if no_answer:
            margin.counts[NO_ANSWER] = no_answer
            margin.order.append(NO_ANSWER)
            margin.labels[NO_ANSWER] = _("No answer")
    return margins, grand


def _consistent(cells: dict, margins: dict, grand, row_axis: str, column_axis: str) -> bool:
    """Whether the grid adds up to the margins (they were read at different moments, and
    the margins perhaps from the pre-aggregated figures)."""
    rows, columns = margins[row_axis], margins[column_axis]
    if any(r not in rows.counts or c not in columns.counts for r, c in cells):
        return False
    if not columns.multi:
        for r in rows.order:
            if sum(int(n) for (rr, _c), n in cells.items() if rr == r) != int(rows.counts[r]):
                return False
    if not rows.multi:
        for c in columns.order:
            if sum(int(n) for (_r, cc), n in cells.items() if cc == c) != int(columns.counts[c]):
                return False
    for margin in (rows, columns):
        if not margin.multi and sum(int(n) for n in margin.counts.values()) != int(grand):
            return False
    return True


def _protect_canonical(cells, rows, columns, grand, grand_known, axes, forced=frozenset()):
    """`_protect` in one orientation whatever the order the axes were asked in, so that a
    table and its transpose hide the same cells.

    The outcome is cached under a keyed hash of everything it depends on (the counts, the
    margins' hidden flags): the same figures give the same answer, so nothing goes stale,
    and a large grid (seconds of linear algebra) is protected once."""
    digest = hashlib.sha256(
        repr(
            (
                PROTECTION_VERSION,
                settings.SECRET_KEY,
                settings.SUPPRESSION_MIN_N,
                sorted(axes),
                sorted((str(key), int(n)) for key, n in cells.items()),
                [sorted((k, int(n)) for k, n in m.counts.items()) for m in (rows, columns)],
                [sorted(m.hidden) for m in (rows, columns)],
                [
                    (m.answered is None or int(m.answered), m.answered_hidden)
                    for m in (rows, columns)
                ],
                int(grand),
                grand_known,
                sorted(forced),
            )
        ).encode()
    ).hexdigest()
    key = f"insights:crosstab-protection:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = _protect_oriented(cells, rows, columns, grand, grand_known, axes, forced)
        cache.set(key, cached, timeout=24 * 3600)
    return cached


def _protect_oriented(cells, rows, columns, grand, grand_known, axes, forced):
    if list(axes) == sorted(axes):
        return _protect(cells, rows, columns, grand, grand_known, forced)
    flipped = {(c, r): n for (r, c), n in cells.items()}
    hidden_cells, hidden_columns, hidden_rows = _protect(
        flipped, columns, rows, grand, grand_known, {(c, r) for r, c in forced}
    )
    return {(r, c) for c, r in hidden_cells}, hidden_rows, hidden_columns


def filtered_page_hidden(cells, rows: Margin, columns: Margin, row_axis, column_axis, lab) -> set:
    """Cells the dashboards hide when filtered on one category of a grouping.

    A question's table on the workforce profile filtered to role r (or a state, setting or
    partner link) is row r of role x question: the same respondents, so the same counts and
    the same noise. It is protected on its own (`choice_tables`), and a complement it hides
    must stay hidden here too, or the filtered page's hidden cell would follow from this
    grid. Rebuilt here from the grid's own counts, in the order and with the total
    `choice_tables` uses, through the same `_table`; no query."""
    forced = set()
    for dimension, question, flip in (
        (row_axis, column_axis, False),
        (column_axis, row_axis, True),
    ):
        if dimension not in DIMENSIONS or question in DIMENSIONS:
            continue
        lines, others = (columns, rows) if flip else (rows, columns)
        for d in lines.order:
            if d == "":  # no filter selects a blank state, setting or partner link
                continue
            counts = {}
            for x in others.order:
                n = cells.get((x, d) if flip else (d, x))
                if n and x != NO_ANSWER:
                    counts[x] = n
            if not counts:
                continue
            no_answer = cells.get((NO_ANSWER, d) if flip else (d, NO_ANSWER), Tally(0))
            answered = _subtract(lines.counts[d], no_answer)
            order = list(lab.choices.get(question, {}))
            ordered = sorted(
                counts.items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order)
            )
            table = selectors._table("", ordered, {}, total=answered, keep_order=True)
            for row in table.rows:
                if row.hidden:
                    forced.add((row.key, d) if flip else (d, row.key))
    return forced
