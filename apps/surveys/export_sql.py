"""The responses CSV on PostgreSQL: the pivot of the answers into wide rows done by the database.

The Python path (`ResponsesExporter._rows`) reads every answer row (4.2 million for 100,000
responses) and walks each version's plan per response: 110 microseconds a response, five times
what PostgreSQL takes to COPY the same rows. Here PostgreSQL groups the answers per response and
hands back, per response, what goes where, already formatted as the CSV writer would format it:

- the fixed columns as texts (ISO dates in the current time zone, 0/1 flags, `counted`),
- the cells of the answers as (position, text) arrays, texts neutralized against formula
  injection in SQL exactly as `apps.core.csvsafe.neutralize` does, numbers as
  `export_number` writes them (`trim_scale`), choices as (position, choice id) pairs looked up
  in a table of cells worked out once in Python (code or label, as the Python path writes it),
- a bit set of the skip-logic conditions the multi-choice questions depend on (which condition
  leaves the response's answers meet, which multi-choice questions it answered): the 0s of a
  multi-choice question shown on the path come from one blank row per (version, bit set),
  worked out once with the same `condition_met` logic,
- the task ratings as arrays.

Python then only copies a blank row, drops the cells in at their positions and hands the row to
csv.writer (no `_csv_row` pass: every text is already neutralized). "First answer wins" types
(single choice, yes/no, number, text) get their answers newest first, so the first is written
last; "last answer wins" types (multi-choice "other", state and ZIP3, time use) oldest first.

`plan()` returns None (the caller keeps the Python path) on SQLite, when a question type's
export or skip-logic value is one this module does not know, when two items of a version would
write the same column, or when the current time zone has no IANA name. The Python path stays
the reference: tests/exports/test_sql_csv.py compares the two cell for cell.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone

from apps.core.csvsafe import neutralize
from apps.core.exporting import streaming_reads

from .models import Response
from .qtypes.base import SimpleType
from .qtypes.multi_choice import MultiChoice
from .qtypes.number import Number
from .qtypes.short_text import ShortText
from .qtypes.single_choice import SingleChoice
from .qtypes.state_zip import StateZip
from .qtypes.task_matrix import TaskMatrix
from .qtypes.time_use import TimeUse
from .qtypes.yes_no import YesNo

CURSOR_ROWS = 1000  # rows a FETCH reads
READ_AHEAD = 2  # batches fetched ahead of the row assembly, per cursor
BLANK_ROWS = 1000  # blank rows kept, one per (version, skip-logic bit set) met

# Every character str.isspace() counts (what str.lstrip() strips in `neutralize`).
_SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
# `neutralize` as a PostgreSQL regular expression: a tab or CR first, or = + - @ after any
# leading whitespace. Passed as a query parameter (it holds control characters).
NEUTRALIZE_PATTERN = "^([\t\r]|[" + _SPACES + "]*[-=+@])"

# Item kinds: how a question type's export_fill writes its answers.
SINGLE, YES_NO, MULTI, NUMBER, TEXT, STATE_ZIP, TIME_USE = range(1, 8)
_KINDS = {
    SingleChoice.export_fill: SINGLE,
    YesNo.export_fill: YES_NO,
    MultiChoice.export_fill: MULTI,
    Number.export_fill: NUMBER,
    ShortText.export_fill: TEXT,
    StateZip.export_fill: STATE_ZIP,
    TimeUse.export_fill: TIME_USE,
}
# Skip-logic values (QuestionType.condition_value) this module can test in SQL.
_CHOICE_VALUE, _YES_NO_VALUE, _STATE_VALUE = (
    SingleChoice.condition_value,
    YesNo.condition_value,
    StateZip.condition_value,
)
_NO_VALUE = (SimpleType.condition_value, TaskMatrix.condition_value)
MAX_BITS = 62


class Unsupported(Exception):
    """Something the SQL path does not reproduce: the caller keeps the Python path."""


def _neut(expr: str) -> str:
    return f"(CASE WHEN {expr} ~ %(pattern)s THEN '''' || {expr} ELSE {expr} END)"


def _number(expr: str) -> str:
    return f"trim_scale({expr})::text"


def _iso(name: str) -> str:
    """`timezone.localtime(value).isoformat(timespec="seconds")` in SQL for the response's
    date-time `name`, from its local time `t.<name>_local` and UTC offset in seconds
    `t.<name>_offset` (worked out once per row in `_local_times`; NULL stays NULL)."""
    local, offset = f"t.{name}_local", f"t.{name}_offset"
    return (
        f"(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN {offset} < 0 THEN '-' ELSE '+' END"
        f" || lpad((abs({offset}) / 3600)::text, 2, '0')"
        f" || ':' || lpad((mod(abs({offset}), 3600) / 60)::text, 2, '0')"
        f" || CASE WHEN mod({offset}, 60) <> 0"
        f" THEN ':' || lpad(mod(abs({offset}), 60)::text, 2, '0') ELSE '' END)"
    )


def _local_times(names: tuple[str, ...]) -> str:
    """A lateral subquery giving each date-time's local time and UTC offset (seconds) in
    the current time zone (the fence, OFFSET 0, keeps them computed once per row)."""
    parts = []
    for name in names:
        local = f"(r.{name} AT TIME ZONE %(tz)s)"
        parts.append(f"{local} AS {name}_local")
        parts.append(
            f"extract(epoch FROM {local} - (r.{name} AT TIME ZONE 'UTC'))::int AS {name}_offset"
        )
    return f"CROSS JOIN LATERAL (SELECT {', '.join(parts)} OFFSET 0) t"


def _int_array(values: list[int]) -> str:
    return "'{" + ",".join(str(int(v)) for v in values) + "}'::int[]"


def _in_list(values) -> str:
    return ", ".join(str(int(v)) for v in values)


@dataclass
class _Multi:
    answered_bit: int
    page_condition: dict | None
    condition: dict | None
    zeros: list[int]


@dataclass
class SqlPlan:
    """What the queries and the row assembly need, worked out once per export."""

    width: int
    fixed: list[tuple[int, str]]  # (output index, SQL of the text) of the kept fixed columns
    choice_cells: dict[int, object] = field(default_factory=dict)
    kind: dict[int, int] = field(default_factory=dict)  # question id -> kind
    main: dict[int, int] = field(default_factory=dict)  # question id -> output index
    other: dict[int, int] = field(default_factory=dict)
    by_choice: dict[int, int] = field(default_factory=dict)  # choice id -> output index
    choice_owner: dict[int, int] = field(default_factory=dict)  # by_choice's choice -> question
    multis: dict[int, list[_Multi]] = field(default_factory=dict)  # version id -> items
    bits: dict[tuple, int] = field(default_factory=dict)  # ("in", key, values) / ("any", key)
    bit_sql: list[str] = field(default_factory=list)
    bit_questions: set[int] = field(default_factory=set)  # the questions bit_sql tests
    tasks: dict[int, tuple] = field(default_factory=dict)  # task id -> output indices
    versions: list[int] = field(default_factory=list)
    # The exporter's row of one response built the Python way, as the CSV writer formats
    # it: (alias, response id) -> cells. Used when the answers' order decides a cell.
    python_row: Callable[[str, int], list] | None = None
    python_rows: int = 0  # responses whose row was built that way
    _blank: dict[tuple[int, int], list] = field(default_factory=dict)

    # --- skip logic, as condition_met reads it, on the bit set ---

    def _met(self, condition, flags: int) -> bool:
        if not condition:
            return True
        if "all" in condition:
            return all(self._met(part, flags) for part in condition["all"])
        if "any" in condition:
            return any(self._met(part, flags) for part in condition["any"])
        key = condition.get("question", "")
        if "in" in condition:
            return bool(flags & self.bits[("in", key, tuple(condition["in"]))])
        if "not_in" in condition:
            return bool(flags & self.bits[("any", key)]) and not (
                flags & self.bits[("in", key, tuple(condition["not_in"]))]
            )
        return True

    def blank(self, version_id: int, flags: int) -> list:
        """A row of Nones with the 0s of the multi-choice questions shown on the path (or
        answered): what `export_fill` writes before the chosen 1s."""
        found = self._blank.get((version_id, flags))
        if found is None:
            found = [None] * self.width
            for multi in self.multis.get(version_id, ()):
                if flags & multi.answered_bit or (
                    self._met(multi.page_condition, flags) and self._met(multi.condition, flags)
                ):
                    for position in multi.zeros:
                        found[position] = 0
            if len(self._blank) >= BLANK_ROWS:  # memory stays flat, whatever the data
                self._blank.clear()
            self._blank[(version_id, flags)] = found
        return found


def _condition_leaves(condition, out: list) -> None:
    if not condition:
        return
    if "all" in condition or "any" in condition:
        for part in condition["all"] if "all" in condition else condition["any"]:
            _condition_leaves(part, out)
        return
    key = condition.get("question", "")
    if "in" in condition:
        out.append(("in", key, tuple(condition["in"])))
    elif "not_in" in condition:
        out.append(("any", key))
        out.append(("in", key, tuple(condition["not_in"])))


def _leaf_sql(leaf: tuple, plan_structure, questions: set[int]) -> str:
    """A condition leaf as a test on one answer row `a` of this version."""
    key = leaf[1]
    tests = []
    for qid, question in plan_structure.question_by_id.items():
        if question.key != key:
            continue
        from .qtypes import qtype

        value_fn = type(qtype(question)).condition_value
        if value_fn in _NO_VALUE:
            continue
        if leaf[0] == "any":
            if value_fn is _CHOICE_VALUE:
                test = "a.choice_id IS NOT NULL"
            elif value_fn is _YES_NO_VALUE:
                test = "a.bool_value IS NOT NULL"
            elif value_fn is _STATE_VALUE:
                test = "a.part = 'state'"
            else:
                raise Unsupported(value_fn)
        else:
            wanted = set(leaf[2])
            if value_fn is _CHOICE_VALUE:
                ids = [
                    c for c, choice in plan_structure.choice_by_id.items() if choice.value in wanted
                ]
                test = f"a.choice_id IN ({_in_list(ids)})" if ids else "false"
            elif value_fn is _YES_NO_VALUE:
                yes, no = "yes" in wanted, "no" in wanted
                test = {
                    (True, True): "a.bool_value IS NOT NULL",
                    (True, False): "a.bool_value",
                    (False, True): "NOT a.bool_value",
                    (False, False): "false",
                }[(yes, no)]
            elif value_fn is _STATE_VALUE:
                texts = sorted(v for v in wanted if isinstance(v, str))
                if not texts:
                    test = "false"
                else:
                    quoted = ", ".join("'" + t.replace("'", "''") + "'" for t in texts)
                    if "%" in quoted or "\\" in quoted or "\x00" in quoted:
                        raise Unsupported("state value")
                    test = f"(a.part = 'state' AND a.text_value IN ({quoted}))"
            else:
                raise Unsupported(value_fn)
        questions.add(qid)
        tests.append(f"(a.question_id = {int(qid)} AND {test})")
    return " OR ".join(tests) or "false"


def plan(layout, keep: list[int], options: dict, fixed_columns: int) -> SqlPlan | None:
    """The SQL path's plan for the exporter's layout (apps/surveys/exporters.py's _Layout),
    the positions of the columns the file keeps and the number of fixed columns leading the
    row; None when the Python path must write this export."""
    try:
        return _plan(layout, keep, options, fixed_columns)
    except Unsupported:
        return None


def _plan(layout, keep: list[int], options: dict, FIXED_COLUMNS: int) -> SqlPlan:  # noqa: N803
    tz = timezone.get_current_timezone()
    if not getattr(tz, "key", None):
        raise Unsupported("time zone")
    out = {position: index for index, position in enumerate(keep)}
    flagged = bool((options.get("filters") or {}).get("flagged"))
    fixed_sql = [
        "r.pk::text",
        'r."version__number"::text',
        _neut('r."collector__name"'),
        _neut("r.channel"),
        _neut("r.language"),
        _iso("submitted_at"),
        "r.duration_seconds::text",
        "r.is_too_fast::int::text",
        "r.is_duplicate::int::text",
        "r.is_staff_entered::int::text",
        _neut('r."role__slug"'),
        _neut("r.setting"),
        _neut("r.state"),
        _neut("r.status"),
        _iso("started_at"),
        _neut("r.last_page_key"),
        "r.is_excluded::int::text",
        f"(r.status = '{Response.Status.COMPLETE}' AND NOT r.is_excluded AND "
        "r.is_eligible_paid IS NOT FALSE AND "
        f"({'true' if flagged else 'false'} OR NOT (r.is_too_fast OR r.is_duplicate)))::int::text",
    ]
    if len(fixed_sql) != FIXED_COLUMNS:
        raise Unsupported("fixed columns")
    sql_plan = SqlPlan(
        width=len(keep),
        fixed=[(out[p], fixed_sql[p]) for p in range(FIXED_COLUMNS) if p in out],
    )
    used = set(range(FIXED_COLUMNS))
    for task_id, positions in layout.task_positions.items():
        used.update(positions)
        kept = tuple(out.get(p) for p in positions)
        if any(p is not None for p in kept):
            sql_plan.tasks[task_id] = kept
    labels = layout.labels
    leaves: list[tuple] = []
    leaf_versions: dict[tuple, list] = {}
    for version_id, version_plan in layout.plans.items():
        sql_plan.versions.append(version_id)
        structure = version_plan.structure
        seen: set[int] = set()
        page_conditions = {p.pk: p.condition for p in structure.pages}
        for item in version_plan.items:
            kind = _KINDS.get(getattr(item.fill, "__func__", None))
            if kind is None:
                raise Unsupported(item.fill)
            q = item.question
            positions = [p for p in (item.main, item.other) if p is not None]
            positions += list(item.by_choice.values())
            if seen.intersection(positions) or used.intersection(positions):
                raise Unsupported("two items write one column")
            seen.update(positions)
            sql_plan.kind[q.pk] = kind
            sql_plan.main[q.pk] = out.get(item.main, -1) if item.main is not None else -1
            sql_plan.other[q.pk] = out.get(item.other, -1) if item.other is not None else -1
            for choice_id, position in item.by_choice.items():
                sql_plan.by_choice[choice_id] = out.get(position, -1)
                sql_plan.choice_owner[choice_id] = q.pk
        # A single choice's cell, for every choice of the version: the Python path looks the
        # answer's choice up among all of them (`fill.choices`).
        for choice in structure.choice_by_id.values():
            try:
                value = (
                    choice.label_en
                    if labels
                    else (int(choice.value) if choice.value.isdigit() else choice.value)
                )
            except ValueError:  # a digit int() refuses ("²"): fails when used, as before
                continue
            sql_plan.choice_cells[choice.pk] = neutralize(value)
        for item in version_plan.items:
            q = item.question
            kind = sql_plan.kind[q.pk]
            if kind == MULTI:
                bit = len(leaves)
                leaves.append(("answered", q.pk))
                multi = _Multi(
                    answered_bit=1 << bit,
                    page_condition=page_conditions.get(q.page_id),
                    condition=q.condition,
                    zeros=sorted(out[p] for p in item.by_choice.values() if p in out),
                )
                if q.page_id not in page_conditions:
                    raise Unsupported("question off its version's pages")
                sql_plan.multis.setdefault(version_id, []).append(multi)
                found: list[tuple] = []
                _condition_leaves(multi.page_condition, found)
                _condition_leaves(multi.condition, found)
                for leaf in found:
                    leaf_versions.setdefault(leaf, []).append(structure)
    # Bits: one per multi-choice question answered, one per condition leaf.
    bit_sql: list[str] = []
    for leaf in leaves:
        bit_sql.append(f"a.question_id = {int(leaf[1])}")
        sql_plan.bit_questions.add(leaf[1])
    for leaf, structures in leaf_versions.items():
        try:
            hash(leaf)
        except TypeError as error:
            raise Unsupported("condition values") from error
        sql_plan.bits[leaf] = 1 << (len(leaves) + len(sql_plan.bits))
        tests = []
        for structure in {id(s): s for s in structures}.values():
            tests.append(_leaf_sql(leaf, structure, sql_plan.bit_questions))
        bit_sql.append(" OR ".join(f"({t})" for t in tests))
    if len(bit_sql) > MAX_BITS:
        raise Unsupported("too many conditions")
    sql_plan.bit_sql = bit_sql
    return sql_plan


def _lookup(mapping: dict[int, int], column: str, default: int = 0) -> str:
    """`mapping[column]` in SQL, through a constant int array indexed from the lowest key."""
    if not mapping:
        return str(default)
    low, high = min(mapping), max(mapping)
    if high - low > 5_000_000:
        raise Unsupported("ids too spread")
    values = [mapping.get(i, default) for i in range(low, high + 1)]
    return f"coalesce(({_int_array(values)})[{column} - {low - 1}], {default})"


def _answers_sql(sql_plan: SqlPlan, ids_sql: str) -> str:
    """Per response (in id order): the bit set of `bit_sql`, the text cells as (position,
    text) arrays, the single choices as (position, choice id) arrays, the multi-choice
    positions chosen. Arrays come in no particular order: two cells for one position (two
    answers to a single-answer question, two "other" texts...) are what the order of the
    answers decides, and `_assemble` builds such a response's row the Python way instead."""
    kind = _lookup(sql_plan.kind, "a.question_id")
    main = _lookup(sql_plan.main, "a.question_id", -1)
    other = _lookup(sql_plan.other, "a.question_id", -1)
    by_choice = _lookup(sql_plan.by_choice, "a.choice_id", -1)
    owner = _lookup(sql_plan.choice_owner, "a.choice_id", 0)
    bits = " | ".join(
        f"(CASE WHEN {test} THEN {1 << i}::bigint ELSE 0 END)"
        for i, test in enumerate(sql_plan.bit_sql)
    )
    if bits and sql_plan.bit_questions:
        bits = (
            f"CASE WHEN a.question_id IN ({_in_list(sorted(sql_plan.bit_questions))}) "
            f"THEN {bits} ELSE 0::bigint END"
        )
    else:
        bits = "0::bigint"
    text = _neut("a.text_value")
    number = _number("a.number_value")
    # One text cell per answer at most: (position, cell); -1: none.
    position = (
        f"CASE a.k WHEN {SINGLE} THEN a.o WHEN {YES_NO} THEN a.m WHEN {NUMBER} THEN a.m "
        f"WHEN {TEXT} THEN a.m "
        f"WHEN {MULTI} THEN CASE WHEN a.text_value <> '' THEN a.o ELSE -1 END "
        f"WHEN {STATE_ZIP} THEN CASE a.part WHEN 'state' THEN a.m WHEN 'zip3' THEN a.o "
        f"ELSE -1 END WHEN {TIME_USE} THEN a.c ELSE -1 END"
    )
    yes_no = "CASE WHEN coalesce(a.bool_value, false) THEN %(yes)s ELSE %(no)s END"
    cell = (
        f"CASE a.k WHEN {SINGLE} THEN CASE WHEN a.o >= 0 AND a.text_value <> '' THEN {text} END "
        f"WHEN {YES_NO} THEN CASE WHEN a.m >= 0 THEN {yes_no} END "
        f"WHEN {NUMBER} THEN CASE WHEN a.m >= 0 THEN {number} END "
        f"WHEN {TEXT} THEN CASE WHEN a.m >= 0 THEN {text} END "
        f"WHEN {MULTI} THEN CASE WHEN a.o >= 0 AND a.text_value <> '' THEN {text} END "
        f"WHEN {STATE_ZIP} THEN CASE WHEN (a.part = 'state' AND a.m >= 0) "
        f"OR (a.part = 'zip3' AND a.o >= 0) THEN {text} END "
        f"WHEN {TIME_USE} THEN CASE WHEN a.c >= 0 THEN {number} END END"
    )
    # Each level sorted by response (as the index scan gives them: no sort is added) so
    # that PostgreSQL does not fold the levels into one and work each lookup out again
    # wherever the next level names it.
    return f"""
SELECT e.response_id, bit_or(e.bits), bool_or(e.odd),
  array_agg(e.p) FILTER (WHERE e.p >= 0), array_agg(e.cell) FILTER (WHERE e.p >= 0),
  array_agg(e.m) FILTER (WHERE e.single), array_agg(e.choice_id) FILTER (WHERE e.single),
  array_agg(e.c) FILTER (WHERE e.k = {MULTI} AND e.c >= 0)
FROM (
  SELECT a.response_id, a.k, a.m, a.c, a.choice_id, {bits} AS bits,
    (a.k = {SINGLE} AND a.choice_id IS NULL) OR (a.k = {MULTI} AND a.c_owner <> a.question_id)
      AS odd,
    a.k = {SINGLE} AND a.m >= 0 AND a.choice_id IS NOT NULL AS single,
    {position} AS p, {cell} AS cell
  FROM (
    SELECT a.response_id, a.question_id, a.part, a.choice_id, a.text_value, a.number_value,
      a.bool_value, {kind} AS k, {main} AS m, {other} AS o,
      CASE WHEN {owner} = a.question_id THEN {by_choice} ELSE -1 END AS c, {owner} AS c_owner
    FROM surveys_answer a
    WHERE a.response_id IN ({ids_sql})
    ORDER BY a.response_id
  ) a
  ORDER BY a.response_id
) e
GROUP BY e.response_id
ORDER BY e.response_id
"""


def _ratings_sql(ids_sql: str) -> str:
    """Per response (in id order): its ratings' tasks, relevance (0/1), importance and
    frequency (one rating per task: the database's unique constraint)."""
    return f"""
SELECT t.response_id, array_agg(t.task_id), array_agg(t.is_relevant::int),
  array_agg(t.importance), array_agg(t.frequency)
FROM surveys_taskrating t
WHERE t.response_id IN ({ids_sql})
GROUP BY t.response_id
ORDER BY t.response_id
"""


def _query(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def queries(sql_plan: SqlPlan, responses, options: dict, alias: str) -> tuple[list[str], dict]:
    """The responses, answers and (when a rating column is kept) ratings queries, and their
    named parameters. `responses`: the exporter's responses with the filters applied, as
    values_list of its response fields (pk, version_id, version__number, ... as the fixed
    columns read them)."""
    matching = responses.using(alias)
    ids_sql, ids_params = _query(matching.values("pk"))
    responses_sql, responses_params = _query(matching)
    with connections[alias].cursor() as plain:
        # The filters' parameters into the SQL text (psycopg2 quoting), so that the rest can
        # use named parameters.
        ids_text = plain.mogrify(ids_sql, ids_params).decode().replace("%", "%%")
        responses_text = plain.mogrify(responses_sql, responses_params).decode().replace("%", "%%")
    fixed = ", ".join(sql for _index, sql in sql_plan.fixed)
    named = {
        "pattern": NEUTRALIZE_PATTERN,
        "tz": timezone.get_current_timezone().key,
        "yes": "Yes" if options.get("labels") else "yes",
        "no": "No" if options.get("labels") else "no",
    }
    sql = [
        (
            f"SELECT r.pk, r.version_id, ARRAY[{fixed}]::text[] FROM ({responses_text}) r "
            f"{_local_times(('submitted_at', 'started_at'))} ORDER BY r.pk"
        ),
        _answers_sql(sql_plan, ids_text),
    ]
    if sql_plan.tasks:
        sql.append(_ratings_sql(ids_text))
    return sql, named


def rows(sql_plan: SqlPlan, header: list, responses, options: dict) -> Iterator[list]:
    """The header, then the data rows, ready for csv.writer (every text already neutralized).

    `responses`: see `queries`."""
    yield header
    with streaming_reads() as alias:
        connection = connections[alias]
        try:
            sql, named = queries(sql_plan, responses, options, alias)
        except EmptyResultSet:  # no version to export (version_id__in=[]): no rows
            return
        connection.ensure_connection()
        cursors, readers = [], []
        with connection.cursor() as plain:
            # JIT compiles the answers query's expressions (worth it: a third faster), but
            # inlining PostgreSQL's functions into them took 0.3 to 0.5 s more than it saved.
            plain.execute("SET LOCAL jit_inline_above_cost = -1")
        try:
            for n, text in enumerate(sql):
                # Server-side cursors (streaming_reads keeps them in a transaction, so
                # PostgreSQL streams them), each read ahead by its own thread.
                cursor = connection.connection.cursor(name=f"export_sql_{id(sql_plan)}_{n}")
                cursor.execute(text, named)
                cursors.append(cursor)
            readers = [_ReadAhead(cursor) for cursor in cursors]
            yield from _assemble(sql_plan, alias, *(reader.rows() for reader in readers))
        finally:
            for reader in readers:
                reader.stop()
            for cursor in cursors:
                if not cursor.closed:
                    cursor.close()


class _ReadAhead:
    """Fetches a server-side cursor's rows in a thread, a batch ahead of the reader.

    The fetch waits on PostgreSQL with the GIL released, so the database works out the next
    rows while Python assembles the current ones (one connection: psycopg2 sends the three
    cursors' FETCHes one at a time). At most READ_AHEAD batches wait in the queue, so memory
    stays flat. Only the raw psycopg2 cursor is used in the thread, never Django's wrapper."""

    def __init__(self, cursor) -> None:
        self._cursor = cursor
        self._queue: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="export-read-ahead", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                batch = self._cursor.fetchmany(CURSOR_ROWS)
                if not self._put(batch) or not batch:
                    return
        except Exception as error:  # noqa: BLE001 (handed to the reader, raised there)
            self._put(error)

    def rows(self) -> Iterator[tuple]:
        while True:
            batch = self._queue.get()
            if isinstance(batch, Exception):
                raise batch
            if not batch:
                return
            yield from batch

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def _assemble(sql_plan: SqlPlan, alias: str, responses, answers, ratings=None) -> Iterator[list]:
    fixed_index = [index for index, _sql in sql_plan.fixed]
    contiguous = fixed_index == list(range(len(fixed_index)))
    cells, tasks, blank = sql_plan.choice_cells, sql_plan.tasks, sql_plan.blank
    answers = iter(answers)
    ratings = iter(ratings) if ratings is not None else iter(())
    answer = next(answers, None)
    rating = next(ratings, None)
    width = len(fixed_index)
    for pk, version_id, fixed in responses:
        while answer is not None and answer[0] < pk:
            answer = next(answers, None)
        while rating is not None and rating[0] < pk:
            rating = next(ratings, None)
        if answer is not None and answer[0] == pk:
            _id, flags, odd, positions, texts, choice_pos, choice_ids, chosen = answer
            if (
                odd
                or (positions and len(set(positions)) != len(positions))
                or (choice_pos and len(set(choice_pos)) != len(choice_pos))
            ):
                # Two cells for one column: which one the file holds depends on the
                # answers' order, which the arrays do not keep. Or an answer the Python
                # path refuses (a single choice without its choice, a multiple choice
                # with another question's): the Python path raises as it always did.
                answer = next(answers, None)
                while rating is not None and rating[0] == pk:
                    rating = next(ratings, None)
                sql_plan.python_rows += 1
                yield sql_plan.python_row(alias, pk)
                continue
            row = blank(version_id, flags or 0).copy()
            if chosen:
                for position in chosen:
                    row[position] = 1
            if choice_pos:
                for position, choice_id in zip(choice_pos, choice_ids, strict=True):
                    row[position] = cells[choice_id]
            if positions:
                for position, cell in zip(positions, texts, strict=True):
                    row[position] = cell
            answer = next(answers, None)
        else:
            row = blank(version_id, 0).copy()
        if contiguous:
            row[:width] = fixed
        else:
            for index, cell in zip(fixed_index, fixed, strict=True):
                row[index] = cell
        if rating is not None and rating[0] == pk:
            for task_id, relevant, importance, frequency in zip(*rating[1:], strict=True):
                positions = tasks.get(task_id)
                if positions is None:
                    continue
                if None in positions:  # some of the task's columns not in this file
                    values = (relevant, importance, frequency)
                    for position, cell in zip(positions, values, strict=True):
                        if position is not None:
                            row[position] = cell
                else:
                    first, second, third = positions
                    row[first], row[second], row[third] = relevant, importance, frequency
            rating = next(ratings, None)
        yield row


__all__ = ["NEUTRALIZE_PATTERN", "SqlPlan", "plan", "rows"]
