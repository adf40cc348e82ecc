"""The duties page's set-based writes (one statement for the checklist, one for a rating
screen), the one-statement idempotency record and the task bank read by role: they
must store exactly what the respondent sent, and their query count must not grow with the
number of tasks."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.surveys.models import PageSubmission, Role, Task, TaskRating
from apps.surveys.selectors import tasks_for_role

from .helpers import page_url, to_duties

pytestmark = pytest.mark.django_db


def _to_duties(client, survey, role="site_lead"):
    response = to_duties(client, survey, role)
    role_tasks, other_tasks = tasks_for_role(role)
    return response, role_tasks, other_tasks


def _rows(response) -> dict[str, tuple]:
    return {
        r.task.code: (r.is_relevant, r.is_assigned, r.importance, r.frequency)
        for r in TaskRating.objects.filter(response=response).select_related("task")
    }


def _screen_codes(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    return list(dict.fromkeys(re.findall(r'name="task_(\w+)_imp" id=', html)))


def _rate(client, url, values: dict[str, tuple[str, str]], action="next", key=None):
    data = {"action": action}
    if key:
        data["submission_key"] = key
    for code, (imp, freq) in values.items():
        data[f"task_{code}_imp"], data[f"task_{code}_freq"] = imp, freq
    return client.post(url, data)


def test_a_resubmitted_checklist_changes_adds_and_removes_rows_and_keeps_ratings(client, survey):
    response, role_tasks, other_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    a, b, c = role_tasks[:3]
    x, y = other_tasks[:2]
    first = [a, b, c, x]
    reply = client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in first]})
    assert reply.url.endswith("?step=1")
    codes = _screen_codes(client, url + "?step=1")
    assert set(codes) == {t.code for t in first}
    ratings = {a.code: ("5", "7"), b.code: ("2", "3"), c.code: ("1", "1"), x.code: ("4", "2")}
    assert _rate(client, url + "?step=1", ratings).status_code == 302
    rows = _rows(response)
    assert rows[a.code] == (True, True, 5, 7)
    assert rows[b.code] == (True, True, 2, 3)
    assert rows[x.code] == (True, True, 4, 2)

    # Again: a unchecked, b and c kept, x (another role's task) unchecked, y added.
    second = [b, c, y]
    reply = client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in second]})
    assert reply.url.endswith("?step=1")
    rows = _rows(response)
    assert rows[a.code] == (False, False, None, None)  # a role task keeps a row, unrated
    assert rows[b.code] == (True, True, 2, 3)  # still checked: its ratings stay
    assert rows[c.code] == (True, True, 1, 1)
    assert x.code not in rows  # not of the role and unchecked: gone
    assert rows[y.code] == (True, True, None, None)  # new: waiting for its ratings
    unchecked_role = {t.code for t in role_tasks} - {b.code, c.code}
    assert {code for code, row in rows.items() if not row[0]} == unchecked_role
    assert set(rows) == {t.code for t in role_tasks} | {y.code}
    # A task unchecked and checked again starts without its old ratings.
    client.post(url + "?step=0", {"action": "next", "duties": [a.code, b.code]})
    rows = _rows(response)
    assert rows[a.code] == (True, True, None, None)
    assert rows[b.code] == (True, True, 2, 3)
    assert rows[c.code] == (False, False, None, None)
    assert y.code not in rows


def test_a_rating_screen_stores_exactly_what_was_sent_and_nothing_else(client, survey):
    response, role_tasks, other_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    checked = role_tasks[:4]
    client.post(url + "?step=0", {"action": "next", "duties": [t.code for t in checked]})
    a, b, c, d = checked
    sent = {a.code: ("1", "7"), b.code: ("5", "1"), c.code: ("3", "4"), d.code: ("2", "6")}
    assert _rate(client, url + "?step=1", sent).status_code == 302
    rows = _rows(response)
    assert {code: rows[code][2:] for code in sent} == {
        code: (int(i), int(f)) for code, (i, f) in sent.items()
    }
    # Changed on a second visit: only the values sent change.
    changed = {**sent, b.code: ("4", "2")}
    assert _rate(client, url + "?step=1", changed).status_code == 302
    rows = _rows(response)
    assert rows[b.code][2:] == (4, 2)
    assert rows[a.code][2:] == (1, 7) and rows[d.code][2:] == (2, 6)
    # Back with one task half rated and one untouched: the half one keeps no rating, the
    # untouched one keeps its rating.
    half = {a.code: ("3", ""), b.code: ("", "")}
    reply = _rate(client, url + "?step=1", {**half, c.code: ("5", "5")}, action="back")
    assert reply.status_code == 302
    rows = _rows(response)
    assert rows[a.code][2:] == (None, None)
    assert rows[b.code][2:] == (4, 2)
    assert rows[c.code][2:] == (5, 5)
    # Unchecked role tasks and other tasks never get ratings from a screen.
    assert all(row[2] is None for code, row in rows.items() if not row[0])
    assert not TaskRating.objects.filter(response=response, task__in=other_tasks).exists()


def _task(code: str, role: Role, order: int) -> Task:
    task = Task.objects.create(code=code, order=order, text_en=f"Task {code}", text_es=code)
    task.roles.add(role)
    return task


def _duties_queries(client, survey, extra_tasks: int) -> tuple[int, int]:
    role = Role.objects.get(slug="site_lead")
    for n in range(extra_tasks):
        _task(f"zx{extra_tasks}_{n}", role, 1000 + n)
    response, role_tasks, _others = _to_duties(client, survey)
    url = page_url(response, "duties")
    codes = [t.code for t in role_tasks]
    with CaptureQueriesContext(connection) as checklist:
        reply = client.post(
            url + "?step=0", {"action": "next", "duties": codes, "submission_key": "k" * 16}
        )
    assert reply.url.endswith("?step=1")
    screen = _screen_codes(client, url + "?step=1")
    with CaptureQueriesContext(connection) as rating:
        reply = _rate(client, url + "?step=1", dict.fromkeys(screen, ("4", "5")), key="r" * 16)
    assert reply.status_code == 302 and reply.url.endswith("?step=2")
    stored = TaskRating.objects.filter(response=response, task__code__in=screen)
    assert {(r.importance, r.frequency) for r in stored} == {(4, 5)}
    assert stored.count() == len(screen)
    return len(checklist.captured_queries), len(rating.captured_queries)


def test_a_duties_post_runs_the_same_queries_whatever_the_number_of_tasks(client, survey):
    few = _duties_queries(client, survey, 0)
    client.cookies.clear()
    many = _duties_queries(client, survey, 12)
    assert few == many
    # One statement each for the checklist and the rating screen (plus the page's own:
    # state, task-bank stamp, plan, lock, idempotency key, response, page state, record).
    assert few[0] <= 12 and few[1] <= 12


def test_the_submission_record_is_one_row_per_key_updated_when_the_answers_change(client, survey):
    response, role_tasks, _others = _to_duties(client, survey)
    url = page_url(response, "duties")
    data = {"action": "next", "duties": [role_tasks[0].code], "submission_key": "same-key-1"}
    assert client.post(url + "?step=0", data).status_code == 302
    first = PageSubmission.objects.get(response=response, key="same-key-1")
    # The same key and answers: a replay, nothing stored again.
    client.post(url + "?step=0", data)
    assert PageSubmission.objects.filter(response=response, key="same-key-1").count() == 1
    # The same key with other answers is a new submission: saved, its record updated.
    changed = {**data, "duties": [role_tasks[1].code]}
    assert client.post(url + "?step=0", changed).status_code == 302
    again = PageSubmission.objects.get(response=response, key="same-key-1")
    assert again.pk == first.pk and again.digest != first.digest
    assert again.created_at == first.created_at
    rows = _rows(response)
    assert rows[role_tasks[1].code][0] is True and rows[role_tasks[0].code][0] is False


def test_the_task_bank_by_role_follows_every_change(survey):
    role = Role.objects.get(slug="site_lead")
    first, others = tasks_for_role("site_lead")
    assert tasks_for_role("site_lead") == (first, others)
    # A bulk update (no save(), no updated_at) is seen at once.
    Task.objects.filter(pk=first[0].pk).update(label_en="Bulk-updated label")
    assert tasks_for_role("site_lead")[0][0].label_en == "Bulk-updated label"
    added = _task("zz_new", role, 999)
    assert added in tasks_for_role("site_lead")[0]
    added.is_active = False
    added.save()
    assert added not in tasks_for_role("site_lead")[0] + tasks_for_role("site_lead")[1]
    moved = first[0]
    moved.roles.remove(role)
    if not moved.for_all_roles:
        assert moved not in tasks_for_role("site_lead")[0]
        assert moved in tasks_for_role("site_lead")[1]
    other_role = Role.objects.exclude(pk=role.pk).first()
    other_only = next(t for t in others if not t.for_all_roles)
    other_only.roles.add(role)
    assert other_only in tasks_for_role("site_lead")[0]
    assert other_role is not None
