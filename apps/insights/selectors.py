"""Dashboard figures, computed in SQL over the filtered responses, with suppression applied.

The same functions feed the dashboard pages, the aggregate CSV exports and (later) the
proposal's evidence blocks, so a number is computed in exactly one place. Every function
issues a fixed number of queries whatever the number of responses.
"""

import math
import re
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Lower, Trim, TruncWeek
from django.utils.translation import gettext as _

from apps.surveys.filters import filtered_responses
from apps.surveys.models import (
    Answer,
    Choice,
    Question,
    Response,
    SurveyVersion,
    Task,
    TaskRating,
)
from apps.surveys.scales import FREQUENCY_CHOICES
from apps.surveys.selectors import survey_open_list, version_structure

from .models import RepresentationTarget, TitleMapping
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
        rows.sort(key=lambda r: -r.n)
    rows, hidden = suppress_table(rows, total)
    return Table(
        title=title,
        rows=rows,
        total=sum(r.n for r in rows) if total is None else total,
        total_hidden=hidden,
        key=key,
    )


def _column_counts(qs, column: str) -> list[tuple[str, int]]:
    return [
        (row[column] or "", row["n"])
        for row in qs.values(column).annotate(n=Count("pk")).order_by()
    ]


def choice_table(responses, key: str, lab: Labels, *, keep_order: bool = True) -> Table:
    """One question's distribution, suppressed; in survey order, or largest first."""
    table = choice_tables(responses, (key,), lab)[key]
    if not keep_order:
        table.rows.sort(key=lambda r: -r.n)
    return table


def choice_tables(responses, keys: tuple[str, ...], lab: Labels) -> dict[str, Table]:
    """Distributions of several questions in two grouped scans, suppressed. Questions are
    matched by key across survey versions.

    Single-choice questions have one answer row per respondent, so "answered" is the sum of
    the counts; for multiple-choice questions a second query counts distinct respondents."""
    questions = list(Question.objects.filter(key__in=keys).values_list("pk", "key", "type"))
    qids = {pk: key for pk, key, _type in questions}
    multi_ids = [pk for pk, _key, qtype in questions if qtype == Question.Type.MULTI_CHOICE]
    values = dict(Choice.objects.filter(question_id__in=list(qids)).values_list("pk", "value"))
    answers = Answer.objects.filter(response__in=responses, question_id__in=list(qids))
    counts: dict[str, dict[str, int]] = {key: {} for key in keys}
    answered: dict[str, int] = dict.fromkeys(keys, 0)
    for row in (
        answers.filter(choice__isnull=False)
        .values("question_id", "choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = qids[row["question_id"]]
        value = values[row["choice_id"]]
        counts[key][value] = counts[key].get(value, 0) + row["n"]
        if row["question_id"] not in multi_ids:
            answered[key] += row["n"]
    if multi_ids:
        for question_id, n in _distinct_respondents(answers.filter(question_id__in=multi_ids)):
            answered[qids[question_id]] += n
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


def _distinct_respondents(answers) -> list[tuple[int, int]]:
    """(question id, respondents) for a set of answers: a DISTINCT subquery, then a count.

    Written this way because COUNT(DISTINCT ...) per group makes PostgreSQL sort every
    row, while SELECT DISTINCT can be hashed (seconds against a fraction of one at 100k)."""
    from django.db import connection

    inner_sql, params = (
        answers.values("question_id", "response_id").distinct().order_by().query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT question_id, COUNT(*) FROM ({inner_sql}) respondents GROUP BY question_id",
            params,
        )
        return list(cursor.fetchall())


def number_summaries(responses, keys: tuple[str, ...], lab: Labels) -> list[dict]:
    """n, mean and quartiles of several number questions from one grouped query.

    The query counts each distinct value per question (answers are bounded numbers with
    few distinct values); exact quartiles, interpolated like PostgreSQL's percentile_cont,
    are then read off those counts, so no per-answer sort is needed."""
    qids = dict(Question.objects.filter(key__in=keys).values_list("pk", "key"))
    rows = (
        Answer.objects.filter(
            response__in=responses, question_id__in=list(qids), number_value__isnull=False
        )
        .values("question_id", "number_value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    frequencies: dict[str, dict[float, int]] = {key: {} for key in keys}
    for row in rows:
        table = frequencies[qids[row["question_id"]]]
        value = float(row["number_value"])
        table[value] = table.get(value, 0) + row["n"]
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


def overview(params: dict) -> dict:
    responses = filtered_responses(params)
    lab = labels()
    total = responses.count()
    weekly = list(
        responses.annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    partial_qs = Response.objects.filter(status=Response.Status.IN_PROGRESS)
    for column in ("version", "collector", "state", "setting"):
        if params.get(column):
            partial_qs = partial_qs.filter(
                **{f"{column}_id" if column in ("version", "collector") else column: params[column]}
            )
    if params.get("role"):
        partial_qs = partial_qs.filter(role__slug=params["role"])
    partial_weekly = list(
        partial_qs.annotate(week=TruncWeek("started_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    weeks = sorted({row["week"] for row in weekly} | {row["week"] for row in partial_weekly})
    complete_by_week = {row["week"]: row["n"] for row in weekly}
    partial_by_week = {row["week"]: row["n"] for row in partial_weekly}
    over_time = _table(
        _("Responses by week submitted (complete) or started (still in progress)"),
        [(w.date().isoformat(), complete_by_week.get(w, 0)) for w in weeks],
        {},
        keep_order=True,
        key="weekly",
    )
    for row, week in zip(over_time.rows, weeks, strict=True):
        row.partial = partial_by_week.get(week, 0)
        row.partial_hidden = is_small(row.partial)
    collectors = [
        (row["collector__name"] or _("Portal home page"), row["n"])
        for row in responses.values("collector__name").annotate(n=Count("pk")).order_by()
    ]
    roles = [
        (row["role__slug"] or "", row["n"])
        for row in responses.values("role__slug").annotate(n=Count("pk")).order_by()
    ]
    return {
        "total": total,
        "total_hidden": is_small(total),
        "over_time": over_time,
        "funnel": completion_funnel(params),
        "by_collector": _table(_("Responses by partner link"), collectors, {}, key="collector"),
        "by_state": _table(
            _("Responses by state"), _column_counts(responses, "state"), {}, key="state"
        ),
        "by_role": _table(
            _("Responses by main role"), roles, lab.choices.get("role", {}), key="role"
        ),
        "by_setting": _table(
            _("Responses by setting"),
            _column_counts(responses, "setting"),
            lab.choices.get("setting", {}),
            key="setting",
        ),
        "by_employer": choice_table(responses, "employer_type", lab),
        "representativeness": representativeness(responses, total, lab),
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
    started = qs.count()
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


def representativeness(responses, total: int, lab: Labels) -> list[dict]:
    """Sample share against the targets staff entered, per state and per setting."""
    targets = list(RepresentationTarget.objects.all())
    if not targets:
        return []
    by_state = dict(_column_counts(responses, "state"))
    by_setting = dict(_column_counts(responses, "setting"))
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


def _rating_aggregates() -> dict:
    return {
        "n": Count("pk"),
        "yes": Count("pk", filter=Q(is_relevant=True)),
        "imp_sum": Sum("importance"),
        "imp_sq": Sum(F("importance") * F("importance")),
        **{f"f{c}": Count("pk", filter=Q(frequency=c)) for c in range(1, 8)},
    }


def task_table(params: dict, *, sort: str = "relevance") -> list[TaskStats]:
    """Per task: n, relevance %, mean importance with 95% CI, frequency distribution, core or
    supplemental (O*NET rule: relevance >= 67% and mean importance >= 3.0). One query."""
    responses = filtered_responses(params)
    rows = {
        row["task_id"]: {**row, "imp_sum": row["imp_sum"] or 0, "imp_sq": row["imp_sq"] or 0}
        for row in TaskRating.objects.filter(response__in=responses)
        .values("task_id")
        .annotate(**_rating_aggregates())
        .order_by()
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

    ratings = TaskRating.objects.filter(response__in=filtered_responses(params), task=task)
    pooled = ratings.aggregate(
        **_rating_aggregates(),
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
    for row in ratings.values("response__role__slug").annotate(**_rating_aggregates()).order_by():
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
    answers = Answer.objects.filter(
        response__in=filtered_responses(params), question__key__in=WRITE_IN_KEYS
    ).exclude(text_value="")
    counts = (
        answers.annotate(norm=Lower(Trim("text_value")))
        .values("norm")
        .annotate(n=Count("response_id", distinct=True))
        .order_by("-n")[:200]
    )
    return [
        Row(key=row["norm"], label=row["norm"], n=row["n"])
        for row in counts
        if not is_small(row["n"])
    ]


# --- Job titles ---

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Lowercase, no punctuation, single spaces: "Group-Leader " and "group leader" match."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", (title or "").lower())).strip()


def job_titles(params: dict) -> dict:
    """Raw titles normalized and counted; canonical titles (after staff merges) by role."""
    answers = Answer.objects.filter(
        response__in=filtered_responses(params), question__key="job_title"
    ).exclude(text_value="")
    grouped = (
        answers.annotate(raw=Lower(Trim("text_value")))
        .values("raw", "response__role__slug")
        .annotate(n=Count("pk"))
        .order_by()
    )
    mapping = dict(TitleMapping.objects.values_list("normalized", "canonical"))
    variants: dict[str, int] = {}
    canonical: dict[str, dict[str, int]] = {}
    for row in grouped:
        norm = normalize_title(row["raw"])
        if not norm:
            continue
        variants[norm] = variants.get(norm, 0) + row["n"]
        name = mapping.get(norm, norm)
        by_role = canonical.setdefault(name, {})
        role = row["response__role__slug"] or ""
        by_role[role] = by_role.get(role, 0) + row["n"]
    lab = labels()
    role_labels = lab.choices.get("role", {})
    canonical_rows = []
    for name, by_role in canonical.items():
        total = sum(by_role.values())
        roles = [Row(key=r, label=role_labels.get(r, r or "—"), n=n) for r, n in by_role.items()]
        roles, _hidden = suppress_table(sorted(roles, key=lambda r: -r.n), total)
        canonical_rows.append(
            {
                "title": name,
                "n": total,
                "hidden": is_small(total),
                "roles": roles,
                "merged": name in mapping.values(),
            }
        )
    canonical_rows.sort(key=lambda c: -c["n"])
    variant_rows = sorted(
        (
            {"normalized": norm, "n": n, "hidden": is_small(n), "canonical": mapping.get(norm, "")}
            for norm, n in variants.items()
        ),
        key=lambda v: -v["n"],
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
    responses = filtered_responses(params)
    lab = labels()
    code_labels = lab.choices.get("crosswalk_code", {})
    role_labels = lab.choices.get("role", {})
    code_answers = Answer.objects.filter(response__in=responses, question__key="crosswalk_code")
    pooled = choice_table(responses, "crosswalk_code", lab, keep_order=False)
    by_role_rows = (
        code_answers.values("response__role__slug", "choice__value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_role: dict[str, list[tuple[str, int]]] = {}
    for row in by_role_rows:
        by_role.setdefault(row["response__role__slug"] or "", []).append(
            (row["choice__value"], row["n"])
        )
    role_tables = [
        _table(role_labels.get(role, role or "—"), counts, code_labels, key=role)
        for role, counts in sorted(by_role.items(), key=lambda item: -sum(n for _c, n in item[1]))
    ]
    fit = Answer.objects.filter(response__in=responses, question__key="crosswalk_fit")
    # One join of each fit answer to the same respondent's code answer (hash join).
    fit_by_code = {
        row["response__answers__choice__value"]: row
        for row in fit.filter(response__answers__question__key="crosswalk_code")
        .values("response__answers__choice__value")
        .annotate(n=Count("pk"), mean=Avg("number_value"))
        .order_by()
    }
    for row in pooled.rows:
        stats = fit_by_code.get(row.key)
        row.fit_mean = suppressed_value(
            float(stats["mean"]) if stats and stats["mean"] else None, stats["n"] if stats else 0
        )
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
    responses = filtered_responses(params)
    lab = labels()
    tables = choice_tables(responses, PROFILE_CHOICES + DEMOGRAPHICS, lab)
    return {
        "numbers": number_summaries(responses, PROFILE_NUMBERS, lab),
        "tables": [tables[key] for key in PROFILE_CHOICES],
        "demographics": [tables[key] for key in DEMOGRAPHICS],
    }


# --- Open answers ---


def open_answers(params: dict, *, question: str = "", search: str = ""):
    """Open-text answers with the respondent's role and setting (never contact details)."""
    keys = [question] if question in OPEN_TEXT_KEYS else list(OPEN_TEXT_KEYS)
    answers = (
        Answer.objects.filter(response__in=filtered_responses(params), question__key__in=keys)
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
