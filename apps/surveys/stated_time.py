"""The time the survey says it takes before anyone has started: the landing page, the public
pages' survey sentence and the partner flyer all state this one number, in the visitor's
language (a longer language reads longer)."""

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import get_language

from . import timing
from .models import Role as RoleModel
from .models import Survey, Task
from .selectors import expected_pages, survey_published_version, version_structure


def mean_task_words(tasks, *, label: bool = False) -> float | None:
    """Words in the average task statement (or, with `label`, in the average heading of a
    rating screen: the short label, else the statement), in the language shown."""
    if not tasks:
        return None
    return sum(timing.words(t.rating_label() if label else t.tr("text")) for t in tasks) / len(
        tasks
    )


def typical_task_words(*, label: bool = False) -> float:
    """Words in the average statement (or rating heading) of the task bank, in the language
    shown; cached."""
    key = f"survey-typical-task-words:{get_language()}:{'label' if label else 'text'}"
    found = cache.get(key)
    if found is None:
        tasks = list(Task.objects.filter(is_active=True))
        found = mean_task_words(tasks, label=label) or timing.TASK_WORDS
        cache.set(key, found, 600)
    return found


def typical_task_count() -> int:
    """Tasks a role's checklist holds on average (before the role is known); cached."""
    found = cache.get("survey-typical-task-count")
    if found is None:
        shared = Task.objects.filter(is_active=True, for_all_roles=True).count()
        counts = [
            n + shared
            for n in RoleModel.objects.annotate(
                n=Count("tasks", filter=Q(tasks__is_active=True, tasks__for_all_roles=False))
            ).values_list("n", flat=True)
        ]
        found = round(sum(counts) / len(counts)) if counts else 0
        cache.set("survey-typical-task-count", found, 600)
    return found


def survey_minutes(structure) -> int:
    """The time the landing page states: the model of a typical paid path, or the median of
    real completion times once enough responses exist."""
    pages = expected_pages(structure, {})
    return timing.path_minutes(
        structure,
        pages,
        {},
        task_count=typical_task_count(),
        task_words=typical_task_words(),
        label_words=typical_task_words(label=True),
    )["total"]


def _role_task_words() -> list[tuple[int, float, float]]:
    """For each role: how many tasks its checklist holds and the words of its average
    statement and rating heading, in the language shown (two queries; cached). A role
    without tasks of its own sees them all, as the survey shows them."""
    key = f"survey-role-task-words:{get_language()}"
    found = cache.get(key)
    if found is None:
        tasks = list(Task.objects.filter(is_active=True))
        links: dict[int, set[int]] = {}
        for role_id, task_id in Task.roles.through.objects.values_list("role_id", "task_id"):
            links.setdefault(role_id, set()).add(task_id)
        found = []
        for role_id in RoleModel.objects.values_list("pk", flat=True):
            own = [t for t in tasks if t.for_all_roles or t.pk in links.get(role_id, ())]
            own = own or tasks
            if own:
                found.append((len(own), mean_task_words(own), mean_task_words(own, label=True)))
        cache.set(key, found, 600)
    return found


def survey_minutes_range(structure) -> tuple[int, int]:
    """The time stated before the role is known, as the shortest and the longest role's path
    (each role's own checklist; a paid respondent): one average hid that the largest group,
    frontline staff, takes longer than it said. Once enough real completion times exist,
    their median, for every role alike (low == high)."""
    pages = expected_pages(structure, {})
    totals = [
        timing.path_minutes(
            structure, pages, {}, task_count=count, task_words=words, label_words=label_words
        )["total"]
        for count, words, label_words in _role_task_words()
    ]
    if not totals:
        minutes = survey_minutes(structure)
        return minutes, minutes
    return min(totals), max(totals)


def survey_stated_range(survey: Survey) -> tuple[int, int] | None:
    """survey_minutes_range for the survey's published version (None without one)."""
    version = survey_published_version(survey)
    return survey_minutes_range(version_structure(version)) if version is not None else None


def minutes_left_range(structure, shown, values, page) -> tuple[int, int]:
    """Minutes left from `page` on while the role is not known yet: the shortest and the
    longest role's path, as the landing page states (low == high once real times exist)."""
    lefts = [
        timing.path_minutes(
            structure,
            shown,
            values,
            task_count=count,
            from_page=page,
            task_words=words,
            label_words=label_words,
        )["left"]
        for count, words, label_words in _role_task_words()
    ]
    return (min(lefts), max(lefts)) if lefts else (0, 0)
