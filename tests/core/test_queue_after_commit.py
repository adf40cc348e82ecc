"""One "queue after commit" and one outbox claim (apps/core/jobs/queue.py, outbox.py).

Every service queues its email task by name through `enqueue_task` (or a job through
`enqueue`): the on-commit callback is the core helper's, not a hand-written lambda. Broker
down at queue time: the row stays pending and its periodic sweep sends it, once. No broker
(eager, the test default): sent at once, and a second delivery of the task sends nothing.
"""

import ast
import functools
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from apps.core.jobs import queue
from apps.core.jobs.outbox import claim_one, pending_or_stale
from apps.mailings.models import SignupEmail
from apps.pages.models import ContactMessage
from tests.factories import make_user
from tests.mailings.factories import make_announcement

APPS = Path(__file__).resolve().parents[2] / "apps"
CORE_JOBS = APPS / "core" / "jobs"
# Calls that queue work after commit by hand: only apps/core/jobs/queue.py may make them.
HAND_QUEUED = {"on_commit", "delay_on_commit", "apply_async_on_commit"}
# A service or pledge module sends a task only through the core helper (never `.delay()`).
DIRECT_SEND = {"delay", "apply_async"}


def _calls(tree: ast.AST, names: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                lines.append(node.lineno)
    return lines


def _offenders(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if CORE_JOBS in path.parents:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for line in _calls(tree, HAND_QUEUED):
            found.append(f"{path.relative_to(root.parent)}:{line} queues after commit by hand")
        if path.name in ("services.py", "pledges.py"):
            for line in _calls(tree, DIRECT_SEND):
                found.append(f"{path.relative_to(root.parent)}:{line} sends a task directly")
    return found


def test_no_module_outside_core_jobs_queues_after_commit_by_hand():
    assert _offenders(APPS) == []


def test_the_scan_finds_a_planted_hand_written_queue(tmp_path):
    app = tmp_path / "apps" / "demo"
    app.mkdir(parents=True)
    (app / "services.py").write_text(
        "from django.db import transaction\n"
        "def f(pk):\n"
        "    transaction.on_commit(lambda: _queue(pk), robust=True)\n"
        "def g(task, pk):\n"
        "    task.delay_on_commit(pk=pk)\n"
        "def h(task):\n"
        "    task.delay(pk=1)\n"
    )
    assert len(_offenders(tmp_path / "apps")) == 3


def _only_callback(callbacks) -> functools.partial:
    assert len(callbacks) == 1
    (callback,) = callbacks
    assert isinstance(callback, functools.partial)
    return callback


def _contact_message():
    from apps.pages.services import contact_message_submit

    contact_message_submit(
        name="Ana",
        email="ana@example.org",
        organization="",
        topic=ContactMessage.Topic.choices[0][0],
        message="A question about the survey.",
        language="en",
    )


def _signup():
    from apps.mailings.services import subscriber_signup

    subscriber_signup(email="reader@example.org", language="en", topics=["survey_news"])


def _pledge():
    from apps.comments.pledges import pledge_make

    pledge_make(email="pledger@example.org", language="en", role="frontline", state="CA")


OUTBOXES = {
    # name: (service, task it queues, the row, the sweep task)
    "contact message": (
        _contact_message,
        "apps.pages.tasks.contact_message_send",
        ContactMessage,
        "apps.pages.tasks.contact_messages_send_pending",
    ),
    "sign-up email": (
        _signup,
        "apps.mailings.tasks.signup_email_send",
        SignupEmail,
        "apps.mailings.tasks.signup_emails_send_pending",
    ),
    "pledge email": (
        _pledge,
        "apps.mailings.tasks.signup_email_send",
        SignupEmail,
        "apps.mailings.tasks.signup_emails_send_pending",
    ),
}


@pytest.fixture
def recipients(settings):
    settings.CONTACT_EMAIL_RECIPIENTS = ["staff@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("outbox", OUTBOXES)
def test_the_service_queues_through_the_core_helper_and_sends_once(
    outbox, recipients, django_capture_on_commit_callbacks
):
    service, task_name, model, _sweep = OUTBOXES[outbox]
    with django_capture_on_commit_callbacks() as callbacks:
        service()
    callback = _only_callback(callbacks)
    assert callback.func is queue.call_task
    assert callback.args == (task_name,)
    assert not mail.outbox  # nothing before commit
    assert callback() is True  # eager: sent at once
    assert len(mail.outbox) == 1
    assert callback() is True  # a second delivery of the task: claimed already, no email
    assert len(mail.outbox) == 1
    assert model.objects.get().status == "sent"


@pytest.mark.django_db
@pytest.mark.parametrize("outbox", OUTBOXES)
def test_broker_down_at_queue_time_leaves_the_row_for_the_sweep_which_sends_it_once(
    outbox, recipients, django_capture_on_commit_callbacks
):
    service, task_name, model, sweep = OUTBOXES[outbox]
    with (
        mock.patch.object(queue.task_named(task_name), "delay", side_effect=OSError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service()  # the request does not fail
    row = model.objects.get()
    assert row.status == "pending"
    assert not mail.outbox
    model.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert queue.task_named(sweep).apply().get() == 1
    assert len(mail.outbox) == 1
    assert queue.task_named(sweep).apply().get() == 0
    assert len(mail.outbox) == 1
    assert model.objects.get().status == "sent"


@pytest.mark.django_db
def test_a_test_send_and_an_announcement_send_are_queued_by_the_core_helpers(
    django_capture_on_commit_callbacks,
):
    from apps.accounts.roles import Role
    from apps.mailings.models import AnnouncementSend
    from apps.mailings.services import (
        ANNOUNCEMENT_JOB,
        announcement_send,
        announcement_test_request,
    )
    from tests.mailings.factories import make_subscriber

    editor = make_user(Role.EDITOR, email="editor@example.org")
    announcement = make_announcement()
    with django_capture_on_commit_callbacks() as callbacks:
        announcement_test_request(announcement=announcement, by=editor)
    callback = _only_callback(callbacks)
    assert (callback.func, callback.args) == (
        queue.call_task,
        ("apps.mailings.tasks.announcement_test_send",),
    )
    assert callback.keywords == {"announcement_id": announcement.pk, "user_id": editor.pk}

    make_subscriber()
    with django_capture_on_commit_callbacks() as callbacks:
        announcement_send(announcement=announcement, by=editor)
    callback = _only_callback(callbacks)
    job = AnnouncementSend.objects.get(announcement=announcement)
    assert (callback.func, callback.args) == (queue.send, (ANNOUNCEMENT_JOB, job.pk))


def test_enqueue_task_refuses_a_name_no_tasks_module_registered():
    with pytest.raises(KeyError):
        queue.enqueue_task("apps.pages.tasks.no_such_task", message_id=1)


@pytest.mark.django_db
def test_claim_one_takes_a_row_once_and_a_stale_claim_again():
    message = ContactMessage.objects.create(
        name="Ana", email="ana@example.org", topic="other", message="Hello", language="en"
    )
    now = timezone.now()
    claimable = pending_or_stale(
        pending="pending", claimed="sending", stale_before=now - timedelta(minutes=10)
    )
    kwargs = {"claimable": claimable, "claimed_status": "sending", "claimed_at": now}
    assert claim_one(ContactMessage, message.pk, **kwargs) is True
    assert claim_one(ContactMessage, message.pk, **kwargs) is False  # held by a live claim
    ContactMessage.objects.filter(pk=message.pk).update(claimed_at=now - timedelta(minutes=11))
    assert claim_one(ContactMessage, message.pk, **kwargs) is True  # its worker died
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sending", 2)


@pytest.mark.django_db
def test_a_partner_invitation_is_queued_by_the_core_helper(django_capture_on_commit_callbacks):
    from apps.accounts.roles import Role
    from apps.partners.models import Partner
    from apps.partners.services import partner_invite

    partner = Partner.objects.create(name="County health workers")
    admin = make_user(Role.ADMINISTRATOR, email="admin@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = partner_invite(partner=partner, email="lead@example.org", by=admin)
    callback = _only_callback(callbacks)
    assert (callback.func, callback.args) == (
        queue.call_task,
        ("apps.partners.tasks.partner_invitation_send",),
    )
    assert callback.keywords == {"invitation_id": invitation.pk}
    assert callback() is True  # eager: the invitation goes at once
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
