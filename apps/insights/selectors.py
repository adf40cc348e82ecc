"""Dashboard figures, computed in SQL over the filtered responses, with suppression applied.

The same functions feed the dashboard pages, the aggregate CSV exports and (later) the
proposal's evidence blocks, so a number is computed in exactly one place. Every function
issues a fixed number of queries whatever the number of responses.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from apps.surveys.models import (
    Answer,
    Response,
    SurveyVersion,
    Task,
    TaskRating,
)
from apps.surveys.scales import FREQUENCY_CHOICES
from apps.surveys.selectors import survey_open_list, version_structure

from .models import RepresentationTarget, TitleMapping
from .sources import (
    collector_names,
    rating_aggregates,
    scoped,
    scoped_responses,
    source_for,
    week_of,
)
from .suppression import Row, is_small, k, suppress_table, suppressed_value

CORE_RELEVANCE = 67.0
CORE_IMPORTANCE = 3.0
OPEN_TEXT_KEYS = (
    "describe_work",
    "occupation_name",
    "change_one_thing",
    "write_in_1",
    "write_in_2",
    "write_in_3",
)
WRITE_IN_KEYS = ("write_in_1", "write_in_2", "write_in_3")


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
    """Question and choice labels in the active language (cached structure: no query)."""
    survey = survey_open_list().first()
    result = Labels()
    if survey is None:
        return result
    version = survey.versions.filter(status=SurveyVersion.Status.PUBLISHED).first()
    if version is None:
        return result
    for key, question in version_structure(version).questions.items():
        result.questions[key] = question.tr("text")
        result.choices[key] = {c.value: c.tr("label") for c in question.choice_list}
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
        Row(key=str(value), label=label_map.get(str(value), str(value) or _("(blank)")), n=n)
        for value, n in counts
    ]
    if not keep_order:
        rows.sort(key=lambda r: (-r.n, r.key))
    rows, hidden = suppress_table(rows, total)
    return Table(
        title=title,
        rows=rows,
        total=sum(r.n for r in rows) if total is None else total,
        total_hidden=hidden,
        key=key,
    )


def choice_table(source, key: str, lab: Labels, *, keep_order: bool = True) -> Table:
    """One question's distribution, suppressed; in survey order, or largest first."""
    table = choice_tables(source, (key,), lab)[key]
    if not keep_order:
        table.rows.sort(key=lambda r: (-r.n, r.key))
    return table


def choice_tables(source, keys: tuple[str, ...], lab: Labels) -> dict[str, Table]:
    """Distributions of several questions (matched by key across survey versions), suppressed.
    The total of each is the number of respondents who answered it."""
    counts, answered = source.choices(keys)
    tables = {}
    for key in keys:
        order = list(lab.choices.get(key, {}))
        ordered = sorted(
            counts[key].items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order)
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
    for key in keys:
        n, mean, p25, p50, p75 = _summary_from_counts(frequencies[key])
        result.append(
            {
                "key": key,
                "title": lab.questions.get(key, key),
                "n": n,
                "n_hidden": is_small(n),
                "mean": suppressed_value(mean, n),
                "p25": suppressed_value(p25, n),
                "median": suppressed_value(p50, n),
                "p75": suppressed_value(p75, n),
            }
        )
    return result


def _summary_from_counts(counts: dict[float, int]):
    """n, mean, 25th, 50th and 75th percentile (linear interpolation) of value counts."""
    n = sum(counts.values())
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
    partial_qs = Response.objects.filter(status=Response.Status.IN_PROGRESS)
    for column in ("version", "collector", "state", "setting"):
        if params.get(column):
            partial_qs = partial_qs.filter(
                **{f"{column}_id" if column in ("version", "collector") else column: params[column]}
            )
    if params.get("role"):
        partial_qs = partial_qs.filter(role__slug=params["role"])
    partial_qs = scoped(partial_qs, params)
    partial_by_week = _weekly(
        (row["day"], row["n"])
        for row in partial_qs.values(day=TruncDate("started_at")).annotate(n=Count("pk")).order_by()
    )
    weeks = sorted(set(complete_by_week) | set(partial_by_week))
    over_time = _table(
        _("Responses by week submitted (complete) or started (still in progress)"),
        [(w.isoformat(), complete_by_week.get(w, 0)) for w in weeks],
        {},
        keep_order=True,
        key="weekly",
    )
    for row, week in zip(over_time.rows, weeks, strict=True):
        row.partial = partial_by_week.get(week, 0)
        row.partial_hidden = is_small(row.partial)
    by_collector = source.profile("collector")
    names = collector_names([value for value, _n in by_collector])
    by_state = source.profile("state")
    by_setting = source.profile("setting")
    return {
        "total": total,
        "total_hidden": is_small(total),
        "over_time": over_time,
        "funnel": completion_funnel(params),
        "by_collector": _table(
            _("Responses by partner link"),
            [(names.get(value, _("Portal home page")), n) for value, n in by_collector],
            {},
            key="collector",
        ),
        "by_state": _table(_("Responses by state"), by_state, {}, key="state"),
        "by_role": _table(
            _("Responses by main role"),
            source.profile("role"),
            lab.choices.get("role", {}),
            key="role",
        ),
        "by_setting": _table(
            _("Responses by setting"), by_setting, lab.choices.get("setting", {}), key="setting"
        ),
        "by_employer": choice_table(source, "employer_type", lab),
        "representativeness": representativeness(dict(by_state), dict(by_setting), total, lab),
    }


def completion_funnel(params: dict) -> Table:
    """How many responses reached each page: complete ones count for every page."""
    survey = survey_open_list().first()
    version = (
        survey.versions.filter(status=SurveyVersion.Status.PUBLISHED).first() if survey else None
    )
    if version is None:
        return Table(title=_("Completion funnel"), rows=[], total=0)
    structure = version_structure(version)
    qs = Response.objects.filter(version=version).exclude(status=Response.Status.SCREENED_OUT)
    if params.get("collector"):
        qs = qs.filter(collector_id=params["collector"])
    qs = scoped(qs, params)
    counts = {
        (row["last_page_key"], row["status"]): row["n"]
        for row in qs.values("last_page_key", "status").annotate(n=Count("pk")).order_by()
    }
    complete = sum(n for (page, status), n in counts.items() if status == Response.Status.COMPLETE)
    keys = [p.key for p in structure.pages]
    reached = []
    for index, page in enumerate(structure.pages):
        beyond = sum(
            n
            for (key, status), n in counts.items()
            if status == Response.Status.IN_PROGRESS and key in keys[index:]
        )
        reached.append((page.key, beyond + complete))
    started = sum(counts.values())
    rows = [Row(key="started", label=_("Started"), n=started)]
    rows += [Row(key=key, label=structure.page(key).tr("title"), n=n) for key, n in reached]
    rows.append(Row(key="complete", label=_("Submitted"), n=complete))
    for row in rows:
        row.hidden = is_small(row.n)
        row.share = None if row.hidden or not started else 100 * row.n / started
    return Table(
        title=_("Completion funnel: responses that saved each page"),
        rows=rows,
        total=started,
        total_hidden=is_small(started),
        key="funnel",
    )


def representativeness(by_state: dict, by_setting: dict, total: int, lab: Labels) -> list[dict]:
    """Sample share against the targets staff entered, per state and per setting."""
    targets = list(RepresentationTarget.objects.all())
    if not targets:
        return []
    result = []
    for target in targets:
        counts = by_state if target.dimension == "state" else by_setting
        n = counts.get(target.value, 0)
        label = lab.choices.get("setting", {}).get(target.value, target.value)
        share = 100 * n / total if total else 0.0
        hidden = is_small(n)
        result.append(
            {
                "dimension": target.get_dimension_display(),
                "value": label,
                "n": n,
                "hidden": hidden,
                "sample_percent": None if hidden else share,
                "target_percent": float(target.target_percent),
                "gap": None if hidden else share - float(target.target_percent),
            }
        )
    return result


# --- Duties ---


@dataclass
class TaskStats:
    task: Task
    n: int
    relevant: int
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


def _task_stats(task: Task, row: dict) -> TaskStats:
    n, yes = row["n"], row["yes"]
    relevance = 100 * yes / n if n else None
    mean = sd = low = high = None
    if yes:
        mean = row["imp_sum"] / yes
        if yes > 1:
            variance = max(0.0, (row["imp_sq"] - yes * mean * mean) / (yes - 1))
            sd = math.sqrt(variance)
            half = 1.96 * sd / math.sqrt(yes)
            low, high = mean - half, mean + half
    freq = [
        {"category": c, "n": row[f"f{c}"], "share": 100 * row[f"f{c}"] / yes if yes else None}
        for c in range(1, 8)
    ]
    modal = max(freq, key=lambda f: f["n"])["category"] if yes else None
    modal_label = str(dict(FREQUENCY_CHOICES)[modal]) if modal else ""
    core = (
        relevance is not None
        and mean is not None
        and relevance >= CORE_RELEVANCE
        and mean >= CORE_IMPORTANCE
    )
    hidden = n < k()
    stats_hidden = yes < k()
    if stats_hidden:
        mean = sd = low = high = modal = None
        modal_label = ""
        freq = [{**f, "n": None, "share": None} for f in freq]
    return TaskStats(
        task=task,
        n=n,
        relevant=yes,
        relevance_pct=None if hidden else relevance,
        importance_mean=mean,
        importance_sd=sd,
        ci_low=low,
        ci_high=high,
        frequency=freq,
        modal_frequency=modal,
        modal_frequency_label=modal_label,
        classification="" if hidden or stats_hidden else ("core" if core else "supplemental"),
        hidden=hidden,
        stats_hidden=stats_hidden,
        low_precision=(yes < 10) or (low is not None and high - low > 1.0),
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
        "n": lambda s: -s.n,
        "code": lambda s: s.task.order,
    }
    return sorted(stats, key=keys.get(sort, keys["relevance"]))


def task_detail(params: dict, task: Task) -> dict:
    """One task: its importance and frequency distributions, and its figures by role."""
    from apps.surveys.scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES

    ratings = TaskRating.objects.filter(response__in=scoped_responses(params), task=task)
    pooled = ratings.aggregate(
        **rating_aggregates(),
        **{f"i{c}": Count("pk", filter=Q(importance=c)) for c in range(1, 6)},
    )
    pooled["imp_sum"] = pooled["imp_sum"] or 0
    pooled["imp_sq"] = pooled["imp_sq"] or 0
    importance = _table(
        _("Importance (among those who do this task)"),
        [(str(c), pooled[f"i{c}"]) for c in range(1, 6)],
        {str(v): str(label) for v, label in IMPORTANCE_CHOICES},
        total=pooled["yes"],
        keep_order=True,
        key="importance",
    )
    frequency = _table(
        _("Frequency (among those who do this task)"),
        [(str(c), pooled[f"f{c}"]) for c in range(1, 8)],
        {str(v): str(label) for v, label in FREQUENCY_CHOICES},
        total=pooled["yes"],
        keep_order=True,
        key="frequency",
    )
    by_role = []
    lab = labels()
    for row in ratings.values("response__role__slug").annotate(**rating_aggregates()).order_by():
        row = {**row, "imp_sum": row["imp_sum"] or 0, "imp_sq": row["imp_sq"] or 0}
        stats = _task_stats(task, row)
        by_role.append(
            (
                lab.choices.get("role", {}).get(
                    row["response__role__slug"] or "", row["response__role__slug"] or "—"
                ),
                stats,
            )
        )
    by_role.sort(key=lambda pair: -pair[1].n)
    return {
        "task": task,
        "pooled": _task_stats(task, pooled),
        "importance": importance,
        "frequency": frequency,
        "by_role": by_role,
    }


def write_in_tasks(params: dict) -> list[Row]:
    """Write-in tasks, normalized and counted, for staff to merge into the task bank.

    Write-ins are free text: only those written by at least K respondents in the same words
    are listed with their text."""
    counts = sorted(source_for(params).write_ins(), key=lambda item: (-item[1], item[0]))[:200]
    return [Row(key=norm, label=norm, n=n) for norm, n in counts if not is_small(n)]


# --- Job titles ---

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Lowercase, no punctuation, single spaces: "Group-Leader " and "group leader" match."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", (title or "").lower())).strip()


def job_titles(params: dict) -> dict:
    """Raw titles normalized and counted; canonical titles (after staff merges) by role."""
    mapping = dict(TitleMapping.objects.values_list("normalized", "canonical"))
    variants: dict[str, int] = {}
    canonical: dict[str, dict[str, int]] = {}
    for raw, role, n in source_for(params).titles():
        norm = normalize_title(raw)
        if not norm:
            continue
        variants[norm] = variants.get(norm, 0) + n
        name = mapping.get(norm, norm)
        by_role = canonical.setdefault(name, {})
        by_role[role] = by_role.get(role, 0) + n
    lab = labels()
    role_labels = lab.choices.get("role", {})
    canonical_rows = []
    for name, by_role in canonical.items():
        total = sum(by_role.values())
        roles = [Row(key=r, label=role_labels.get(r, r or "—"), n=n) for r, n in by_role.items()]
        roles, _hidden = suppress_table(sorted(roles, key=lambda r: (-r.n, r.key)), total)
        canonical_rows.append(
            {
                "title": name,
                "n": total,
                "hidden": is_small(total),
                "roles": roles,
                "merged": name in mapping.values(),
            }
        )
    canonical_rows.sort(key=lambda c: (-c["n"], c["title"]))
    variant_rows = sorted(
        (
            {"normalized": norm, "n": n, "hidden": is_small(n), "canonical": mapping.get(norm, "")}
            for norm, n in variants.items()
        ),
        key=lambda v: (-v["n"], v["normalized"]),
    )
    # A title written by fewer than K people could identify them: its text is not listed.
    return {
        "canonical": [c for c in canonical_rows if not c["hidden"]],
        "variants": [v for v in variant_rows if not v["hidden"]],
        "hidden_titles": sum(1 for v in variant_rows if v["hidden"]),
        "total": sum(variants.values()),
    }


# --- Crosswalk ---


def crosswalk(params: dict) -> dict:
    """Which existing occupation fits best, and how well, by role; the share saying none fits."""
    source = source_for(params)
    lab = labels()
    code_labels = lab.choices.get("crosswalk_code", {})
    role_labels = lab.choices.get("role", {})
    pooled = choice_table(source, "crosswalk_code", lab, keep_order=False)
    by_role: dict[str, list[tuple[str, int]]] = {}
    for role, code, n in source.crosswalk_by_role():
        by_role.setdefault(role, []).append((code, n))
    role_tables = [
        _table(role_labels.get(role, role or "—"), counts, code_labels, key=role)
        for role, counts in sorted(
            by_role.items(), key=lambda item: (-sum(n for _c, n in item[1]), item[0])
        )
    ]
    fit_by_code = source.fit_by_code()
    for row in pooled.rows:
        n, mean = fit_by_code.get(row.key, (0, None))
        row.fit_mean = suppressed_value(mean, n)
    none_row = next((r for r in pooled.rows if r.key == "none"), None)
    return {
        "pooled": pooled,
        "by_role": role_tables,
        "none_share": none_row.share if none_row else None,
        "fit_scale": lab.choices.get("crosswalk_fit", {}),
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


# --- Open answers ---


def open_answer_count(params: dict, *, question: str = "", search: str = "") -> int | None:
    """How many open answers the list below holds, from the pre-aggregated figures when they
    can say (no text search); None when the list must count itself."""
    if search:
        return None
    keys = [question] if question in OPEN_TEXT_KEYS else list(OPEN_TEXT_KEYS)
    return source_for(params).open_count(keys)


def open_answers(params: dict, *, question: str = "", search: str = ""):
    """Open-text answers with the respondent's role and setting (never contact details)."""
    keys = [question] if question in OPEN_TEXT_KEYS else list(OPEN_TEXT_KEYS)
    answers = (
        Answer.objects.filter(response__in=scoped_responses(params), question__key__in=keys)
        .exclude(text_value="")
        .select_related("question", "response__role")
        .only(
            "text_value",
            "question__key",
            "question__text_en",
            "question__text_es",
            "response__setting",
            "response__language",
            "response__role__label_en",
            "response__role__label_es",
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
