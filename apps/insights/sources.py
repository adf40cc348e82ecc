"""Where the dashboards' counts come from: the responses themselves, or the pre-aggregated
figures (apps/insights/cube.py). Both answer the same questions with the same numbers; the
selectors above them do the labelling, ordering and small-cell suppression once.

`source_for(params)` picks the pre-aggregated figures for the unfiltered view and for views
filtered on one dimension (a date range, a version, a partner link or a set of them, a state,
a role or a setting), or on two when the figures hold that pair (cube.COMBINATIONS: two of
partner link, state and setting; a version that all counted responses are in adds nothing;
a role and the flag go with any of them), when they are current or at most
INSIGHTS_CUBE_MAX_AGE seconds old; otherwise the responses. A stale build
is refreshed: at once when Celery runs tasks eagerly (no broker), or by a queued task (and
the Celery beat task every half minute).
"""

import itertools
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.surveys.filters import filtered_responses
from apps.surveys.models import Answer, Collector, Question, TaskRating

from . import cube
from .cube import several_a_respondent, week_of  # noqa: F401 (selectors imports it from here)
from .disclosure import Tally, key_sum
from .models import SliceCount, SliceTask

logger = logging.getLogger(__name__)

SINGLE_DIMENSIONS = ("version", "collector", "state", "setting")
# A set of partner links (collector ids): a partner's scope. Present means "only these", so an
# empty list selects nothing (never everything).
COLLECTORS = "collectors"


def scoped(responses, params: dict):
    """The responses narrowed to the `collectors` set when the params carry one."""
    if COLLECTORS in params:
        return responses.filter(collector_id__in=[int(i) for i in params[COLLECTORS]])
    return responses


def scoped_responses(params: dict):
    """filtered_responses plus the `collectors` set: what every figure of a view counts."""
    return scoped(filtered_responses(params), params)


class RawSource:
    """Counts computed from the filtered responses and their answers."""

    kind = "responses"
    as_of = None

    def __init__(self, params: dict):
        self.params = params
        self.responses = scoped_responses(params)

    def total(self) -> int:
        row = self.responses.aggregate(n=Count("pk"), ck=key_sum("pk"))
        return Tally(row["n"], row["ck"])

    def profile(self, column: str) -> list[tuple[str, int]]:
        """Respondents by day submitted, state, role (slug), setting, collector (id) or
        survey version (id)."""
        expression = {
            "day": TruncDate("submitted_at"),
            "state": F("state"),
            "role": F("role__slug"),
            "setting": F("setting"),
            "collector": F("collector_id"),
            "version": F("version_id"),
        }[column]
        rows = (
            self.responses.values(v=expression).annotate(n=Count("pk"), ck=key_sum("pk")).order_by()
        )
        result = []
        for row in rows:
            value = row["v"]
            if isinstance(value, date):
                value = value.isoformat()
            result.append(("" if value is None else str(value), Tally(row["n"], row["ck"])))
        return result

    def choices(self, keys) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """Per question key: counts per choice value, and respondents who answered."""
        questions = list(Question.objects.filter(key__in=keys).values_list("pk", "key", "type"))
        qids = {pk: key for pk, key, _type in questions}
        multi = [pk for pk, _key, qtype in questions if qtype in several_a_respondent()]
        answers = Answer.objects.filter(response__in=self.responses, question_id__in=list(qids))
        counts: dict[str, dict[str, int]] = {key: {} for key in keys}
        answered: dict[str, int] = dict.fromkeys(keys, 0)
        for row in (
            answers.filter(cube.has_answered_value())
            .values("question_id", value=cube.answered_value())
            .annotate(n=Count("pk"), ck=key_sum("response_id"))
            .order_by()
        ):
            key = qids[row["question_id"]]
            n = Tally(row["n"], row["ck"])
            counts[key][row["value"]] = counts[key].get(row["value"], 0) + n
            if row["question_id"] not in multi:
                answered[key] += n
        if multi:
            for question_id, n, ck in _distinct_respondents(answers.filter(question_id__in=multi)):
                answered[qids[question_id]] += Tally(n, ck)
        return counts, answered

    def numbers(self, keys) -> dict[str, dict[float, int]]:
        """Per number question key: how many respondents gave each value."""
        result: dict[str, dict[float, int]] = {key: {} for key in keys}
        rows = (
            Answer.objects.filter(
                response__in=self.responses, question__key__in=keys, number_value__isnull=False
            )
            .values("number_value", key=F("question__key"))
            .annotate(n=Count("pk"), ck=key_sum("response_id"))
            .order_by()
        )
        for row in rows:
            table = result[row["key"]]
            value = float(row["number_value"])
            table[value] = table.get(value, 0) + Tally(row["n"], row["ck"])
        return result

    def tasks(self) -> dict[int, dict]:
        return {
            row["task_id"]: task_tallies(row)
            for row in TaskRating.objects.filter(response__in=self.responses)
            .values("task_id")
            .annotate(**rating_aggregates())
            .order_by()
        }

    def titles(self) -> list[tuple[str, str, int]]:
        """(title lowercased and trimmed, role slug, respondents)."""
        rows = (
            Answer.objects.filter(response__in=self.responses, question__key=cube.TITLE_KEY)
            .exclude(text_value="")
            .values(raw=cube.free_text(), role=F("response__role__slug"))
            .annotate(n=Count("pk"), ck=key_sum("response_id"))
            .order_by()
        )
        return [(row["raw"], row["role"] or "", Tally(row["n"], row["ck"])) for row in rows]

    def write_ins(self) -> list[tuple[str, int]]:
        """(write-in task lowercased and trimmed, respondents who wrote it)."""
        rows = (
            Answer.objects.filter(response__in=self.responses, question__key__in=cube.WRITE_IN_KEYS)
            .exclude(text_value="")
            .values(norm=cube.free_text())
            .annotate(
                n=Count("response_id", distinct=True), ck=key_sum("response_id", distinct=True)
            )
            .order_by()
        )
        return [(row["norm"], Tally(row["n"], row["ck"])) for row in rows]

    def open_count(self, keys) -> int | None:
        """How many open-text answers to these questions (None: let the list count them)."""
        return None

    def crosswalk_by_role(self) -> list[tuple[str, str, int]]:
        """(role slug, occupation code chosen, respondents)."""
        rows = (
            Answer.objects.filter(response__in=self.responses, question__key="crosswalk_code")
            .values(role=F("response__role__slug"), code=F("choice__value"))
            .annotate(n=Count("pk"), ck=key_sum("response_id"))
            .order_by()
        )
        return [(row["role"] or "", row["code"], Tally(row["n"], row["ck"])) for row in rows]

    def fit_by_code(self) -> dict[str, tuple[int, float | None]]:
        """Per occupation code chosen: (respondents who rated the fit, their mean rating)."""
        fit = Answer.objects.filter(
            response__in=self.responses, question__key="crosswalk_fit", number_value__isnull=False
        )
        # One join of each fit answer to the same respondent's code answer (hash join).
        return {
            row["response__answers__choice__value"]: (
                Tally(row["n"], row["ck"]),
                float(row["mean"]) if row["mean"] is not None else None,
            )
            for row in fit.filter(response__answers__question__key="crosswalk_code")
            .values("response__answers__choice__value")
            .annotate(n=Count("pk"), mean=Avg("number_value"), ck=key_sum("response_id"))
            .order_by()
        }


class CubeSource:
    """The same counts, summed from the pre-aggregated figures of one slice (`fixed`: the
    slice of a combination of dimensions, [(dimension, values), ...] of its others, see
    _cube_slice)."""

    kind = "cube"

    def __init__(
        self,
        build,
        dim: str,
        values,
        day_range,
        role: str | None,
        flagged: bool,
        fixed: list[tuple[str, list[str]]] | None = None,
    ):
        self.build = build
        self.as_of = build.built_at
        self.dim = dim
        self.values = values
        self.day_range = day_range
        self.role = role
        self.flagged = flagged
        self.fixed = fixed

    def _slice(self, model):
        if self.fixed is None:
            prefixes, name = [""], str
        else:
            fixed_dims = [dim for dim, _values in self.fixed]
            prefixes = [
                "".join(f"{value}{cube.COMBINATION_SEPARATOR}" for value in values)
                for values in itertools.product(*(values for _dim, values in self.fixed))
            ]

            def name(dim: str) -> str:
                return cube.combination_dim((*fixed_dims, dim))

        if not prefixes:  # an empty set of partner links selects nothing
            return model.objects.none()
        if self.day_range is not None:
            where = Q()
            for prefix in prefixes:
                where |= week_range(*self.day_range, name=name, prefix=prefix)
            qs = model.objects.filter(where)
        else:
            qs = model.objects.filter(dim=name(self.dim))
            if self.values is not None:
                qs = qs.filter(value__in=[p + v for p in prefixes for v in self.values])
            elif self.fixed is not None:  # pragma: no cover - a pair always has both values
                raise ValueError("a pair slice needs the values of both dimensions")
        if self.role is not None:
            qs = qs.filter(role=self.role)
        if not self.flagged:
            qs = qs.filter(flagged=False)
        return qs

    def _counts(self, metric: str, **filters):
        return (
            self._slice(SliceCount)
            .filter(metric=metric, **filters)
            .values("key", "item")
            .annotate(n=Sum("n"), t=Sum("total"), ck=Sum("ck"))
            .order_by()
        )

    def by_role(self, metric: str, key: str) -> dict[tuple[str, str], Tally]:
        """{(role slug, item): Tally} of one figure and key, split by the respondents' main
        role (the cross-tab of a question by role)."""
        return {
            (row["role"], row["item"]): Tally(row["n"], row["ck"])
            for row in self._slice(SliceCount)
            .filter(metric=metric, key=key)
            .values("role", "item")
            .annotate(n=Sum("n"), ck=Sum("ck"))
            .order_by()
        }

    def total(self) -> int:
        row = self._slice(SliceCount).filter(metric="total").aggregate(n=Sum("n"), ck=Sum("ck"))
        return Tally(row["n"] or 0, row["ck"])

    def profile(self, column: str) -> list[tuple[str, int]]:
        return [
            (row["item"], Tally(row["n"], row["ck"])) for row in self._counts("profile", key=column)
        ]

    def choices(self, keys):
        multi = set(
            Question.objects.filter(key__in=keys, type__in=several_a_respondent()).values_list(
                "key", flat=True
            )
        )
        counts: dict[str, dict[str, int]] = {key: {} for key in keys}
        answered: dict[str, int] = dict.fromkeys(keys, 0)
        rows = (
            self._slice(SliceCount)
            .filter(metric__in=("choice", "answered"), key__in=keys)
            .values("metric", "key", "item")
            .annotate(n=Sum("n"), ck=Sum("ck"))
            .order_by()
        )
        for row in rows:
            key = row["key"]
            n = Tally(row["n"], row["ck"])
            if row["metric"] == "answered":
                answered[key] += n
            else:
                counts[key][row["item"]] = n
                if key not in multi:  # one answer a respondent
                    answered[key] += n
        return counts, answered

    def numbers(self, keys) -> dict[str, dict[float, int]]:
        result: dict[str, dict[float, int]] = {key: {} for key in keys}
        for row in self._counts("number", key__in=keys):
            table = result[row["key"]]
            value = float(row["item"])
            table[value] = table.get(value, 0) + Tally(row["n"], row["ck"])
        return result

    def tasks(self) -> dict[int, dict]:
        rows = (
            self._slice(SliceTask)
            .values("task_id")
            .annotate(
                sn=Sum("n"),
                syes=Sum("yes"),
                s_imp=Sum("imp_sum"),
                s_sq=Sum("imp_sq"),
                **{f"s{c}": Sum(f"f{c}") for c in range(1, 8)},
                **{f"s_{c}": Sum(c) for c in cube.TASK_KEY_COLUMNS},
            )
            .order_by()
        )
        return {
            row["task_id"]: task_tallies(
                {
                    "task_id": row["task_id"],
                    "n": row["sn"],
                    "yes": row["syes"],
                    "imp_sum": row["s_imp"],
                    "imp_sq": row["s_sq"],
                    **{f"f{c}": row[f"s{c}"] for c in range(1, 8)},
                    **{c: row[f"s_{c}"] for c in cube.TASK_KEY_COLUMNS},
                }
            )
            for row in rows
        }

    def titles(self) -> list[tuple[str, str, int]]:
        return [
            (row["item"], row["key"], Tally(row["n"], row["ck"])) for row in self._counts("title")
        ]

    def write_ins(self) -> list[tuple[str, int]]:
        return [(row["item"], Tally(row["n"], row["ck"])) for row in self._counts("writein")]

    def open_count(self, keys) -> int | None:
        row = self._slice(SliceCount).filter(metric="open", key__in=keys).aggregate(n=Sum("n"))
        return row["n"] or 0

    def crosswalk_by_role(self) -> list[tuple[str, str, int]]:
        return [
            (row["key"], row["item"], Tally(row["n"], row["ck"])) for row in self._counts("xw_role")
        ]

    def fit_by_code(self) -> dict[str, tuple[int, float | None]]:
        result = {}
        for row in self._counts("fit"):
            n, total = Tally(row["n"], row["ck"]), row["t"]
            result[row["item"]] = (n, total / n if n and total is not None else None)
        return result


def whole_weeks(start: str | None, end: str | None) -> bool:
    """True when a date range (ISO dates, either open) is whole weeks, Monday to Sunday, as
    filters.filter_params makes every range a view is asked for: the figures hold weeks,
    not days."""
    try:
        return (not start or date.fromisoformat(start).weekday() == 0) and (
            not end or date.fromisoformat(end).weekday() == 6
        )
    except (TypeError, ValueError):
        return False


def week_range(start: str | None, end: str | None, *, name=str, prefix: str = "") -> Q:
    """The stored weeks of a range of whole weeks (ISO dates, a Monday and a Sunday, either
    open). `name` maps "week" to the stored dimension and `prefix` starts every value (a
    pair's fixed value: ISO dates after the same prefix compare as the dates do). Both ends
    are bounded, so that a range stays within its prefix: an open end ("CA|" and on) would
    read every later state's rows and drop them by the prefix."""
    # Written back as YYYY-MM-DD, as stored (fromisoformat also reads "2026-W45-1").
    first = date.fromisoformat(start).isoformat() if start else "0001-01-01"
    last = (date.fromisoformat(end) - timedelta(days=6)).isoformat() if end else "9999-12-31"
    where = Q(dim=name("week"), value__gte=prefix + first, value__lte=prefix + last)
    return where & Q(value__startswith=prefix) if prefix else where


def rating_aggregates() -> dict:
    return {
        "n": Count("pk"),
        "yes": Count("pk", filter=Q(is_relevant=True)),
        "imp_sum": Sum("importance"),
        "imp_sq": Sum(F("importance") * F("importance")),
        **{f"f{c}": Count("pk", filter=Q(frequency=c)) for c in range(1, 8)},
        "ck_n": key_sum("response_id"),
        "ck_yes": key_sum("response_id", filter=Q(is_relevant=True)),
        **{f"ck_f{c}": key_sum("response_id", filter=Q(frequency=c)) for c in range(1, 8)},
    }


def task_tallies(row: dict) -> dict:
    """A task's counts (n, yes, f1..f7) as tallies carrying their record-key sums."""
    row = dict(row)
    for name in ("n", "yes", *(f"f{c}" for c in range(1, 8))):
        row[name] = Tally(row.get(name) or 0, row.pop(f"ck_{name}", 0))
    return row


def _distinct_respondents(answers) -> list[tuple[int, int, int]]:
    """(question id, respondents, their record-key sum) for a set of answers: a DISTINCT
    subquery, then a count.

    Written this way because COUNT(DISTINCT ...) per group makes PostgreSQL sort every
    row, while SELECT DISTINCT can be hashed (seconds against a fraction of one at 100k)."""
    from django.db import connection

    inner_sql, params = (
        answers.values("question_id", "response_id").distinct().order_by().query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT question_id, COUNT(*), SUM(CAST(response_id AS BIGINT)) "
            f"FROM ({inner_sql}) respondents GROUP BY question_id",
            params,
        )
        return list(cursor.fetchall())


# Combinations of dimensions: a view filtered on two (or more) of them (a state and a
# setting, a partner link and a state, ...) reads the pre-aggregated figures when the build
# holds the combination (cube.COMBINATIONS), under the dimension cube.combination_dim(dims)
# with values "<fixed value>|...|<ranged value>" (the last one "ranged", the others "fixed":
# a date range within one state is a range of values sharing the prefix "CA|", stored under
# the pair of the state and the week).


def _cube_slice(params: dict):
    """(dimension, values, day range, fixed) when the pre-aggregated figures can answer these
    filters, else None: at most one of dates (whole weeks), version, partner link (or a set
    of them), state, setting, or two or three of them when the figures hold the combination
    (a state's weeks among them); a role with any of them. `fixed` is [(dimension, values),
    ...] of a combination's other dimensions. All responses are the sum over the versions."""
    fixed = {d: [str(params[d])] for d in SINGLE_DIMENSIONS if params.get(d)}
    has_dates = bool(params.get("date_from") or params.get("date_to"))
    day_range = (params.get("date_from"), params.get("date_to")) if has_dates else None
    if COLLECTORS in params:
        if "collector" in fixed:
            return None
        fixed["collector"] = [str(int(i)) for i in params[COLLECTORS]]
    if (
        "version" in fixed
        and len(fixed) + has_dates > 1
        and fixed["version"] == [cube.only_version()]
    ):
        # Every response counted is in this version: the filter selects them all, and the
        # view is the one without it (the figures hold no combination with the version).
        del fixed["version"]
    if has_dates and not whole_weeks(*day_range):
        return None
    if not fixed:
        return ("week", None, day_range, None) if has_dates else ("version", None, None, None)
    held = frozenset(cube.COMBINATIONS)
    dims = sorted(fixed, key=cube.DIMENSIONS.index)
    if has_dates:
        if (*dims, "week") in held:
            return "week", None, day_range, [(dim, fixed[dim]) for dim in dims]
        return None
    if len(dims) == 1:
        return dims[0], fixed[dims[0]], None, None
    if tuple(dims) in held:
        return dims[-1], fixed[dims[-1]], None, [(dim, fixed[dim]) for dim in dims[:-1]]
    return None


def _queue_refresh() -> None:
    """Queue a refresh of a stale build for a Celery worker (at most one queued a half
    minute). Never run here: a web request reads figures, it never builds them."""
    from .tasks import cube_refresh

    if cache.add("insights:cube-refresh-queued", 1, timeout=30):
        try:
            cube_refresh.delay()
        except Exception:  # broker down: the beat task will try again
            logger.warning("could not queue a refresh of the dashboard figures", exc_info=True)
            cache.delete("insights:cube-refresh-queued")


def source_for(params: dict):
    """The source of the counts for a filtered view (see the module docstring).

    A stale build is never refreshed inside the request. With a broker, a refresh is queued
    and the build still serves for INSIGHTS_CUBE_MAX_AGE seconds; with tasks run eagerly
    (development, tests: no worker to queue for, and an eager task would run right here)
    a stale build is not used. Either way the page then reads the responses.

    With a broker the page checks only the responses' latest change (`cube.looks_current`,
    one index step) and the beat task, every half minute, the full watermark (it also counts
    them, about 100 ms at 1,000,000 responses); with tasks run eagerly there is no beat task,
    so the page checks the full watermark itself."""
    spec = _cube_slice(params)
    if spec is None or not getattr(settings, "INSIGHTS_CUBE", True):
        return RawSource(params)
    from ostportal.celery_app import app as celery_app

    eager = celery_app.conf.task_always_eager
    build = cube.current_build()
    current = build is not None and (
        build.watermark == cube.watermark() if eager else cube.looks_current(build)
    )
    if not current:
        if eager:
            return RawSource(params)
        _queue_refresh()
        if build is None or (timezone.now() - build.built_at).total_seconds() > (
            cube.max_age_seconds()
        ):
            return RawSource(params)
    dim, values, day_range, fixed = spec
    return CubeSource(
        build,
        dim,
        values,
        day_range,
        role=params.get("role"),
        flagged=bool(params.get("flagged")),
        fixed=fixed,
    )


def collector_names(ids) -> dict[str, str]:
    return {
        str(pk): name
        for pk, name in Collector.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "pk", "name"
        )
    }
