"""Honest time estimates: a model of the respondent's own path, scaled to real completion
times once enough responses exist.

The model gives each question type a number of seconds (reading it, choosing or typing), each
page a fixed overhead (title, Next, loading), each task in the duties checklist the time to read
its statement and tap, and each task rated the time for its two one-tap scales. The constants
were set against the keystroke-level model of `make bench-ux` (see bench/ux_bench.py), which
walks every role's path; with REAL_MINIMUM or more complete responses to the version, the
median real completion time replaces the model's total and the model only splits it across
the pages left.
"""

import math

from django.core.cache import cache
from django.db.models import Q

from .conditions import condition_met, condition_possible
from .models import Question, Response
from .qtypes import qtype

PAGE_SECONDS = 5
CHECK_SECONDS = 6.5  # read one task statement, tap it if it is part of the job
RATE_SECONDS = 13  # re-read a checked task, two one-tap scales
RATE_SCREEN_SECONDS = 5
CHECKED_SHARE = 2 / 3  # expected share of a role's tasks checked, before the checklist
REAL_MINIMUM = 30
REAL_CACHE_SECONDS = 600


def question_seconds(q: Question, values) -> float:
    """Seconds for a question; one whose condition is still open counts half."""
    if condition_met(q.condition, values):
        weight = 1.0
    elif q.condition and condition_possible(q.condition, values):
        weight = 0.5
    else:
        return 0.0
    return weight * qtype(q).seconds


def duties_seconds(task_count: int, rated: int | None) -> float:
    """The duties checklist of `task_count` tasks, then ratings of `rated` tasks (expected
    from CHECKED_SHARE when the checklist is not answered yet)."""
    if rated is None:
        rated = round(task_count * CHECKED_SHARE)
    screens = math.ceil(rated / 8) if rated else 0
    return task_count * CHECK_SECONDS + rated * RATE_SECONDS + screens * (RATE_SCREEN_SECONDS + 4)


def page_seconds(page, values, *, task_count=0, rated=None) -> float:
    seconds = PAGE_SECONDS
    for q in page.question_list:
        seconds += question_seconds(q, values)
        if q.type == Question.Type.TASK_MATRIX and condition_met(q.condition, values):
            seconds += duties_seconds(task_count, rated)
    return seconds


def real_median_seconds(version) -> int | None:
    """Median completion time of the version's complete, included, not-too-fast responses,
    once REAL_MINIMUM exist (cached; two small queries when it is not)."""
    key = f"survey-median-seconds:{version.pk}"
    found = cache.get(key)
    if found is not None:
        return found or None
    rows = Response.objects.included().filter(
        Q(version=version), is_too_fast=False, duration_seconds__isnull=False
    )
    count = rows.count()
    median = 0
    if count >= REAL_MINIMUM:
        values = rows.order_by("duration_seconds").values_list("duration_seconds", flat=True)
        if count % 2:
            median = values[count // 2]
        else:
            middle = list(values[count // 2 - 1 : count // 2 + 1])
            median = round(sum(middle) / 2)
    cache.set(key, median, REAL_CACHE_SECONDS)
    return median or None


def path_minutes(structure, pages, values, *, task_count, rated=None, from_page=None) -> dict:
    """Minutes for the path (whole and from `from_page` on), from the model, scaled to the
    real median when there is one."""
    seconds = [page_seconds(p, values, task_count=task_count, rated=rated) for p in pages]
    index = pages.index(from_page) if from_page in pages else 0
    total, left = sum(seconds), sum(seconds[index:])
    real = real_median_seconds(structure.version)
    if real:
        scale = max(0.5, min(2.0, real / max(1.0, total)))
        total, left = real, left * scale
    return {
        "total": max(1, math.ceil(total / 60)),
        "left": max(1, math.ceil(left / 60)),
        "total_seconds": total,
        "left_seconds": left,
        "from_real_times": bool(real),
    }
