"""Dashboard figures, computed in SQL over the filtered responses, with suppression applied.

The same functions feed the dashboard pages, the aggregate CSV exports and (later) the
proposal's evidence blocks, so a number is computed in exactly one place. Every function
issues a fixed number of queries whatever the number of responses.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.surveys.filters import funnel_responses
from apps.surveys.models import (
    Answer,
    Response,
    SurveyVersion,
    Task,
    TaskRating,
)
from apps.surveys.qtypes import qtype
from apps.surveys.scales import FREQUENCY_CHOICES
from apps.surveys.selectors import survey_open_list, version_structure

from . import formatting
from .disclosure import (
    Row,
    Tally,
    apply_rows,
    is_small,
    k,
    key_sum,
    protect_grid,
    protect_quartiles,
    protect_share,
    protect_stat,
    protect_table,
    query_set_allowed,
    shown_count,
)
from .models import RepresentationTarget, TitleMapping
from .sources import (
    collector_names,
    rating_aggregates,
    scoped,
    scoped_responses,
    source_for,
    task_tallies,
    week_of,
)

CORE_RELEVANCE = 67.0
CORE_IMPORTANCE = 3.0
# The main role whose core tasks describe the proposed occupation (a code for front-line
# staff, DOMAIN.md section 3): the public results and the proposal's draft definition. A
# task's relevance is the share among those asked about it, mostly its own roles, so pooled
# over every role a manager's or a coach's task reads as core to the whole field.
CORE_TASKS_ROLE = "frontline"
IMPORTANCE_BOUNDS = (1, 5)  # the importance scale: what one rating can be
OPEN_TEXT_KEYS = (
    "describe_work",
    "occupation_name",
    "change_one_thing",
    "write_in_1",
    "write_in_2",
    "write_in_3",
)
WRITE_IN_KEYS = ("write_in_1", "write_in_2", "write_in_3")
QUERY_SET_TOO_SMALL = gettext_lazy(
    "This selection has fewer than %(k)s responses, so no figures are shown. Widen the filters."
)


@dataclass
class Table:
    """A distribution: rows with counts and shares, the total, and whether it is suppressed."""

    title: str
    rows: list[Row]
    total: int
    total_hidden: bool = False
    key: str = ""


@dataclass
class Labels:
    """Labels of question texts and choices, from the published survey version."""

    questions: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)


def labels() -> Labels:
    """Question and choice labels in the active language: from the published survey version,
    then from the versions before it for questions it no longer asks (cached structures)."""
    survey = survey_open_list().first()
    result = Labels()
    if survey is None:
        return result
    live = (SurveyVersion.Status.PUBLISHED, SurveyVersion.Status.RETIRED)
    versions = sorted(
        survey.versions.filter(status__in=live),
        key=lambda v: (v.status != SurveyVersion.Status.PUBLISHED, -v.number),
    )
    for version in versions:
        for key, question in version_structure(version).questions.items():
            if key in result.questions:
                continue
            result.questions[key] = question.tr("text")
            result.choices[key] = qtype(question).choice_labels(question)
    return result


def _table(
    title: str,
    counts: list[tuple[str, int]],
    label_map: dict[str, str],
    *,
    total: int | None = None,
    key: str = "",
    keep_order: bool = False,
) -> Table:
    rows = [
        Row(key=str(value), label=label_map.get(str(value), str(value) or _("No answer")), n=n)
        for value, n in counts
    ]
    true_total = sum(r.n for r in rows) if total is None else total
    rows, hidden = protect_table(rows, total)
    if not keep_order:
        _largest_first(rows)
    return Table(
        title=title,
        rows=rows,
        total=None if hidden else shown_count(true_total),
        total_hidden=hidden,
        key=key,
    )


def _largest_first(rows: list[Row]) -> None:
    """Sort protected rows by their shown count; hidden rows last, in the order of their
    keys (their true size, even their order by size, is not shown)."""
    rows.sort(key=lambda r: (r.hidden, -(r.n or 0), r.key))


def choice_table(source, key: str, lab: Labels, *, keep_order: bool = True) -> Table:
    """One question's distribution, suppressed; in survey order, or largest first."""
    table = choice_tables(source, (key,), lab)[key]
    if not keep_order:
        _largest_first(table.rows)
    return table


def choice_tables(source, keys: tuple[str, ...], lab: Labels) -> dict[str, Table]:
    """Distributions of several questions (matched by key across survey versions), suppressed.
    The total of each is the number of respondents who answered it."""
    counts, answered = source.choices(keys)
    tables = {}
    for key in keys:
        order = list(lab.choices.get(key, {}))
        # Every choice of the question is listed, with 0 when nobody chose it, whatever the
        # filters: whether a category appears never depends on who is in the selection.
        present = {**dict.fromkeys(order, 0), **counts[key]}
        ordered = sorted(
            present.items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order)
        )
        tables[key] = _table(
            lab.questions.get(key, key),
            ordered,
            lab.choices.get(key, {}),
            total=answered[key],
            key=key,
            keep_order=True,
        )
    return tables


def number_summaries(source, keys: tuple[str, ...], lab: Labels) -> list[dict]:
    """n, mean and quartiles of several number questions.

    The source counts each distinct value per question (answers are bounded numbers with
    few distinct values); exact quartiles, interpolated like PostgreSQL's percentile_cont,
    are then read off those counts, so no per-answer sort is needed."""
    frequencies = source.numbers(keys)
    result = []
    digits = formatting.DIGITS["number"]
    for key in keys:
        n, mean, p25, p50, p75 = _summary_from_counts(frequencies[key])
        # One contributor pulls a statistic at most across the values given (the perturbation
        # of the disclosure layer is scaled to that, and kept within it).
        bounds = (min(frequencies[key]), max(frequencies[key])) if n else None
        quartiles = protect_quartiles((p25, p50, p75), n, name=key, bounds=bounds, digits=digits)
        result.append(
            {
                "key": key,
                "title": lab.questions.get(key, key),
                "n": shown_count(n),
                "n_hidden": is_small(n),
                "mean": protect_stat(mean, n, name=f"{key}:mean", bounds=bounds, digits=digits),
                "p25": quartiles[0],
                "median": quartiles[1],
                "p75": quartiles[2],
            }
        )
    return result


def _summary_from_counts(counts: dict[float, int]):
    """n, mean, 25th, 50th and 75th percentile (linear interpolation) of value counts."""
    n = sum(counts.values(), Tally(0))
    if not n:
        return 0, None, None, None, None
    ordered = sorted(counts.items())
    mean = sum(value * count for value, count in ordered) / n

    def at(rank: int) -> float:  # the value at 0-based position `rank` in sorted order
        seen = 0
        for value, count in ordered:
            seen += count
            if rank < seen:
                return value
        return ordered[-1][0]

    def percentile(p: float) -> float:
        position = p * (n - 1)
        low = int(position)
        return at(low) + (at(min(low + 1, n - 1)) - at(low)) * (position - low)

    return n, mean, percentile(0.25), percentile(0.5), percentile(0.75)


# --- Overview ---


def _weekly(day_counts) -> dict:
    """Counts per day ("YYYY-MM-DD" or date) summed into weeks starting on Monday."""
    weeks: dict = {}
    for day, n in day_counts:
        if not day:
            continue
        day = date.fromisoformat(day) if isinstance(day, str) else day
        week = week_of(day)
        weeks[week] = weeks.get(week, 0) + n
    return weeks


def overview(params: dict) -> dict:
    source = source_for(params)
    lab = labels()
    total = source.total()
    complete_by_week = _weekly(source.profile("day"))
    # Started, not finished: the in-progress responses the funnel counts (same filters; the
    # date range applies to the day they were started).
    partial_qs = scoped(funnel_responses(params), params).filter(status=Response.Status.IN_PROGRESS)
    partial_by_week = _weekly(
        (row["day"], Tally(row["n"], row["ck"]))
        for row in partial_qs.values(day=TruncDate("started_at"))
        .annotate(n=Count("pk"), ck=key_sum("pk"))
        .order_by()
    )
    weeks = sorted(set(complete_by_week) | set(partial_by_week))
    over_time = _table(
        _("Complete responses by week submitted"),
        [(w.isoformat(), complete_by_week.get(w, 0)) for w in weeks],
        {},
        keep_order=True,
        key="weekly",
    )
    # The unfinished column is a table of its own (with its total, in the CSV): protected
    # as one, so no hidden week follows from the total.
    unfinished = _table(
        _("Responses started and not finished, by week started"),
        [(w.isoformat(), partial_by_week.get(w, Tally(0))) for w in weeks],
        {},
        keep_order=True,
        key="weekly_unfinished",
    )
    for row, partial in zip(over_time.rows, unfinished.rows, strict=True):
        row.partial = partial.n
        row.partial_hidden = partial.hidden
    by_collector = source.profile("collector")
    names = collector_names([value for value, _n in by_collector])
    by_state = source.profile("state")
    by_setting = source.profile("setting")
    state_table = _table(_("Responses by state"), by_state, {}, key="state")
    setting_table = _table(
        _("Responses by setting"), by_setting, lab.choices.get("setting", {}), key="setting"
    )
    return {
        "total": shown_count(total),
        "total_hidden": is_small(total),
        "over_time": over_time,
        "unfinished": unfinished,
        "funnel": completion_funnel(params, source),
        "by_collector": _table(
            _("Responses by partner link"),
            [(names.get(value, _("Portal home page")), n) for value, n in by_collector],
            {},
            key="collector",
        ),
        "by_state": state_table,
        "by_role": _table(
            _("Responses by main role"),
            source.profile("role"),
            lab.choices.get("role", {}),
            key="role",
        ),
        "by_setting": setting_table,
        "by_employer": choice_table(source, "employer_type", lab),
        "representativeness": representativeness(state_table, setting_table, lab),
    }


def _funnel_pages(version_ids) -> tuple[list[str], dict[str, str], dict[int, list[str]]]:
    """The page keys of the versions (each version's own order), their union in survey
    order (the published version's order, then pages only older versions have, after the
    page they followed) and a title per key (from the newest version that has the page)."""
    versions = sorted(
        SurveyVersion.objects.filter(pk__in=version_ids),
        key=lambda v: (v.status != SurveyVersion.Status.PUBLISHED, -v.number),
    )
    order: list[str] = []
    titles: dict[str, str] = {}
    pages_of: dict[int, list[str]] = {}
    for version in versions:
        keys = [p.key for p in version_structure(version).pages]
        pages_of[version.pk] = keys
        for index, key in enumerate(keys):
            if key in titles:
                continue
            titles[key] = version_structure(version).page(key).tr("title")
            before = next((keys[i] for i in range(index - 1, -1, -1) if keys[i] in order), None)
            order.insert(order.index(before) + 1 if before else 0, key)
    return order, titles, pages_of


# Statuses the funnel does not count as unfinished: complete (counted from the figures'
# source) and screened out (never counted as started).
_NOT_UNFINISHED = (Response.Status.COMPLETE, Response.Status.SCREENED_OUT)


def completion_funnel(params: dict, source=None) -> Table:
    """How many responses reached each page, over every survey version (pages matched by
    their key): an unfinished response reached the pages of its version up to the last one
    it saved, a complete one every page. Same filters as the figures (the date range on the
    day submitted, or started for unfinished responses); excluded responses are left out,
    flagged ones unless included. Screened-out responses are not counted as started."""
    # The complete ones are the figures' respondents (same filters): per version from the
    # figures' source, the pre-aggregated figures when they answer the view (a scan of every
    # complete response took 430 ms at 1,000,000). The unfinished ones from the responses,
    # through the (status, updated_at) index.
    counts: dict[tuple[int, str, str], int] = {
        (int(version), "", Response.Status.COMPLETE): n
        for version, n in (source or source_for(params)).profile("version")
        if n
    }
    unfinished = [s for s in Response.Status.values if s not in _NOT_UNFINISHED]
    for row in (
        scoped(funnel_responses(params), params)
        .filter(status__in=unfinished)
        .values("version_id", "last_page_key", "status")
        .annotate(n=Count("pk"), ck=key_sum("pk"))
        .order_by()
    ):
        counts[row["version_id"], row["last_page_key"], row["status"]] = Tally(row["n"], row["ck"])
    order, titles, pages_of = _funnel_pages({version for version, _p, _s in counts})
    reached = dict.fromkeys(order, Tally(0))
    complete = Tally(0)
    for (version, last_page, status), n in counts.items():
        keys = pages_of.get(version, [])
        if status == Response.Status.COMPLETE:
            complete += n
            upto = len(keys)
        else:
            upto = keys.index(last_page) + 1 if last_page in keys else 0
        for key in keys[:upto]:
            reached[key] += n
    started = sum(counts.values(), Tally(0))
    rows = [Row(key="started", label=_("Started"), n=started)]
    rows += [Row(key=key, label=titles[key], n=reached[key]) for key in order]
    rows.append(Row(key="complete", label=_("Submitted"), n=complete))
    # Nested counts, not parts of a total: each is protected on its own, shares of the start.
    apply_rows(
        rows,
        list(range(len(rows))),
        {i for i, row in enumerate(rows) if is_small(row.n)},
        started,
        is_small(started),
    )
    _never_rising(rows, [started, *(reached[key] for key in order), complete])
    return Table(
        title=_("Completion funnel: responses that saved each page"),
        rows=rows if started else [],
        total=shown_count(started),
        total_hidden=is_small(started),
        key="funnel",
    )


def _never_rising(rows: list[Row], true_counts: list) -> None:
    """A step of the funnel never shows more than the step before it when its true count is
    not more (the same people or fewer reached it; a page only a later version has can be
    reached by more): two nested counts, each perturbed, could otherwise rise ("Submitted
    1,171" under "Follow-up 1,169"), which reads as an error. The step shows the count of
    the one before instead. Its true count lies between the two shown ones, so it moves no
    further from the truth than the noise does (at most 2), never below K, and what it tells
    (that no more people reached this step) is what a funnel says anyway. Compared with the
    last step shown, past any hidden one between them."""
    shown_total = rows[0].n if rows and not rows[0].hidden else None
    last = None  # the index of the last step shown
    for i, row in enumerate(rows):
        if row.n is None:
            continue
        if last is not None and true_counts[i] <= true_counts[last] and row.n > rows[last].n:
            row.n = rows[last].n
            if row.share is not None and shown_total:
                row.share = 100 * min(row.n, shown_total) / shown_total
        last = i


def representativeness(by_state: Table, by_setting: Table, lab: Labels) -> list[dict]:
    """Sample share against the targets staff entered, per state and per setting.

    Read from the protected state and setting tables shown beside it, so a cell hidden
    there (primary or complementary) is hidden here too."""
    targets = list(RepresentationTarget.objects.all())
    if not targets:
        return []
    rows = {
        "state": {r.key: r for r in by_state.rows},
        "setting": {r.key: r for r in by_setting.rows},
    }
    result = []
    for target in targets:
        table = by_state if target.dimension == "state" else by_setting
        row = rows["state" if target.dimension == "state" else "setting"].get(target.value)
        label = lab.choices.get("setting", {}).get(target.value, target.value)
        hidden = table.total_hidden or (row is not None and row.hidden)
        share = None if hidden else (row.share if row is not None else 0.0)
        result.append(
            {
                "dimension": target.get_dimension_display(),
                "value": label,
                "n": None if hidden else (row.n if row is not None else 0),
                "hidden": hidden,
                "sample_percent": share,
                "target_percent": float(target.target_percent),
                "gap": None if share is None else share - float(target.target_percent),
            }
        )
    return result


# --- Duties ---


@dataclass
class TaskStats:
    task: Task
    n: int
    relevant: int
    rated: int
    relevance_pct: float | None
    importance_mean: float | None
    importance_sd: float | None
    ci_low: float | None
    ci_high: float | None
    frequency: list[dict]
    modal_frequency: int | None
    modal_frequency_label: str
    classification: str
    hidden: bool
    stats_hidden: bool
    low_precision: bool
    # Digits that keep the shown figure on the side of the core threshold the exact one is
    # on (66.996% is shown as 66.996, not 67, beside "supplemental").
    relevance_digits: int = formatting.DIGITS["relevance"]
    importance_digits: int = formatting.DIGITS["importance"]


def _task_stats(
    task: Task, row: dict, *, hide_n=False, hide_yes=False, hide_relevance=False
) -> TaskStats:
    """A task's figures, protected. Relevance is over everyone who answered the checklist (n);
    importance and frequency over those who rated the task (`rated`, counted from the
    frequency cells: both scales are answered together). Without planned missingness every
    relevant task is rated, so rated == relevant; with it, the mean and its interval use the
    rated n only. The hide_* flags come from the linked protection of a by-role table
    (task_detail); alone, n is hidden when under K, the ratings when the rated n is, and the
    relevance share when yes or its complement (no) is 1..K-1."""
    n, yes = row["n"], row["yes"]
    rated = sum((row[f"f{c}"] for c in range(1, 8)), Tally(0))
    hidden = n < k() or bool(hide_n)
    stats_hidden = rated < k() or bool(hide_yes)
    relevance = None if hidden or hide_relevance else protect_share(yes, n)
    mean = sd = low = high = width = None
    if rated:
        # The disclosure layer perturbs the mean and the SD (scale 1-5); the interval is
        # worked from the shown mean, SD and rated n, so it gives back none of the true ones.
        digits = formatting.DIGITS["importance"]
        true_mean = row["imp_sum"] / rated
        mean = protect_stat(
            true_mean, rated, name=f"task{task.pk}:mean", bounds=IMPORTANCE_BOUNDS, digits=digits
        )
        if mean is None:  # fewer than K rated it: worked out only for the label below
            mean = true_mean
        if rated > 1:
            variance = max(0.0, (row["imp_sq"] - rated * true_mean * true_mean) / (rated - 1))
            sd = protect_stat(
                math.sqrt(variance),
                rated,
                name=f"task{task.pk}:sd",
                bounds=(0, IMPORTANCE_BOUNDS[1] - IMPORTANCE_BOUNDS[0]),
                digits=formatting.DIGITS["sd"],
            )
            if sd is None:
                sd = math.sqrt(variance)
            half = 1.96 * sd / math.sqrt(shown_count(rated) or rated)
            # Clipped to the 1-5 scale (a mean cannot lie outside it: a reviewer read
            # "0.88–3.80" as an error); the precision rule below uses the whole width.
            width = 2 * half
            low = max(IMPORTANCE_BOUNDS[0], mean - half)
            high = min(IMPORTANCE_BOUNDS[1], mean + half)
    frequency_rows = [Row(key=str(c), label=str(c), n=row[f"f{c}"]) for c in range(1, 8)]
    exact_modal = max(range(1, 8), key=lambda c: row[f"f{c}"]) if rated else None
    protect_table(frequency_rows, rated)
    # The most common frequency as the counts beside it show it: with any count shown (a zero
    # is shown but cannot be the most common), the
    # largest shown (the noise could put another first: the label must not disagree with the
    # shares printed beside it), or none when the most common is itself hidden to protect
    # another cell; with every count hidden (a small group), the most common one.
    shown = {
        c: r.n for c, r in zip(range(1, 8), frequency_rows, strict=True) if not r.hidden and r.n
    }
    if not shown:
        modal = exact_modal
    else:
        modal = max(shown, key=lambda c: shown[c]) if exact_modal in shown else None
    freq = [
        {"category": c, "n": r.n, "share": r.share}
        for c, r in zip(range(1, 8), frequency_rows, strict=True)
    ]
    modal_label = str(dict(FREQUENCY_CHOICES)[modal]) if modal else ""
    # The label follows the relevance shown; when that is hidden, see _hidden_relevance_core.
    if mean is None:
        core, undecided = False, True
    elif relevance is not None:
        core, undecided = relevance >= CORE_RELEVANCE and mean >= CORE_IMPORTANCE, False
    else:
        outcomes = _hidden_relevance_core(int(yes), int(n), mean)
        core, undecided = outcomes == {True}, len(outcomes) != 1
    if stats_hidden:
        mean = sd = low = high = modal = None
        modal_label = ""
        freq = [{**f, "n": None, "share": None} for f in freq]
    return TaskStats(
        task=task,
        n=None if hidden else shown_count(n),
        relevant=None if relevance is None else shown_count(yes),
        rated=None if stats_hidden else shown_count(rated),
        relevance_pct=relevance,
        importance_mean=None if rated < k() else mean,
        importance_sd=None if rated < k() else sd,
        ci_low=None if rated < k() else low,
        ci_high=None if rated < k() else high,
        frequency=freq,
        modal_frequency=modal,
        modal_frequency_label=modal_label,
        classification=(
            "" if hidden or stats_hidden or undecided else ("core" if core else "supplemental")
        ),
        hidden=hidden,
        stats_hidden=stats_hidden,
        low_precision=(rated < 10) or (width is not None and width > 1.0),
        relevance_digits=formatting.digits_beside(
            None if hidden else relevance, CORE_RELEVANCE, formatting.DIGITS["relevance"]
        ),
        importance_digits=formatting.digits_beside(
            mean, CORE_IMPORTANCE, formatting.DIGITS["importance"]
        ),
    )


def task_table(params: dict, *, sort: str = "relevance") -> list[TaskStats]:
    """Per task: n, relevance %, mean importance with 95% CI, frequency distribution, core or
    supplemental (O*NET rule: relevance >= 67% and mean importance >= 3.0). One query."""
    rows = {
        task_id: {**row, "imp_sum": row["imp_sum"] or 0, "imp_sq": row["imp_sq"] or 0}
        for task_id, row in source_for(params).tasks().items()
    }
    tasks = Task.objects.filter(pk__in=rows.keys()).order_by("order")
    stats = [_task_stats(task, rows[task.pk]) for task in tasks]
    keys = {
        "relevance": lambda s: -(s.relevance_pct if s.relevance_pct is not None else -1),
        "importance": lambda s: -(s.importance_mean if s.importance_mean is not None else -1),
        "n": lambda s: -(s.n or 0),
        "code": lambda s: s.task.order,
    }
    return sorted(stats, key=keys.get(sort, keys["relevance"]))


def task_detail(params: dict, task: Task) -> dict:
    """One task: its importance and frequency distributions, and its figures by role."""
    from apps.surveys.scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES

    ratings = TaskRating.objects.filter(response__in=scoped_responses(params), task=task)
    importance_counts = {f"i{c}": Count("pk", filter=Q(importance=c)) for c in range(1, 6)} | {
        f"ck_i{c}": key_sum("response_id", filter=Q(importance=c)) for c in range(1, 6)
    }
    pooled = task_tallies(ratings.aggregate(**rating_aggregates(), **importance_counts))
    pooled["imp_sum"] = pooled["imp_sum"] or 0
    pooled["imp_sq"] = pooled["imp_sq"] or 0
    rated = sum(pooled[f"f{c}"] for c in range(1, 8))
    importance = _table(
        _("Importance (among those who do this task)"),
        [(str(c), Tally(pooled[f"i{c}"], pooled[f"ck_i{c}"])) for c in range(1, 6)],
        {str(v): str(label) for v, label in IMPORTANCE_CHOICES},
        total=rated,
        keep_order=True,
        key="importance",
    )
    frequency = _table(
        _("Frequency (among those who do this task)"),
        [(str(c), pooled[f"f{c}"]) for c in range(1, 8)],
        {str(v): str(label) for v, label in FREQUENCY_CHOICES},
        total=rated,
        keep_order=True,
        key="frequency",
    )
    lab = labels()
    roles = {}
    for row in ratings.values("response__role__slug").annotate(**rating_aggregates()).order_by():
        row = task_tallies(row)
        row["imp_sum"], row["imp_sq"] = row["imp_sum"] or 0, row["imp_sq"] or 0
        roles[row["response__role__slug"] or ""] = row
    # Roles x (yes, no) with the pooled figures as margins: protected together, so that no
    # role's hidden count follows from the pooled one minus the roles shown.
    cells = {}
    for role, row in roles.items():
        cells[(role, "yes")] = row["yes"]
        cells[(role, "no")] = row["n"] - row["yes"]
    hidden_cells, hidden_roles, hidden_columns, pooled_hidden = protect_grid(
        cells,
        {role: row["n"] for role, row in roles.items()},
        {"yes": pooled["yes"], "no": pooled["n"] - pooled["yes"]},
    )
    by_role = []
    for role, row in roles.items():
        stats = _task_stats(
            task,
            row,
            hide_n=role in hidden_roles,
            hide_yes=(role, "yes") in hidden_cells,
            hide_relevance=(role, "yes") in hidden_cells or (role, "no") in hidden_cells,
        )
        label = lab.choices.get("role", {}).get(role, role or "—")
        by_role.append((label, stats))
    by_role.sort(key=lambda pair: (pair[1].hidden, -(pair[1].n or 0), str(pair[0])))
    return {
        "task": task,
        "pooled": _task_stats(
            task,
            pooled,
            hide_n=pooled_hidden,
            hide_yes="yes" in hidden_columns,
            hide_relevance=bool(hidden_columns),
        ),
        "importance": importance,
        "frequency": frequency,
        "by_role": by_role,
    }


def write_in_tasks(params: dict) -> list[Row]:
    """Write-in tasks, normalized and counted, for staff to merge into the task bank.

    Write-ins are free text: only those written by at least K respondents in the same words
    are listed with their text."""
    counts = sorted(source_for(params).write_ins(), key=lambda item: (-item[1], item[0]))[:200]
    return [Row(key=norm, label=norm, n=shown_count(n)) for norm, n in counts if n >= k()]


# --- Job titles ---

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Lowercase, no punctuation, single spaces: "Group-Leader " and "group leader" match.
    Composed first (NFC), so an accent typed as a mark of its own (an "i" then a combining
    acute) stays on its letter, "í", rather than becoming punctuation ("li der")."""
    text = unicodedata.normalize("NFC", title or "").lower()
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def title_key(normalized: str) -> str:
    """What titles are counted under: the normalized title without accents, so "líder de
    grupo" and "lider de grupo" (typed on a phone without the accent) are one title, not two
    halves each too small to list."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", normalized) if not unicodedata.combining(c)
    )


def _title_spelling(spellings: dict[str, int]) -> str:
    """The way of writing a title shown for its group: the most common one; among equally
    common ones, the one with accents ("líder" beside "lider"), then the first in order."""
    return min(spellings, key=lambda s: (-spellings[s], -(s != title_key(s)), s))


def _hidden_relevance_core(yes: int, n: int, mean: float) -> set[bool]:
    """Whether a task whose relevance share is hidden would be core, for every number of
    yes answers the hidden share could stand for: those with the same cells under K as the
    true one (the yes count, the no count, or both, 1..K-1). One outcome: the label tells no
    more than which count is small, as a hidden mark does. Two: no label, since a label
    from the true share narrowed the hidden count (n 9, mean 3.8, "supplemental": 3 or 4
    said no). A share hidden for another reason (complementary) is labelled as is."""
    small = range(1, k())
    pattern = (yes in small, n - yes in small)
    if pattern == (False, False):
        candidates = [yes]
    else:
        near = {*range(1, min(k(), n)), *range(max(1, n - k() + 1), n)}
        candidates = [y for y in near if (y in small, n - y in small) == pattern]
    return {100 * y / n >= CORE_RELEVANCE and mean >= CORE_IMPORTANCE for y in candidates}


def job_titles(params: dict) -> dict:
    """Raw titles normalized and counted; canonical titles (after staff merges) by role."""
    mapping = {  # the latest merge of a title wins (one made under each spelling, before)
        title_key(norm): name
        for norm, name in TitleMapping.objects.order_by("updated_at", "pk").values_list(
            "normalized", "canonical"
        )
    }
    variants: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    roles_of: dict[str, dict[str, int]] = {}
    for raw, role, n in source_for(params).titles():
        norm = normalize_title(raw)
        if not norm:
            continue
        key = title_key(norm)
        variants[key] = variants.get(key, Tally(0)) + n
        written = spellings.setdefault(key, {})
        written[norm] = written.get(norm, 0) + int(n)
        by_key = roles_of.setdefault(key, {})
        by_key[role] = by_key.get(role, Tally(0)) + n
    shown_as = {key: _title_spelling(written) for key, written in spellings.items()}
    canonical: dict[str, dict[str, int]] = {}
    for key, by_key in roles_of.items():
        by_role = canonical.setdefault(mapping.get(key, shown_as[key]), {})
        for role, n in by_key.items():
            by_role[role] = by_role.get(role, Tally(0)) + n
    lab = labels()
    role_labels = lab.choices.get("role", {})
    canonical_rows = []
    for name, by_role in canonical.items():
        total = sum(by_role.values(), Tally(0))
        roles = [Row(key=r, label=role_labels.get(r, r or "—"), n=n) for r, n in by_role.items()]
        roles, _hidden = protect_table(roles, total)
        _largest_first(roles)
        canonical_rows.append(
            {
                "title": name,
                "n": shown_count(total),
                "true_n": total,
                "hidden": total < k(),
                "roles": roles,
                "merged": name in mapping.values(),
            }
        )
    canonical_rows.sort(key=lambda c: (-(c["n"] or 0), c["title"]))
    for row in canonical_rows:
        del row["true_n"]
    variant_rows = sorted(
        (
            {
                "normalized": shown_as[key],
                "n": shown_count(n),
                "hidden": n < k(),
                "canonical": mapping.get(key, ""),
            }
            for key, n in variants.items()
        ),
        key=lambda v: (-(v["n"] or 0), v["normalized"]),
    )
    total = sum(variants.values(), Tally(0))
    # A title written by fewer than K people could identify them: its text is not listed.
    # How many such titles there are is not given either: an exact, unperturbed count that
    # followed the respondents (in a small group each rare title is about one person, and
    # two views one person apart differed by exactly one title).
    return {
        "canonical": [c for c in canonical_rows if not c["hidden"]],
        "variants": [{**v, "n": v["n"]} for v in variant_rows if not v["hidden"]],
        "total": shown_count(total),
        "total_hidden": is_small(total),
    }


# --- Crosswalk ---


def crosswalk(params: dict) -> dict:
    """Which existing occupation fits best, and how well, by role; the share saying none fits."""
    source = source_for(params)
    lab = labels()
    code_labels = lab.choices.get("crosswalk_code", {})
    role_labels = lab.choices.get("role", {})
    counts, answered = source.choices(("crosswalk_code",))
    pooled_counts = counts["crosswalk_code"]
    by_role: dict[str, dict[str, int]] = {}
    for role, code, n in source.crosswalk_by_role():
        by_role.setdefault(role, {})[code] = n
    # Roles x codes with the pooled table as the column totals: protected together, so no
    # hidden role cell follows from the pooled count minus the roles shown (or the reverse).
    cells = {(role, code): n for role, codes in by_role.items() for code, n in codes.items()}
    role_totals = {role: sum(codes.values(), Tally(0)) for role, codes in by_role.items()}
    hidden_cells, hidden_roles, hidden_codes, total_hidden = protect_grid(
        cells, role_totals, dict(pooled_counts)
    )
    total = answered["crosswalk_code"]
    total_hidden = total_hidden or total < k()
    order = list(code_labels)
    codes = sorted(pooled_counts, key=lambda c: order.index(c) if c in order else len(order))
    pooled_rows = [
        Row(key=code, label=code_labels.get(code, code or _("No answer")), n=pooled_counts[code])
        for code in codes
    ]
    apply_rows(pooled_rows, codes, hidden_codes, total, total_hidden)
    _largest_first(pooled_rows)
    pooled = Table(
        title=lab.questions.get("crosswalk_code", "crosswalk_code"),
        rows=pooled_rows,
        total=None if total_hidden else shown_count(total),
        total_hidden=total_hidden,
        key="crosswalk_code",
    )
    fit_by_code = source.fit_by_code()
    fit_range = formatting.scale_range(lab.choices.get("crosswalk_fit", {}))
    for row in pooled.rows:
        n, mean = fit_by_code.get(row.key, (0, None))
        row.fit_mean = (
            None
            if row.hidden
            else protect_stat(
                mean,
                n,
                name=f"fit:{row.key}",
                bounds=fit_range,
                digits=formatting.DIGITS["fit"],
            )
        )
    role_tables = []
    for role, role_counts in by_role.items():
        role_codes = sorted(role_counts, key=lambda c: codes.index(c) if c in codes else 0)
        rows = [
            Row(key=code, label=code_labels.get(code, code), n=role_counts[code])
            for code in role_codes
        ]
        hidden = {code for code in role_codes if (role, code) in hidden_cells}
        role_hidden = role in hidden_roles
        apply_rows(rows, role_codes, hidden, role_totals[role], role_hidden)
        _largest_first(rows)
        role_tables.append(
            Table(
                title=role_labels.get(role, role or "—"),
                rows=rows,
                total=None if role_hidden else shown_count(role_totals[role]),
                total_hidden=role_hidden,
                key=role,
            )
        )
    # Largest shown total first; tables whose total is hidden last, by their key: ordered by
    # their true totals, two hidden tables gave away which of them is larger.
    role_tables.sort(key=lambda t: (t.total_hidden, -(t.total or 0), t.key or ""))
    none_row = next((r for r in pooled.rows if r.key == "none"), None)
    return {
        "pooled": pooled,
        "by_role": role_tables,
        "none_share": none_row.share if none_row else None,
        "fit_scale": lab.choices.get("crosswalk_fit", {}),
        "fit_range": fit_range,
    }


# --- Workforce profile ---

PROFILE_CHOICES = (
    "full_time",
    "split_shift",
    "pay_type",
    "salary_band",
    "benefits",
    "education",
    "enrolled",
    "credentials",
    "how_entered",
    "stay_1_year",
    "stay_3_years",
    "schedule",
    "ages_served",
)
PROFILE_NUMBERS = (
    "hours_per_week",
    "months_per_year",
    "hourly_rate",
    "years_in_field",
    "years_with_employer",
    "other_jobs",
)
DEMOGRAPHICS = ("age_band", "gender", "race_ethnicity", "languages_at_work")


def workforce_profile(params: dict) -> dict:
    source = source_for(params)
    lab = labels()
    tables = choice_tables(source, PROFILE_CHOICES + DEMOGRAPHICS, lab)
    return {
        "numbers": number_summaries(source, PROFILE_NUMBERS, lab),
        "tables": [tables[key] for key in PROFILE_CHOICES],
        "demographics": [tables[key] for key in DEMOGRAPHICS],
    }


# --- Minimum query-set size ---


def query_set_size(params: dict) -> int:
    """The true number of responses the filters in effect select (one COUNT query), what
    every figure of the view would count."""
    return scoped_responses(params).count()


def query_set_reaches(params: dict, limit: int) -> int:
    """The true number of responses the filters select, counted up to `limit` and no
    further (`COUNT(*)` over a subquery with `LIMIT`): min(true count, limit). Whether a
    selection reaches K is all the gate needs, and it then reads K rows, not the whole
    selection (the exact count over 1,000,000 responses took a quarter of a second a page)."""
    return scoped_responses(params).order_by()[:limit].count()


def query_set_notice(params: dict) -> str:
    """The gate every dashboard view (staff and partner pages, their CSVs, the partner API)
    passes before computing a figure: "" when the filters select at least K responses,
    otherwise the message shown instead of every figure (in the active language)."""
    if query_set_allowed(query_set_reaches(params, k())):
        return ""
    return str(QUERY_SET_TOO_SMALL % {"k": k()})


# --- Open answers ---


# Open answers are record-level text: two lists under different filters can be compared or
# intersected (each answer is unique) to pick out the answers of a group smaller than K, which
# the lists' own group-size check and the counts' noise cannot prevent (found by an outside
# differencing audit: the list with flagged responses minus the list without them was one
# respondent's answer; a state's list intersected with a role's list gave a hidden cell's).
# So a list is narrowed by main role only (besides the question and words searched), holds
# the counted responses only (never flagged ones), and prints no attribute beside an answer
# but its role, which the role filter reveals anyway: role and setting side by side gave
# away a role x setting cell of one.
OPEN_ANSWER_FILTERS = ("role",)


def open_answer_params(params: dict) -> dict:
    """The filters an open-answer list applies (OPEN_ANSWER_FILTERS); the others are left
    out, and `open_answer_ignored` names them for the page."""
    return {key: value for key, value in params.items() if key in OPEN_ANSWER_FILTERS}


def open_answer_ignored(params: dict) -> list[str]:
    """Keys of the filters given that an open-answer list does not apply."""
    return [key for key in params if key not in OPEN_ANSWER_FILTERS]


def open_answer_count(params: dict, *, question: str = "", search: str = "") -> int | None:
    """How many open answers the list below holds, from the pre-aggregated figures when they
    can say (no text search); None when the list must count itself."""
    if search:
        return None
    keys = [question] if question in OPEN_TEXT_KEYS else list(OPEN_TEXT_KEYS)
    return source_for(open_answer_params(params)).open_count(keys)


def open_answer_group(params: dict) -> dict:
    """Whether the group an open-answer list covers (`open_answer_params`) is large enough to
    list (at least K respondents), and the roles too rare in it to print beside an answer
    (a role held by 1..K-1 of the group would point to that person)."""
    source = source_for(open_answer_params(params))
    total = source.total()
    return {
        "allowed": total >= k(),
        "rare_roles": {role for role, n in source.profile("role") if is_small(n)},
    }


def label_open_answers(answers, group: dict) -> None:
    """Set `role_shown` on each answer of a page of a list: its respondent's main role as the
    dashboards name it, or "—" when the role is too rare in the list's group, the group too
    small to list, or the respondent gave none."""
    names = labels().choices.get("role", {})
    for answer in answers:
        role = answer.response.role
        slug = role.slug if role is not None else ""
        rare = not slug or slug in group["rare_roles"] or not group["allowed"]
        answer.role_shown = "—" if rare else names.get(slug) or role.tr("label")


def open_answers(params: dict, *, question: str = "", search: str = ""):
    """Open-text answers of the counted responses in the group `open_answer_params` keeps,
    with the respondent's role (never another attribute, never contact details)."""
    keys = [question] if question in OPEN_TEXT_KEYS else list(OPEN_TEXT_KEYS)
    answers = (
        # `response__status` repeats what scoped_responses requires, on the joined response:
        # the planner can then walk complete responses newest first (the status and
        # submission index) and stop at the page's last answer, rather than sort every open
        # answer (at 1,000,000 responses, unfiltered: 368 ms before, 23 ms after).
        Answer.objects.filter(
            response__in=scoped_responses(open_answer_params(params)),
            response__status=Response.Status.COMPLETE,
            question__key__in=keys,
        )
        .exclude(text_value="")
        .select_related("question", "response__role")
        .only(
            "text_value",
            "question__key",
            "question__text_en",
            "question__text_es",
            "response__role__label_en",
            "response__role__label_es",
            "response__role__slug",
            "response__submitted_at",
        )
        .order_by("-response__submitted_at", "pk")
    )
    if search:
        answers = answers.filter(text_value__icontains=search[:100])
    return answers


def link_counts(params: dict) -> Table:
    """Complete responses per partner link (row keys are collector ids), suppressed as one
    table whose total is shown beside it."""
    counts = source_for(params).profile("collector")
    names = collector_names([value for value, _n in counts])
    table = _table(_("Responses by partner link"), counts, names, key="collector")
    return table


def figures_stamp() -> list:
    """When the title mappings and the pre-aggregated figures last changed (two small
    queries): the proposal's evidence blocks compare it to know whether they may be stale."""
    from .models import CubeBuild, TitleMapping

    return [
        TitleMapping.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        list(CubeBuild.objects.values_list("watermark", "built_at")[:1]),
    ]
