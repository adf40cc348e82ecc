"""Honest time estimates: a model of the respondent's own path, scaled to real completion
times once enough responses exist.

The model is the keystroke-level model `make bench-ux` measures the survey with (see
bench/ux_bench.py), applied to the survey's own text in the respondent's language, so a shorter
question is a faster page here too and the stated time follows every edit staff make:

- reading: the page's title and introduction, the words of each question, its help text, its
  choices and the hints printed with it, at READ_WPM words a minute (digits are not words, as
  in the benchmark);
- one mental preparation (MENT) per decision: each question answered, each task in the duties
  checklist, each rating scale;
- on the rating screens, each checked task is headed by its short label (the full statement is
  one tap away), so its label's words are read there, not the statement's again;
- taps (TAP) and characters typed (KEY) for the answer a question needs;
- each page: loading it, tapping Next, and a swipe for each screen beyond the first.

Optional free text and numbers count as read, not typed (most people skip them). With
REAL_MINIMUM or more complete responses to the version, the median real completion time replaces
the model's total and the model only splits it across the pages left.
"""

import math
import re

from django.core.cache import cache
from django.db.models import Q

from .conditions import condition_met, condition_possible
from .models import Question, Response
from .qtypes import qtype

# Operators (seconds), as in bench/ux_bench.py.
TAP, KEY, MENT, SWIPE, LOAD = 1.1, 0.39, 1.35, 1.0, 1.0
READ_WPM = 230
SCREEN_PX = 844

# Words a page shows besides its questions: Next, Back, Save and finish later, read on the
# first pages and on the last (Submit), so about 1.5 a page over a path; and each question's
# marks and hints (required, "Choose all that apply.", "From 1 to 12").
PAGE_WORDS = 1.5
REQUIRED_WORDS = 1
MULTI_HINT_WORDS = 4
NUMBER_HINT_WORDS = 2
# Duties: the checklist's own words (question, instruction, folds); each rating screen's (the
# scale labels beside each task, the ends of the scales once); screens of at most 8 tasks.
CHECKLIST_WORDS = 40
RATE_SCREEN_WORDS = 16
RATE_TASK_WORDS = 3
TASKS_PER_SCREEN = 8
TASK_WORDS = 14  # an average task statement, when the role's tasks are not given
# Heights (px) on a 390 px phone, for the swipes.
PAGE_PX, QUESTION_PX, CHOICE_PX, FIELD_PX = 260, 40, 44, 50
CHECK_PX, RATE_PX = 60, 150
CHECKED_SHARE = 2 / 3  # expected share of a role's tasks checked, before the checklist
REAL_MINIMUM = 30
REAL_CACHE_SECONDS = 600

_WORD = re.compile(r"[^\W\d_]+")


def words(text: str | None) -> int:
    """Words as the benchmark counts them (letters only; digits are not read as words)."""
    return len(_WORD.findall(str(text or "")))


def read_seconds(count: float) -> float:
    return count / READ_WPM * 60


def _weight(q: Question, values) -> float:
    """1 for a question on the path, 0.5 while its condition is still open, else 0."""
    if condition_met(q.condition, values):
        return 1.0
    if q.condition and condition_possible(q.condition, values):
        return 0.5
    return 0.0


def _swipes(px: float) -> float:
    return SWIPE * max(0, math.ceil(px / SCREEN_PX) - 1)


def question_cost(q: Question) -> tuple[float, float]:
    """(seconds, px) for one question shown and answered as the model expects."""
    choices = list(q.choice_list) if q.type != Question.Type.TASK_MATRIX else []
    count = words(q.tr("text")) + words(q.tr("help"))
    count += sum(words(c.tr("label")) for c in choices)
    count += REQUIRED_WORDS if q.is_required else 0
    count += MULTI_HINT_WORDS if q.type == Question.Type.MULTI_CHOICE else 0
    count += NUMBER_HINT_WORDS if q.type == Question.Type.NUMBER else 0
    if q.type == Question.Type.YES_NO:
        count += 2
    seconds = read_seconds(count)
    kind = qtype(q)
    answered = q.is_required or not kind.typed
    if answered and kind.answer_effort:
        taps, chars = kind.answer_effort
        seconds += MENT + taps * TAP + chars * KEY
    px = QUESTION_PX + CHOICE_PX * max(len(choices), 2 if q.type == Question.Type.YES_NO else 0)
    if kind.typed or q.type in (Question.Type.STATE_ZIP, Question.Type.TIME_USE):
        px += FIELD_PX * (4 if q.type == Question.Type.TIME_USE else 1)
    return seconds, px


def duties_seconds(
    task_count: int,
    rated: int | None,
    task_words: float = TASK_WORDS,
    cap: int | None = None,
    label_words: float | None = None,
) -> float:
    """The duties checklist of `task_count` tasks (statements of `task_words` words), then
    ratings of `rated` tasks (expected from CHECKED_SHARE when the checklist is not answered
    yet, at most the version's `cap` of tasks rated per respondent), each headed by a label of
    `label_words` words (the statement when there is none), rating screens included."""
    checked = round(task_count * CHECKED_SHARE) if rated is None else rated
    if rated is None:
        rated = min(checked, cap) if cap else checked
    screens = math.ceil(rated / TASKS_PER_SCREEN) if rated else 0
    checklist = (
        read_seconds(CHECKLIST_WORDS + task_count * task_words)
        + task_count * MENT
        + checked * TAP
        + _swipes(PAGE_PX + task_count * CHECK_PX)
    )
    rating = rating_seconds(rated, label_words or task_words, screens)
    return checklist + screens * LOAD + screens * TAP + rating


def rating_seconds(rated: int, task_words: float = TASK_WORDS, screens: int | None = None) -> float:
    """Rating `rated` checked tasks on `screens` screens: reading each task's heading (its
    short label, `task_words` words; the statement when it has none) and two one-tap scales
    per task."""
    if not rated:
        return 0.0
    screens = screens or math.ceil(rated / TASKS_PER_SCREEN)
    per_task = read_seconds(task_words + RATE_TASK_WORDS) + 2 * (MENT + TAP)
    per_screen = read_seconds(RATE_SCREEN_WORDS + PAGE_WORDS)
    swipes = screens * _swipes(PAGE_PX + RATE_PX * math.ceil(rated / screens))
    return rated * per_task + screens * per_screen + swipes


RATE_SECONDS = rating_seconds(1) - read_seconds(RATE_SCREEN_WORDS + PAGE_WORDS)


def page_seconds(
    page, values, *, task_count=0, rated=None, task_words=TASK_WORDS, cap=None, label_words=None
) -> float:
    # Loading it, its title and introduction, Next.
    seconds = (
        LOAD + TAP + read_seconds(PAGE_WORDS + words(page.tr("title")) + words(page.tr("intro")))
    )
    px = PAGE_PX
    for q in page.question_list:
        weight = _weight(q, values)
        if not weight:
            continue
        if q.type == Question.Type.TASK_MATRIX:
            if condition_met(q.condition, values):
                seconds += duties_seconds(task_count, rated, task_words, cap, label_words)
            continue
        if page_has_matrix(page):
            continue  # the write-in tasks are folded away under the checklist
        q_seconds, q_px = question_cost(q)
        seconds += weight * q_seconds
        px += weight * q_px
    if not page_has_matrix(page):
        seconds += _swipes(px)
    return seconds


def page_has_matrix(page) -> bool:
    return any(q.type == Question.Type.TASK_MATRIX for q in page.question_list)


def minutes(seconds: float) -> int:
    """Whole minutes, rounded to the nearest (at least 1): "about N minutes"."""
    return max(1, math.floor(seconds / 60 + 0.5))


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


def path_minutes(
    structure,
    pages,
    values,
    *,
    task_count,
    rated=None,
    from_page=None,
    task_words=TASK_WORDS,
    label_words=None,
) -> dict:
    """Minutes for the path (whole and from `from_page` on), from the model, scaled to the
    real median when there is one."""
    cap = getattr(structure.version, "max_rated_tasks", None)
    seconds = [
        page_seconds(
            p,
            values,
            task_count=task_count,
            rated=rated,
            task_words=task_words,
            cap=cap,
            label_words=label_words,
        )
        for p in pages
    ]
    index = pages.index(from_page) if from_page in pages else 0
    total, left = sum(seconds), sum(seconds[index:])
    real = real_median_seconds(structure.version)
    if real:
        scale = max(0.5, min(2.0, real / max(1.0, total)))
        total, left = real, left * scale
    return {
        "total": minutes(total),
        "left": minutes(left),
        "total_seconds": total,
        "left_seconds": left,
        "from_real_times": bool(real),
    }
