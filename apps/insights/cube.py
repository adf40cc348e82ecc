"""The pre-aggregated dashboard figures: kept current from the responses, read by the dashboards.

Every dashboard figure is a count or a sum over respondents, so it is additive: the figure
for "all responses" is the sum of the figures of the versions, the figure for a date range
(whole weeks, as every view's is) the sum of its weeks. For each single filter dimension
(week, version, collector, state, setting), each of COMBINATIONS and each value of them, the
tables hold every count the dashboards need, split by the respondents' main role and by
whether they are flagged. A view filtered on those, with or without a role, sums a few
thousand stored rows instead of scanning millions of answers; views that combine other
filters are narrow and read the responses directly (apps/insights/sources.py).

The figures are kept current incrementally. CubeMember lists the responses counted, with the
slice values they were counted under and their last-change time. A refresh subtracts the
figures of members that changed or are no longer counted (excluded, flagged, ...), then adds
those of responses counted but not yet members, each in one transaction, so a dashboard
never sees half a refresh. Answers of a deleted response are gone, so nothing can be
subtracted for it: `forget_responses` does it before a deletion (a pre_delete signal calls
it for every deleted response), and a member whose response has vanished anyway (a raw SQL
delete) makes the next refresh rebuild everything.

A refresh looks for changes only among the responses saved since the last refresh started,
less a margin (`change_window_seconds`, for transactions still open then and clocks a little
apart): an index range on (status, updated_at), so its cost follows the changes, not the
table (at 1,000,000 responses, scanning every member against its response took seconds).
Every change to a counted response saves its `updated_at`. At most every
`reconcile_seconds` a refresh still checks every member against its response, the safety
net for a change made behind the application's back.
"""

import logging
import re
import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, Substr, Trim, TruncDate
from django.utils import timezone

from apps.surveys.models import Answer, Choice, Question, Response, TaskRating
from apps.surveys.qtypes import Aggregate, types_with

from .disclosure import key_sum
from .models import CubeBuild, CubeMember, SliceCount, SliceTask

logger = logging.getLogger(__name__)

NO_SUM = Value(None, output_field=CharField())
DIMENSIONS = ("week", "version", "collector", "state", "setting")
# Combinations of filter dimensions the figures also hold, each in DIMENSIONS order but for
# the week, which comes last: a view filtered on two of them (a partner link and a state, a
# state and a setting, a state and a date range, ...), with or without a role and the
# flagged responses, sums stored rows as a view on one does. Stored under
# combination_dim(dims), with the values joined by COMBINATION_SEPARATOR ("CA|camp").
# Each one costs build time and rows (at 1,000,000 synthetic responses a state and a
# setting add 0.86 million rows, a link and a state 0.96 million; the three links, states
# and settings together would add 2.5 million, and the full build went from 154 s to 327 s
# with every pair and triple of version, link, state and setting). So: none with the
# version, which a view on two or three filters may leave out while one version has
# responses (sources._cube_slice: a filter that selects every response changes nothing);
# of the date ranges, only a state's, by week (at 100,000 responses 0.75 million rows, in
# place of the 0.43 million day rows the build no longer stores; per day and state they
# would be nearly as many rows as the answers). The other views read the responses.
COMBINATIONS = (
    ("collector", "state"),
    ("collector", "setting"),
    ("state", "setting"),
    # A date range within one state: the ranged dimension (the week) last, so that the
    # state's weeks are values after one prefix ("CA|2026-11-02").
    ("state", "week"),
)
COMBINATION_SEPARATOR = "|"
_DIMENSION_CODES = {
    "day": "d",
    "week": "w",
    "version": "v",
    "collector": "c",
    "state": "s",
    "setting": "t",
}
MEMBER_COLUMNS = ("day", "version", "collector", "state", "role", "setting")
PROFILE_COLUMNS = ("day", "state", "role", "setting", "collector", "version")
TITLE_KEY = "job_title"
WRITE_IN_KEYS = ("write_in_1", "write_in_2", "write_in_3")
ADD, SUBTRACT = 1, -1
# Sums of the record keys (apps/insights/disclosure.py) beside each task count.
TASK_KEY_COLUMNS = ["ck_n", "ck_yes"] + [f"ck_f{c}" for c in range(1, 8)]


def combination_dim(dims) -> str:
    """The stored dimension name of a combination ("pair:st" for a state and a setting; fits
    the dim column's 10 characters)."""
    return "pair:" + "".join(_DIMENSION_CODES[d] for d in dims)


def stored_dimensions() -> list[tuple[str, tuple[str, ...]]]:
    """(stored name, dimensions) of every dimension and combination the figures hold."""
    return [(dim, (dim,)) for dim in DIMENSIONS] + [
        (combination_dim(dims), dims) for dims in COMBINATIONS
    ]


def _member_value(prefix: str, dims) -> F | Concat:
    """A member's value for one dimension, or its values of a combination joined (as stored)."""
    if len(dims) == 1:
        return F(f"{prefix}{dims[0]}")
    parts = []
    for dim in dims:
        parts += [F(f"{prefix}{dim}"), Value(COMBINATION_SEPARATOR)]
    return Concat(*parts[:-1], output_field=CharField())


def free_text(field: str = "text_value"):
    """How titles and write-ins are grouped: trimmed, lowercased, first 200 characters."""
    return Substr(Lower(Trim(field)), 1, 200)


def answered_value():
    """What a choice counter counts for one answer: the choice's code, or "yes"/"no" for a
    yes/no question (stored as a boolean, without a choice)."""
    return Case(
        When(choice__isnull=False, then=F("choice__value")),
        When(bool_value=True, then=Value("yes")),
        When(bool_value=False, then=Value("no")),
        output_field=CharField(),
    )


def has_answered_value() -> Q:
    """Answers a choice counter counts (see answered_value)."""
    return Q(choice__isnull=False) | Q(bool_value__isnull=False)


def several_a_respondent() -> list[str]:
    """Question types a respondent may give several counted values to: their "answered"
    counts distinct respondents rather than summing the value counts (qtypes.Aggregate)."""
    return types_with(aggregate=Aggregate.CHOICES)


def _counted() -> Q:
    """Response.objects.included(): complete, not excluded, not volunteer-only."""
    return Q(status=Response.Status.COMPLETE, is_excluded=False) & ~Q(is_eligible_paid=False)


def watermark() -> str:
    """What the figures depend on: the complete responses' number and latest change.

    Submitting, excluding, restoring, flagging and deleting a response all change it.
    COUNT(*), not of the id: both columns read are in the (status, updated_at) index, so
    PostgreSQL counts from the index alone (about 100 ms at 1,000,000 responses against
    190 ms scanning the table)."""
    row = Response.objects.complete().aggregate(n=Count("*"), last=Max("updated_at"))
    last = row["last"].isoformat() if row["last"] else ""
    return f"{row['n']}:{last}"


def latest_change() -> str:
    """The complete responses' latest change alone: one step down the (status, updated_at)
    index, where `watermark` also counts them (about 100 ms at 1,000,000 responses).

    What a page checks (`looks_current`). A response only ever becomes complete (never the
    reverse), and every save of a complete one stamps `updated_at` with the time of the save,
    so a submission, exclusion, restoration or flag moves it. Two changes it can miss, both
    caught by the full `watermark` the beat task compares every half minute
    (`refresh_if_stale`): a deletion of a response other than the latest, whose figures
    `forget_responses` has already subtracted in the deletion's transaction (so the figures
    are right meanwhile), and a submission that commits after a later-stamped one a refresh
    had already seen (its `updated_at` is under the latest)."""
    last = Response.objects.complete().aggregate(last=Max("updated_at"))["last"]
    return last.isoformat() if last else ""


def looks_current(build: CubeBuild) -> bool:
    """Whether a page may read this build as current: its watermark's latest change is the
    responses' latest change (see latest_change)."""
    return build.watermark.partition(":")[2] == latest_change()


def only_version() -> str | None:
    """The version all the counted responses are in, by the figures, or None when they are
    in several (or none)."""
    versions = list(
        SliceCount.objects.filter(dim="version", metric="total")
        .order_by()
        .values_list("value", flat=True)
        .distinct()[:2]
    )
    return versions[0] if len(versions) == 1 else None


def current_build() -> CubeBuild | None:
    return CubeBuild.objects.filter(built_at__isnull=False).first()


# --- Refresh ---


def _in_batch(member: str, batch: int | None) -> Q:
    """Rows whose member (the relation path `member`, ending in "__") is in the batch; with
    no batch, every member (a full build's, entered without one), and only members."""
    if batch is None:
        return Q(**{f"{member}batch__isnull": True, f"{member}response__isnull": False})
    return Q(**{f"{member}batch": batch})


def _count_statements(dims: tuple[str, ...], batch: int | None) -> list:
    """(metric, queryset) pairs whose rows are (dv, fl, k, it, n, t): the figures of the
    members in one batch, for one dimension or combination."""
    m = "response__cube_member__"
    answers = Answer.objects.filter(_in_batch(m, batch))
    base = {"dv": _member_value(m, dims), "rl": F(f"{m}role"), "fl": F(f"{m}flagged")}
    dv = _member_value("", dims)
    members = CubeMember.objects.filter(batch=batch)
    multi_keys = Question.objects.filter(type__in=several_a_respondent()).values("key")
    statements = [
        (
            "total",
            members.values(
                dv=dv, rl=F("role"), fl=F("flagged"), k=Value(""), it=Value("")
            ).annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
        ),
    ]
    for column in PROFILE_COLUMNS:
        statements.append(
            (
                "profile",
                members.values(
                    dv=dv, rl=F("role"), fl=F("flagged"), k=Value(column), it=F(column)
                ).annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
            )
        )
    choices = answers.filter(has_answered_value())
    statements += [
        (
            "choice",
            choices.values(**base, k=F("question__key"), it=answered_value()).annotate(
                n=Count("pk"), t=NO_SUM, c=key_sum("response_id")
            ),
        ),
        # Respondents who answered each multiple-choice question (for single choice it is
        # the sum of the choice counts).
        (
            "answered",
            choices.filter(question__key__in=multi_keys)
            .values(**base, k=F("question__key"), it=Value(""))
            .annotate(
                n=Count("response_id", distinct=True),
                t=NO_SUM,
                c=key_sum("response_id", distinct=True),
            ),
        ),
        (
            "number",
            answers.filter(number_value__isnull=False)
            .values(**base, k=F("question__key"), it=Cast("number_value", CharField()))
            .annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
        ),
        (
            "title",
            answers.filter(question__key=TITLE_KEY)
            .exclude(text_value="")
            .values(**base, k=F(f"{m}role"), it=free_text())
            .annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
        ),
        (
            "writein",
            answers.filter(question__key__in=WRITE_IN_KEYS)
            .exclude(text_value="")
            .values(**base, k=Value(""), it=free_text())
            .annotate(
                n=Count("response_id", distinct=True),
                t=NO_SUM,
                c=key_sum("response_id", distinct=True),
            ),
        ),
        (
            "open",
            answers.exclude(text_value="")
            .values(**base, k=F("question__key"), it=Value(""))
            .annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
        ),
        (
            "xw_role",
            answers.filter(question__key="crosswalk_code")
            .values(**base, k=F(f"{m}role"), it=F("choice__value"))
            .annotate(n=Count("pk"), t=NO_SUM, c=key_sum("response_id")),
        ),
        (
            "fit",
            answers.filter(
                question__key="crosswalk_fit",
                number_value__isnull=False,
                response__answers__question__key="crosswalk_code",
            )
            .values(**base, k=Value(""), it=F("response__answers__choice__value"))
            .annotate(
                n=Count("pk"),
                t=Cast(Sum("number_value"), CharField()),
                c=key_sum("response_id"),
            ),
        ),
    ]
    return statements


def _task_statement(dims: tuple[str, ...], batch: int | None):
    m = "response__cube_member__"
    return (
        TaskRating.objects.filter(_in_batch(m, batch))
        .values(dv=_member_value(m, dims), rl=F(f"{m}role"), fl=F(f"{m}flagged"), tid=F("task_id"))
        .annotate(
            n=Count("pk"),
            yes=Count("pk", filter=Q(is_relevant=True)),
            isum=Sum("importance"),
            isq=Sum(F("importance") * F("importance")),
            **{f"q{c}": Count("pk", filter=Q(frequency=c)) for c in range(1, 8)},
            cn=key_sum("response_id"),
            cyes=key_sum("response_id", filter=Q(is_relevant=True)),
            **{f"c{c}": key_sum("response_id", filter=Q(frequency=c)) for c in range(1, 8)},
        )
    )


def _upsert(
    cursor, table: str, columns: list[str], select: str, conflict: list[str], queryset, params: list
) -> int:
    """INSERT ... SELECT the rows of a grouped queryset, adding to rows already there."""
    inner, inner_params = queryset.order_by().query.sql_with_params()
    return _upsert_sql(cursor, table, columns, select, conflict, inner, [*params, *inner_params])


def _upsert_sql(
    cursor,
    table: str,
    columns: list[str],
    select: str,
    conflict: list[str] | None,
    inner: str,
    params,
    emptied: list | None = None,
) -> int:
    """INSERT ... SELECT `select` FROM (`inner`) AS slice, adding to rows already there
    (`conflict` None: the table holds none of these rows, a plain INSERT). `emptied` (a list,
    PostgreSQL): receives the ids of the rows left with n = 0."""
    q = connection.ops.quote_name
    if conflict is None:
        cursor.execute(
            f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "
            f"SELECT {select} FROM ({inner}) AS slice",
            list(params),
        )
        return max(cursor.rowcount, 0)
    added = [c for c in columns if c not in conflict]
    updates = ", ".join(
        f"{q(c)} = CASE WHEN excluded.{q(c)} IS NULL THEN {q(table)}.{q(c)} "
        f"ELSE COALESCE({q(table)}.{q(c)}, 0) + excluded.{q(c)} END"
        for c in added
    )
    upsert = (
        f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "
        f"SELECT {select} FROM ({inner}) AS slice WHERE 1 = 1 "
        f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO UPDATE SET {updates}"
    )
    if emptied is None:
        cursor.execute(upsert, list(params))
        return max(cursor.rowcount, 0)
    # The rows a subtraction brought to n = 0, for the caller to delete (instead of a scan
    # of the whole table for them).
    cursor.execute(f"WITH up AS ({upsert} RETURNING id, n) SELECT id, n FROM up", list(params))
    rows = cursor.fetchall()
    emptied.extend(pk for pk, n in rows if n == 0)
    return len(rows)


COUNT_COLUMNS = ["dim", "metric", "value", "role", "flagged", "key", "item", "n", "total", "ck"]
COUNT_KEY = ["dim", "metric", "value", "role", "flagged", "key", "item"]
TASK_COLUMNS = (
    ["dim", "value", "role", "flagged", "task_id", "n", "yes", "imp_sum", "imp_sq"]
    + [f"f{c}" for c in range(1, 8)]
    + TASK_KEY_COLUMNS
)
TASK_KEY = ["dim", "value", "role", "flagged", "task_id"]
TASK_SELECT = (
    ", ".join(
        f"%s * slice.{c}" for c in ["n", "yes", "isum", "isq"] + [f"q{i}" for i in range(1, 8)]
    )
    + ", "
    + ", ".join(
        f"%s * COALESCE(slice.{c}, 0)" for c in ["cn", "cyes"] + [f"c{i}" for i in range(1, 8)]
    )
)


def _apply(batch: int | None, sign: int, *, empty: bool = False) -> None:
    """Add (or subtract) the figures of the members in a batch to the tables (`empty`: the
    tables were just emptied, a full build)."""
    if connection.vendor == "postgresql":
        emptied = _apply_grouping_sets(batch, sign, empty=empty)
        if emptied is not None:
            SliceCount.objects.filter(pk__in=emptied[SliceCount]).delete()
            SliceTask.objects.filter(pk__in=emptied[SliceTask]).delete()
            return
    else:
        _apply_per_dimension(batch, sign)
    if sign == SUBTRACT:
        SliceCount.objects.filter(n=0).delete()
        SliceTask.objects.filter(n=0).delete()


def _apply_per_dimension(batch: int | None, sign: int, *, empty: bool = False) -> None:
    """The portable path: one grouped statement per figure and dimension (ORM querysets);
    it upserts whether or not the tables were emptied (`empty` is for the signature)."""
    count_table = SliceCount._meta.db_table
    task_table = SliceTask._meta.db_table
    with connection.cursor() as cursor:
        for dim, dims in stored_dimensions():
            for metric, queryset in _count_statements(dims, batch):
                _upsert(
                    cursor,
                    count_table,
                    COUNT_COLUMNS,
                    "%s, %s, slice.dv, slice.rl, slice.fl, slice.k, slice.it, %s * slice.n, "
                    "%s * CAST(slice.t AS DOUBLE PRECISION), %s * COALESCE(slice.c, 0)",
                    COUNT_KEY,
                    queryset,
                    [dim, metric, sign, sign, sign],
                )
            _upsert(
                cursor,
                task_table,
                TASK_COLUMNS,
                "%s, slice.dv, slice.rl, slice.fl, slice.tid, " + TASK_SELECT,
                TASK_KEY,
                _task_statement(dims, batch),
                [dim] + [sign] * 20,
            )


# --- PostgreSQL: every dimension in one pass (GROUP BY GROUPING SETS) over integer codes ---
#
# The portable path reads the answers once per figure and dimension (54 joins of the answer
# table per build: 354 s at 100,000 responses). Here the batch's answers are joined to
# their members once, into a temporary table of integer codes, and each figure is one
# statement grouping by every dimension at once. The rows are those of the portable path
# (tests/insights/test_cube.py compares both on PostgreSQL).
#
# Integers rather than the text the figures are stored under: a member's slice values
# become three codes, one for each grouping set (below); an answer keeps its question and
# choice ids, so the facts are a few integers a row (the text only for titles and
# write-ins) and are written without joining the questions and choices to every answer.
# The grouped rows are then grouped again under the code of the question's key (its lowest
# question id: the versions' copies of a question share it) and of the choice's code (its
# lowest id among the key's choices with that code; -1 and -2 for "yes" and "no", whether
# a boolean or a choice so coded), and the labels are joined back onto those. Each code
# stands for exactly one label, so the groups are those of the labels
# (test_on_postgresql_codes_stand_for_the_keys_and_codes_of_every_version). At 1,000,000
# responses this took the full build from 759 s to 305-324 s at a load of 3 to 3.5 (the
# facts table 54 s -> 34 s and a third of the size; the choice figures 80-120 s -> 50-77 s).

_FACTS = "insights_cube_facts"
_CODED = "insights_cube_coded"
_KEYS = "insights_cube_keys"
_ITEMS = "insights_cube_items"
# Grouping sets rather than one pass a dimension: one set of a state, version, partner link
# and setting together, whose few thousand combinations (18,849 with the role and flag at
# 1,000,000 synthetic responses) each single dimension and each of COMBINATIONS then sums,
# and one of the state and the week, which the week alone and a state's weeks sum. Every
# figure adds up over respondents, each in one week and one combination, so the sums are the
# figures. Each set has a code table: g, its columns, rl, fl. A dimension (or combination)
# both sets hold (the state) is summed from the first that holds it (_set_of).
#
# There are no day figures: the dashboards' date filters are whole weeks (filters.
# filter_params), so a view never needed the day rows the build used to store (a third of
# its rows); a range not made of whole weeks reads the responses (sources._cube_slice).
_SETS = (
    ("g2", "insights_cube_links", ("version", "collector", "state", "setting")),
    ("g1", "insights_cube_weeks", ("state", "week")),
)
_G = ", ".join(g for g, _, _ in _SETS)
_TEMPORARY = (_FACTS, _CODED, _KEYS, _ITEMS, *(table for _, table, _ in _SETS))
_FREE_TEXT = "SUBSTRING(LOWER(TRIM(text_value)), 1, 200)"
# What a choice code stands for (yes/no answers, stored as booleans, are -1 and -2, as are
# choices coded "yes" and "no", which a choice counter counts under the same item).
_ITEM_LABEL = "CASE WHEN p.it = -1 THEN 'yes' WHEN p.it = -2 THEN 'no' ELSE choice.value END"


def _grouped(
    source: str, aggregates: str, k: str = "p.k", it: str = "p.it", *, recode: str = ""
) -> str:
    """Rows (dm, dv, rl, fl, k, it, aggregates...) of `source` (rows of rid, the sets' codes,
    k, it and what `aggregates` read) for every dimension. `recode`: "k" when the source's k is a
    question id, "it" when its it is a choice id, "k it" both; they are grouped again under
    their key's and choice's codes (a few rows for each of thousands of groups, rather than
    one join per answer). `k` and `it` say what the codes stand for (`question` is the
    question of code p.k, `choice` the choice of code p.it)."""
    names = re.findall(r" AS (\w+)(?:,|$)", aggregates)
    sums = ", ".join(f"SUM(x.{name}) AS {name}" for name in names)
    sets = ", ".join(f"({g}, k, it)" for g, _, _ in _SETS)
    grouped = (
        f"SELECT {_G}, k, it, {aggregates} FROM ({source}) AS source "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    if recode:
        kc = "COALESCE(kq.kc, x.k)" if "k" in recode.split() else "x.k"
        ic = "COALESCE(ci.ic, x.it)" if "it" in recode.split() else "x.it"
        xg = ", ".join(f"x.{g}" for g, _, _ in _SETS)
        grouped = (
            f"WITH raw AS MATERIALIZED ({grouped}) "
            f"SELECT {xg}, {kc} AS k, {ic} AS it, {sums} FROM raw x "
            f"LEFT JOIN {_KEYS} kq ON kq.id = x.k LEFT JOIN {_ITEMS} ci ON ci.id = x.it "
            f"GROUP BY {xg}, {kc}, {ic}"
        )
    parts = []
    for g, table, columns in _SETS:
        held = [(name, dims) for name, dims in stored_dimensions() if _set_of(dims)[0] == g]
        # Every dimension and combination of the set in one pass (a hash table each): a
        # grouping set each, told apart by which columns it leaves out (GROUPING's bits,
        # the first column the highest); the values of those it keeps, joined in the set's
        # (DIMENSIONS) order, are the stored value (concat_ws skips the NULLs of the others).
        mask = f"GROUPING({', '.join(f'd.{c}' for c in columns)})"
        which = " ".join(f"WHEN {_left_out(columns, dims)} THEN '{name}'" for name, dims in held)
        sets = ", ".join("(" + ", ".join(f"d.{c}" for c in dims) + ")" for _, dims in held)
        parts.append(
            f"SELECT CASE {mask} {which} END AS dm, "
            f"concat_ws('{COMBINATION_SEPARATOR}', {', '.join(f'd.{c}' for c in columns)}) "
            "AS dv, "
            f"d.rl, d.fl, x.k, x.it, {sums} "
            f"FROM grouped x JOIN {table} d ON d.g = x.{g} "
            f"GROUP BY d.rl, d.fl, x.k, x.it, GROUPING SETS ({sets})"
        )
    q = connection.ops.quote_name
    labels = ""
    if "question." in k:
        labels += f" LEFT JOIN {q(Question._meta.db_table)} question ON question.id = p.k"
    if "choice." in it:
        labels += f" LEFT JOIN {q(Choice._meta.db_table)} choice ON choice.id = p.it"
    values = ", ".join(f"p.{name}" for name in names)
    return (
        f"WITH grouped AS MATERIALIZED ({grouped}) "
        f"SELECT p.dm, p.dv, p.rl, p.fl, {k} AS k, {it} AS it, {values} "
        f"FROM ({' UNION ALL '.join(parts)}) AS p{labels}"
    )


def _left_out(columns, dims) -> int:
    """GROUPING(columns) of the grouping set of `dims`: a bit for each column left out."""
    return sum(1 << (len(columns) - 1 - i) for i, c in enumerate(columns) if c not in dims)


def _set_of(dims) -> tuple[str, str, tuple[str, ...]]:
    """The grouping set whose codes a dimension or combination sums."""
    return next(entry for entry in _SETS if set(dims) <= set(entry[2]))


def _question_ids() -> dict[str, list[int]]:
    """The ids of each question key's questions (one a survey version)."""
    ids: dict[str, list[int]] = {}
    for key, pk in Question.objects.order_by().values_list("key", "pk"):
        ids.setdefault(key, []).append(pk)
    return ids


def _ids_of(ids: dict[str, list[int]], keys) -> str:
    """A SQL list of the ids of these keys' questions (0, no question, when there is none)."""
    return ", ".join(str(pk) for key in keys for pk in ids.get(key, [])) or "0"


def _count_sources(ids: dict[str, list[int]]) -> list[tuple[str, str, str, str, str, str]]:
    """(metric, source, aggregates, k, it, recode): the figures of the portable
    `_count_statements` (see _grouped)."""
    counted = "COUNT(*) AS n, CAST(NULL AS DOUBLE PRECISION) AS t, SUM(rid) AS c"
    f = f"FROM {_FACTS}"
    g = f"rid, {_G}"
    multi = _ids_of(
        ids, Question.objects.filter(type__in=several_a_respondent()).values_list("key", flat=True)
    )
    code = _ids_of(ids, ["crosswalk_code"])
    sources = [("total", f"SELECT {g}, 0 AS k, 0 AS it FROM {_CODED}", counted, "''", "''", "")]
    for column in PROFILE_COLUMNS:
        it = "rl" if column == "role" else column
        sources.append(
            (
                "profile",
                f"SELECT {g}, 0 AS k, {it} AS it FROM {_CODED}",
                counted,
                f"'{column}'",
                "p.it",
                "",
            )
        )
    sources += [
        (
            "choice",
            f"SELECT {g}, qid AS k, ci AS it {f} WHERE ci IS NOT NULL",
            counted,
            "question.key",
            _ITEM_LABEL,
            "k it",
        ),
        (
            # One row per respondent and question key: COUNT(*) is COUNT(DISTINCT respondent).
            # (Grouped by the two alone, the respondent's codes carried along: the planner
            # estimated the groups of all five at six times the rows and sized its hash
            # table for them, 2 GB at 1,000,000 responses.)
            "answered",
            "SELECT f.rid, " + "".join(f"MIN(f.{g}) AS {g}, " for g, _, _ in _SETS) + "kq.kc AS k, "
            f"0 AS it {f} f JOIN {_KEYS} kq ON kq.id = f.qid "
            f"WHERE f.ci IS NOT NULL AND f.qid IN ({multi}) "
            "GROUP BY f.rid, kq.kc",
            counted,
            "question.key",
            "''",
            "",
        ),
        (
            "number",
            f"SELECT {g}, qid AS k, nv AS it {f} WHERE nv IS NOT NULL",
            counted,
            "question.key",
            "CAST(p.it AS VARCHAR)",
            "k",
        ),
        (
            "title",
            f"SELECT {g}, 0 AS k, {_FREE_TEXT} AS it {f} "
            f"WHERE qid IN ({_ids_of(ids, [TITLE_KEY])}) AND text_value <> ''",
            counted,
            "p.rl",
            "p.it",
            "",
        ),
        (
            "writein",
            f"SELECT DISTINCT {g}, 0 AS k, {_FREE_TEXT} AS it {f} "
            f"WHERE qid IN ({_ids_of(ids, WRITE_IN_KEYS)}) AND text_value <> ''",
            counted,
            "''",
            "p.it",
            "",
        ),
        (
            "open",
            f"SELECT {g}, qid AS k, 0 AS it {f} WHERE has_text",
            counted,
            "question.key",
            "''",
            "k",
        ),
        (
            "xw_role",
            f"SELECT {g}, 0 AS k, ci AS it {f} WHERE qid IN ({code})",
            counted,
            "p.rl",
            _ITEM_LABEL,
            "it",
        ),
        (
            "fit",
            "SELECT x.rid, "
            + "".join(f"x.{g}, " for g, _, _ in _SETS)
            + "0 AS k, code.ci AS it, x.nv "
            f"FROM {_FACTS} x JOIN {_FACTS} code ON code.rid = x.rid AND code.qid IN ({code}) "
            f"WHERE x.qid IN ({_ids_of(ids, ['crosswalk_fit'])}) AND x.nv IS NOT NULL",
            "COUNT(*) AS n, CAST(SUM(nv) AS DOUBLE PRECISION) AS t, SUM(rid) AS c",
            "''",
            _ITEM_LABEL,
            "it",
        ),
    ]
    return sources


def _ratings_source() -> str:
    return (
        "SELECT r.response_id AS rid, "
        + "".join(f"m.{g}, " for g, _, _ in _SETS)
        + "r.task_id AS k, 0 AS it, "
        "r.is_relevant, r.importance, r.frequency "
        f"FROM {connection.ops.quote_name(TaskRating._meta.db_table)} r "
        f"JOIN {_CODED} m ON m.rid = r.response_id"
    )


_RATING_AGGREGATES = ", ".join(
    [
        "COUNT(*) AS n",
        "COUNT(*) FILTER (WHERE is_relevant) AS yes",
        "SUM(importance) AS isum",
        "SUM(importance * importance) AS isq",
        *(f"COUNT(*) FILTER (WHERE frequency = {c}) AS q{c}" for c in range(1, 8)),
        "SUM(rid) AS cn",
        "SUM(rid) FILTER (WHERE is_relevant) AS cyes",
        *(f"SUM(rid) FILTER (WHERE frequency = {c}) AS c{c}" for c in range(1, 8)),
    ]
)


def _code_tables(cursor, batch: int | None, ids: dict[str, list[int]], *, analyze: bool) -> None:
    """The batch's temporary tables: each grouping set's codes, the members' codes, the
    codes of the questions' keys and of the choices, and the facts (one row per answer)."""
    q = connection.ops.quote_name
    member = q(CubeMember._meta.db_table)
    # No batch: a full build's members, entered without one (refresh).
    in_batch, params = ("batch IS NULL", []) if batch is None else ("batch = %s", [batch])
    for _, table, columns in _SETS:
        listed = ", ".join(columns)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS "
            f"SELECT CAST(row_number() OVER () AS INTEGER) AS g, {listed}, rl, fl FROM "
            f"(SELECT DISTINCT {listed}, role AS rl, flagged AS fl FROM {member} "
            f"WHERE {in_batch}) AS s",
            params,
        )
        if analyze:
            cursor.execute(f"ANALYZE {table}")
    joins = " ".join(
        f"JOIN {table} {g} ON "
        + " AND ".join(
            [f"{g}.{c} = m.{c}" for c in columns] + [f"{g}.rl = m.role", f"{g}.fl = m.flagged"]
        )
        for g, table, columns in _SETS
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_CODED} ON COMMIT DROP AS "
        "SELECT m.response_id AS rid, "
        + "".join(f"{g}.g AS {g}, " for g, _, _ in _SETS)
        + "m.day, m.state, m.role AS rl, m.setting, m.collector, m.version "
        f"FROM {member} m {joins} "
        f"WHERE m.{in_batch}",
        params,
    )
    if analyze:
        cursor.execute(f"ANALYZE {_CODED}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_KEYS} ON COMMIT DROP AS "
        f"SELECT id, MIN(id) OVER (PARTITION BY key) AS kc FROM {q(Question._meta.db_table)}"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_ITEMS} ON COMMIT DROP AS "
        "SELECT c.id, CASE c.value WHEN 'yes' THEN -1 WHEN 'no' THEN -2 "
        "ELSE MIN(c.id) OVER (PARTITION BY question.key, c.value) END AS ic "
        f"FROM {q(Choice._meta.db_table)} c "
        f"JOIN {q(Question._meta.db_table)} question ON question.id = c.question_id"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_FACTS} ON COMMIT DROP AS "
        "SELECT a.response_id AS rid, "
        + "".join(f"m.{g}, " for g, _, _ in _SETS)
        + "a.question_id AS qid, "
        # The answer's choice, or -1 and -2 for a yes or a no: what the choice figures count.
        "COALESCE(a.choice_id, CASE WHEN a.bool_value THEN -1 WHEN NOT a.bool_value THEN -2 "
        "END) AS ci, a.number_value AS nv, "
        "a.text_value <> '' AS has_text, "
        # The text itself only where a figure groups by it (titles, write-ins).
        f"CASE WHEN a.question_id IN ({_ids_of(ids, (TITLE_KEY, *WRITE_IN_KEYS))}) "
        "THEN a.text_value END AS text_value "
        f"FROM {q(Answer._meta.db_table)} a JOIN {_CODED} m ON m.rid = a.response_id"
    )
    if analyze:
        # A full build: how many groups each grouping set of the choice and number figures
        # makes, counted together (multivariate statistics). With the columns' counts
        # multiplied the planner expected 10.9 million groups for the 0.4 million of the
        # choice figures (hash tables of 475 MB) and 12 million for the 0.65 million of the
        # number figures (729 MB), allocated up front and probed at random; with the
        # statistics it expects fewer than there are (71,000 for the number figures) and the
        # tables grow as they fill (100 MB for the choice figures). EXPLAIN ANALYZE at
        # 1,000,000 responses: the number figures 50 s -> 41 s, the choice figures (from a
        # table like this one) 59 s -> 49 s; whole builds in docs/benchmarks.md.
        for g, _table, _columns in _SETS:
            for value in ("ci", "nv"):
                cursor.execute(
                    f"CREATE STATISTICS pg_temp.{_FACTS}_{g}_{value} (ndistinct) "
                    f"ON {g}, qid, {value} FROM {_FACTS}"
                )
        cursor.execute(f"ANALYZE {_FACTS}")


def _apply_grouping_sets(batch: int | None, sign: int, *, empty: bool = False) -> dict | None:
    """Returns, for a subtraction, the ids of the rows of each table it left at n = 0."""
    # Into emptied tables each statement's rows are new (one per key and figure; the figures'
    # keys differ): plain INSERTs, without ON CONFLICT's speculative insertion per row.
    emptied = {SliceCount: [], SliceTask: []} if sign == SUBTRACT else None
    ids = _question_ids()
    with connection.cursor() as cursor:
        # For this transaction only. Each figure's grouping sets are aggregated by hashing
        # (one hash table per set, one pass): the planner overestimates the number of groups
        # (products of the columns' distinct values) and otherwise sorts the rows once per set
        # (EXPLAIN ANALYZE at 100,000 responses: 133 s sorting for the choice figures, 85 s
        # hashing). work_mem times hash_mem_multiplier bounds what the planner believes the
        # tables need; they take what the real groups need (at 1,000,000 responses under
        # 1 GB a figure, 2 GB for the answered figures' respondents) and spill past it.
        # With a multiplier of 1 the planner sorted the 31.7 million choice rows for one of
        # the three sets (an external merge of 1.5 GB: 122 s for the choice figures against
        # 76 s hashed, EXPLAIN ANALYZE at 1,000,000).
        # No JIT: compiling the expressions cost 4 s a statement and saved nothing.
        # A refresh's few members keep the defaults: a hash table is sized from the planner's
        # estimate, and allocating one for millions of groups costs more than the refresh.
        if empty:
            cursor.execute("SET LOCAL work_mem = '2GB'")
            cursor.execute("SET LOCAL hash_mem_multiplier = 4")
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(_TEMPORARY)}")
        _code_tables(cursor, batch, ids, analyze=empty)
        for metric, source, aggregates, k, it, recode in _count_sources(ids):
            _upsert_sql(
                cursor,
                SliceCount._meta.db_table,
                COUNT_COLUMNS,
                "slice.dm, %s, slice.dv, slice.rl, slice.fl, slice.k, slice.it, %s * slice.n, "
                "%s * slice.t, %s * COALESCE(slice.c, 0)",
                None if empty else COUNT_KEY,
                _grouped(source, aggregates, k, it, recode=recode),
                [metric, sign, sign, sign],
                emptied and emptied[SliceCount],
            )
        _upsert_sql(
            cursor,
            SliceTask._meta.db_table,
            TASK_COLUMNS,
            "slice.dm, slice.dv, slice.rl, slice.fl, slice.k, " + TASK_SELECT,
            None if empty else TASK_KEY,
            _grouped(_ratings_source(), _RATING_AGGREGATES),
            [sign] * 20,
            emptied and emptied[SliceTask],
        )
        cursor.execute(f"DROP TABLE {', '.join(_TEMPORARY)}")
    return emptied


def _add_new_members(batch: int | None, *, emptied: bool = False, since=None) -> int:
    """Enter the counted responses that are not members yet, in a batch (`emptied`: there
    are no members, every counted response is new; `since`: only responses saved since then
    can be new)."""
    q = connection.ops.quote_name
    # Not anti-joined to the emptied table it inserts into: with no statistics for it the
    # planner may loop over it for each response (minutes at 100,000).
    counted = Response.objects.filter(_counted())
    if since is not None:
        counted = counted.filter(updated_at__gte=since)
    new = (
        (counted if emptied else counted.filter(cube_member__isnull=True))
        .values(
            rid=F("pk"),
            st=F("updated_at"),
            d_day=Cast(TruncDate("submitted_at"), CharField()),
            d_version=Cast("version_id", CharField()),
            d_collector=Coalesce(Cast("collector_id", CharField()), Value("")),
            d_state=F("state"),
            d_role=Coalesce("role__slug", Value("")),
            d_setting=F("setting"),
            fl=Case(When(Q(is_too_fast=True) | Q(is_duplicate=True), then=True), default=False),
        )
        .order_by()
    )
    inner, params = new.query.sql_with_params()
    columns = ["response_id", "stamp", *MEMBER_COLUMNS, "week", "flagged", "batch"]
    postgresql = connection.vendor == "postgresql"
    # On PostgreSQL the week (starting Monday, date_trunc's week) in the same statement.
    week = (
        "CASE WHEN m.d_day = '' THEN '' "
        "ELSE to_char(date_trunc('week', CAST(m.d_day AS DATE)), 'YYYY-MM-DD') END"
        if postgresql
        else "''"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(CubeMember._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
            "SELECT m.rid, m.st, m.d_day, m.d_version, m.d_collector, m.d_state, m.d_role, "
            f"m.d_setting, {week}, m.fl, %s FROM ({inner}) AS m",
            [batch, *params],
        )
        added = max(cursor.rowcount, 0)
    if postgresql:
        return added
    # The week (starting Monday) of each day, set here rather than in SQL, where each
    # database writes date arithmetic its own way.
    new_members = CubeMember.objects.filter(batch=batch)
    for day in new_members.values_list("day", flat=True).distinct().order_by():
        week = week_of(date.fromisoformat(day)).isoformat() if day else ""
        new_members.filter(day=day).update(week=week)
    return added


def week_of(day: date) -> date:
    """The Monday that starts the week of a day (as PostgreSQL's date_trunc('week'))."""
    return day - timedelta(days=day.weekday())


def _lock():
    """The state row, locked for this refresh; None when another refresh holds it."""
    CubeBuild.objects.get_or_create(pk=1)
    try:
        with transaction.atomic():  # a savepoint: a refused lock must not spoil the transaction
            return CubeBuild.objects.select_for_update(nowait=True).get(pk=1)
    except DatabaseError:
        return None


def refresh(*, full: bool = False, mark: str | None = None) -> CubeBuild | None:
    """Bring the figures up to date: subtract changed members, add new ones (or, when asked
    or needed, rebuild everything). Returns the state, or None when another refresh is
    running. `mark`: the responses' watermark, when the caller has just read it (the beat
    task, `refresh_if_stale`): taken before this refresh reads any change, it can only be
    older than what the refresh counts, so a change in between brings one refresh more,
    never one missed (a count of 1,000,000 responses saved: 0.1 to 0.2 s)."""
    started = time.perf_counter()
    with transaction.atomic():
        state = _lock()
        if state is None:
            return None
        if mark is None:
            mark = watermark()
        now = timezone.now()
        full = full or state.built_at is None
        since = None if full else _changes_since(state, now)
        removed = 0
        if not full:
            # The members whose response changed, stopped counting or vanished are marked
            # (among those saved since `since`, or all when it is None); only among those is
            # a vanished one looked for.
            unchanged = Response.objects.filter(
                _counted(), pk=OuterRef("pk"), updated_at=OuterRef("stamp")
            )
            members = CubeMember.objects.all()
            if since is not None:
                members = members.filter(response_id__in=_saved_since(since).values("pk"))
            removed = members.filter(~Exists(unchanged)).update(batch=SUBTRACT)
            vanished = CubeMember.objects.filter(batch=SUBTRACT).filter(
                ~Exists(Response.objects.filter(pk=OuterRef("pk")))
            )
            full = bool(removed) and vanished.exists()
            if removed and not full:
                _apply(SUBTRACT, SUBTRACT)
                CubeMember.objects.filter(batch=SUBTRACT).delete()
        if full:
            removed = 0
            SliceCount.objects.all().delete()
            SliceTask.objects.all().delete()
            CubeMember.objects.all().delete()
        # A full build on PostgreSQL enters its members with no batch, the state they are
        # left in (its statements take every member): no update of them all afterwards
        # (8.5 s and a million dead rows at 1,000,000 responses).
        batch = None if full and connection.vendor == "postgresql" else ADD
        added = _add_new_members(batch, emptied=full, since=since)
        if full and connection.vendor == "postgresql":
            # Statistics for the new members, so that joining them to the answers is planned
            # as the hash join it is (and, every member without a batch, so that a refresh
            # joins the answers to its few marked ones only).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(CubeMember._meta.db_table)}")
        if added:
            _apply(batch, ADD, empty=full)
            if batch is not None:
                CubeMember.objects.filter(batch=batch).update(batch=None)
        if full and connection.vendor == "postgresql":
            # Statistics for the refilled figures: without any, the next refresh's upserts
            # and the pages' reads were planned for empty tables (a refresh at 1,000,000
            # responses took 1.9 s before and 0.5 to 1.0 s after, at a load of 3 to 4).
            with connection.cursor() as cursor:
                for model in (SliceCount, SliceTask):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        state.watermark = mark
        state.built_at = timezone.now()
        # Responses saved from now on are the next refresh's changes.
        state.changes_from = now
        if since is None:
            state.scanned_at = now
        if full:
            state.full_built_at = state.built_at
        state.seconds = time.perf_counter() - started
        state.added, state.removed = added, removed
        state.save()
    if full:
        _vacuum()
    logger.info(
        "dashboard figures refreshed%s: %s responses added, %s removed, %.2f s",
        " in full" if full else "",
        added,
        removed,
        state.seconds,
    )
    return state


def _vacuum() -> None:
    """After a full build (committed), on PostgreSQL outside any transaction: clear the
    previous build's rows, left dead by it (and, before a full build entered its members
    without a batch, the batch marks it took off them). Until then every index probe of the
    next refresh met a dead entry beside each live one (the figures' unique keys) and looked
    up its row."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (CubeMember, SliceCount, SliceTask):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def _changes_since(state: CubeBuild, now) -> datetime | None:
    """The earliest last-change time a refresh looks at (the last refresh's start less the
    margin), or None when it must check every member (never scanned, or longer ago than
    `reconcile_seconds`)."""
    if state.changes_from is None or _reconcile_due(state, now):
        return None
    return state.changes_from - timedelta(seconds=change_window_seconds())


def _reconcile_due(state: CubeBuild, now) -> bool:
    """Every member is due to be checked against its response (never, or too long ago)."""
    return (
        state.scanned_at is None or (now - state.scanned_at).total_seconds() > reconcile_seconds()
    )


def _saved_since(since) -> QuerySet[Response]:
    """Responses saved at or after `since`, of any status: a range of the (status,
    updated_at) index for each status."""
    return Response.objects.filter(status__in=Response.Status.values, updated_at__gte=since)


def change_window_seconds() -> int:
    return getattr(settings, "INSIGHTS_CUBE_CHANGE_WINDOW", 600)


def reconcile_seconds() -> int:
    return getattr(settings, "INSIGHTS_CUBE_RECONCILE", 3600)


def rebuild() -> CubeBuild | None:
    return refresh(full=True)


def forget_responses(response_ids) -> int:
    """Subtract the figures of responses about to be deleted (in the deletion's transaction,
    before the delete), so that no full rebuild is needed afterwards."""
    members = CubeMember.objects.filter(response_id__in=list(response_ids))
    if not members.exists():
        return 0
    with transaction.atomic():
        # Wait for a running refresh: both mark rows with the same batch number.
        CubeBuild.objects.select_for_update().filter(pk=1).first()
        count = members.update(batch=SUBTRACT)
        if count:
            _apply(SUBTRACT, SUBTRACT)
            CubeMember.objects.filter(batch=SUBTRACT).delete()
    return count


def refresh_if_stale() -> bool:
    """Refresh when the responses changed since the figures were last brought up to date,
    or when every member has not been checked against its response for `reconcile_seconds`
    (so a change the windowed refreshes missed is caught within that time even when nothing
    else changes: the watermark alone would not move again)."""
    state = current_build()
    mark = watermark()
    if state is not None and state.watermark == mark and not _reconcile_due(state, timezone.now()):
        return False
    return refresh(mark=mark) is not None


def max_age_seconds() -> int:
    return getattr(settings, "INSIGHTS_CUBE_MAX_AGE", 60)
