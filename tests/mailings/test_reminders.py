"""Comment-deadline reminders: once per notice and offset, counted on the Eastern calendar."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core import mail

from apps.mailings.models import Announcement, MailingSettings, Reminder, Subscriber
from apps.mailings.services import reminders_send_due
from apps.mailings.tasks import reminders_send_due as reminders_send_due_task
from tests.notices.factories import et, make_notice

from .factories import make_subscriber

pytestmark = pytest.mark.django_db

# The factory's notice: open 2026-06-01, closes 2026-08-03 23:59 Eastern (last day Aug 3).


@pytest.fixture
def readers(db):
    people = {
        "en": make_subscriber(language="en"),
        "es": make_subscriber(language="es"),
    }
    make_subscriber(wants_comment_window=False)
    make_subscriber(status=Subscriber.Status.PENDING, consent_at=None)
    return people


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send_due(now=now)

    return _run


def test_each_offset_is_sent_once_however_often_the_beat_runs(readers, run):
    notice = make_notice(docket_id="BLS-2026-0042")
    assert run(et(2026, 7, 26, 12, 0)) == []  # 8 days left: nothing due
    assert len(run(et(2026, 7, 27, 10, 0))) == 1  # 7 days left
    assert run(et(2026, 7, 27, 10, 30)) == []
    assert run(et(2026, 7, 30, 10, 0)) == []  # the 7-day reminder is already out
    assert len(run(et(2026, 8, 2, 9, 30))) == 1  # 1 day left
    assert run(et(2026, 8, 2, 18, 0)) == []
    assert run(et(2026, 8, 3, 12, 0)) == []
    assert sorted(Reminder.objects.values_list("days_before", flat=True)) == [1, 7]
    received = Counter(m.to[0] for m in mail.outbox)
    assert received == {readers["en"].email: 2, readers["es"].email: 2}
    english = next(m for m in mail.outbox if m.to[0] == readers["en"].email)
    spanish = next(m for m in mail.outbox if m.to[0] == readers["es"].email)
    assert english.subject == "7 days left to comment on the federal occupation codes"
    assert "BLS-2026-0042" in english.body and "List-Unsubscribe" in english.extra_headers
    assert "El comité propone cambios." in spanish.body
    assert Reminder.objects.get(days_before=7).notice == notice


def test_the_day_is_counted_in_eastern_time_not_utc(readers, run):
    make_notice()
    # 03:30 UTC on July 27 is still July 26 in New York: 8 days left, nothing due yet.
    assert run(datetime(2026, 7, 27, 3, 30, tzinfo=UTC)) == []
    # 13:00 UTC is 09:00 in New York (EDT): 7 days left and past the sending hour.
    assert len(run(datetime(2026, 7, 27, 13, 0, tzinfo=UTC))) == 1


def test_reminders_wait_for_the_morning_except_on_the_last_day(readers, run, settings):
    settings.MAILINGS_REMINDER_HOUR = 9
    make_notice()
    assert run(et(2026, 7, 27, 8, 59)) == []
    assert len(run(et(2026, 7, 27, 9, 0))) == 1
    MailingSettings.objects.update_or_create(pk=1, defaults={"reminder_days": "0"})
    assert len(run(et(2026, 8, 3, 0, 30))) == 1  # last day: no waiting


def test_missed_offsets_are_skipped_so_nobody_gets_two_at_once(readers, run):
    make_notice()
    assert len(run(et(2026, 8, 2, 10, 0))) == 1  # beat was down all week
    assert len(mail.outbox) == 2
    skipped = Reminder.objects.get(days_before=7)
    assert skipped.is_skipped and skipped.announcement is None
    assert "1 day left" in mail.outbox[0].subject or "1 día" in mail.outbox[0].subject


def test_days_come_from_the_editable_setting(readers, run):
    MailingSettings.objects.create(pk=1, reminder_days="3")
    make_notice()
    assert run(et(2026, 7, 27, 10, 0)) == []
    assert len(run(et(2026, 7, 31, 10, 0))) == 1
    MailingSettings.objects.filter(pk=1).update(reminder_days="")
    assert run(et(2026, 8, 3, 10, 0)) == []


def test_closed_upcoming_and_unpublished_notices_get_no_reminder(readers, run):
    make_notice(is_published=False)
    make_notice(opens_at=et(2026, 9, 1, 0, 0), closes_at=et(2026, 9, 5, 23, 59))
    assert run(et(2026, 8, 30, 10, 0)) == []  # second one still upcoming
    assert run(et(2026, 8, 4, 10, 0)) == []  # first one closed (and unpublished)
    assert not Reminder.objects.exists()


def test_no_subscribers_still_records_the_reminder_once(run):
    make_notice()
    started = run(et(2026, 7, 27, 10, 0))
    assert len(started) == 1
    announcement = Announcement.objects.get(pk=started[0])
    assert announcement.status == Announcement.Status.SENT
    assert announcement.recipient_count == 0
    assert run(et(2026, 7, 27, 11, 0)) == []


def test_the_beat_task_runs_the_service(readers):
    make_notice(opens_at=et(2020, 1, 1, 0, 0), closes_at=et(2099, 1, 1, 0, 0))
    assert reminders_send_due_task.apply().get() == []


def test_reminder_days_setting_is_validated():
    from django.core.exceptions import ValidationError

    settings_row = MailingSettings(pk=1, reminder_days="7, 1")
    settings_row.full_clean()
    with pytest.raises(ValidationError):
        MailingSettings(pk=1, reminder_days="seven").full_clean()
    with pytest.raises(ValidationError):
        MailingSettings(pk=1, reminder_days="90").full_clean()
