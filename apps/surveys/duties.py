"""The duties section in two passes, the O*NET way.

Pass one (step 0) is one checklist of the role's tasks: "Which of these are part of your
job?". Pass two (steps 1..k) asks importance and frequency for the checked tasks only, at most
TASKS_PER_SCREEN per screen. Every step is a plain server-side page (?step=N), so the section
works without JavaScript.

Planned missingness: when the survey version sets `max_rated_tasks`, each respondent is asked
to rate at most that many of the tasks they checked. The tasks are chosen least-assigned-first
(over all responses to the version) with random tie-breaks, so every task is rated by about the
same number of people; the choice is stored on TaskRating.is_assigned.
"""

import math
import random
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Question, Response, SurveyPage, SurveyVersion, Task, TaskRating

TASKS_PER_SCREEN = 8


def matrix_question(page: SurveyPage) -> Question | None:
    return next((q for q in page.question_list if q.type == Question.Type.TASK_MATRIX), None)


@dataclass
class DutiesPlan:
    """A respondent's place in the duties section: which tasks are checked and rated."""

    question: Question
    role_tasks: list[Task]
    other_tasks: list[Task]
    ratings: dict[int, TaskRating] = field(default_factory=dict)

    @property
    def all_tasks(self) -> list[Task]:
        return self.role_tasks + self.other_tasks

    @property
    def checklist_saved(self) -> bool:
        return bool(self.ratings)

    @property
    def checked(self) -> list[Task]:
        return [t for t in self.all_tasks if self._row(t) and self._row(t).is_relevant]

    @property
    def assigned(self) -> list[Task]:
        return [t for t in self.checked if self._row(t).is_assigned]

    def _row(self, task: Task) -> TaskRating | None:
        return self.ratings.get(task.pk)

    @property
    def screens(self) -> list[list[Task]]:
        """The assigned tasks split into screens of nearly equal size (18 -> 6, 6, 6)."""
        tasks = self.assigned
        if not tasks:
            return []
        count = math.ceil(len(tasks) / TASKS_PER_SCREEN)
        size = math.ceil(len(tasks) / count)
        return [tasks[i : i + size] for i in range(0, len(tasks), size)]

    @property
    def last_step(self) -> int:
        return len(self.screens)

    def is_rated(self, task: Task) -> bool:
        row = self._row(task)
        return bool(row and row.importance is not None and row.frequency is not None)

    def resume_step(self) -> int:
        """The step to open when none is asked for: the first screen with an unrated task,
        else the checklist."""
        if not self.checklist_saved:
            return 0
        for number, tasks in enumerate(self.screens, start=1):
            if not all(self.is_rated(t) for t in tasks):
                return number
        return 0

    def parse_step(self, raw: str | None) -> int | None:
        """The step a URL asks for, or None when it is not one of this respondent's steps."""
        if raw in (None, ""):
            return 0
        if raw == "last":
            return self.last_step
        if not str(raw).isdigit() or len(str(raw)) > 3:
            return None
        step = int(raw)
        if step == 0:
            return 0
        if not self.checklist_saved or step > self.last_step:
            return None
        return step

    def screen(self, step: int) -> list[Task]:
        return self.screens[step - 1] if 1 <= step <= self.last_step else []

    def rated_before(self, step: int) -> int:
        return sum(len(s) for s in self.screens[: max(0, step - 1)])

    @property
    def is_complete(self) -> bool:
        return self.checklist_saved and all(self.is_rated(t) for t in self.assigned)


def duties_plan(response: Response, page: SurveyPage, role_tasks, other_tasks) -> DutiesPlan | None:
    """The plan for a page holding the task matrix (None for any other page). One query."""
    question = matrix_question(page)
    if question is None:
        return None
    tasks = {t.pk for t in list(role_tasks) + list(other_tasks)}
    ratings = {
        row.task_id: row
        for row in TaskRating.objects.filter(response_id=response.pk)
        if row.task_id in tasks
    }
    return DutiesPlan(
        question=question,
        role_tasks=list(role_tasks),
        other_tasks=list(other_tasks),
        ratings=ratings,
    )


def assign_for_rating(
    version: SurveyVersion,
    checked: list[Task],
    already: set[int],
    *,
    response_id: int | None = None,
    rng: random.Random | None = None,
) -> set[int]:
    """Which checked tasks (ids) this respondent is asked to rate.

    No limit on the version: all of them. Otherwise at most `max_rated_tasks`: tasks assigned
    before (still checked) stay assigned, so Back and forth never reshuffles; the places left
    go to the checked tasks assigned least often so far across the version's responses, with
    random tie-breaks. One aggregate query."""
    limit = version.max_rated_tasks
    ids = [t.pk for t in checked]
    if not limit or len(ids) <= limit:
        return set(ids)
    keep = [pk for pk in ids if pk in already][:limit]
    room = limit - len(keep)
    if room <= 0:
        return set(keep)
    candidates = [pk for pk in ids if pk not in keep]
    counts = dict(
        TaskRating.objects.filter(
            response__version=version,
            task_id__in=candidates,
            is_relevant=True,
            is_assigned=True,
        )
        .exclude(response_id=response_id)
        .values_list("task_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rng = rng or random.SystemRandom()
    candidates.sort(key=lambda pk: (counts.get(pk, 0), rng.random()))
    return set(keep + candidates[:room])


def duties_done_q() -> Q:
    """Ratings that still need an answer: checked, assigned, not rated."""
    return Q(is_relevant=True, is_assigned=True, importance__isnull=True)
