"""A pledge to comment: one tap, the updates list's double opt-in, reminders the day the window
opens and the day before it closes (each once, fixed times), and suppressed staff counts."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from apps.comments.models import Pledge, PledgeReminder
from apps.comments.pledges import pledge_reminders_run
from apps.mailings.models import SignupEmail, Subscriber
from apps.mailings.tokens import CONFIRM, PLEDGE, make_token
from tests.mailings.factories import make_subscriber
from tests.notices.factories import et, make_notice

pytestmark = pytest.mark.django_db
URL = "/comment/pledge/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(data=None, c=None):
        data = {"email": "Rosa@Example.org", "role": "frontline", "state": "CA", **(data or {})}
        with django_capture_on_commit_callbacks(execute=True):
            return (c or client).post(URL, data)

    return _post


def _confirm_path(message) -> str:
    found = re.search(r"http://[^/\s]+(/comment/pledge/confirm/[^\s/]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_pledge_page_in_english_and_spanish(client, spanish_client, survey):
    html = client.get(URL).content.decode()
    assert "<h1>Pledge to comment</h1>" in html and "I pledge to comment" in html
    html = spanish_client.get(URL).content.decode()
    assert 'lang="es"' in html and "Comprométase a comentar" in html
    assert "Me comprometo a comentar" in html


def test_one_tap_makes_a_pending_pledge_and_sends_one_confirmation(post, survey):
    reply = post()
    assert reply.status_code == 302 and reply.url == "/comment/pledge/check-your-email/"
    pledge = Pledge.objects.get()
    assert not pledge.is_confirmed and (pledge.role, pledge.state) == ("frontline", "CA")
    subscriber = pledge.subscriber
    assert subscriber.email == "rosa@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.topics == []  # a pledge signs up for nothing else
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"] and "pledge" in message.subject.lower()
    assert SignupEmail.objects.get().kind == SignupEmail.Kind.PLEDGE


def test_confirming_needs_a_button_press_and_confirms_pledge_and_address(client, post, survey):
    post()
    path = _confirm_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200 and "Yes, I pledge to comment" in page.content.decode()
    assert not Pledge.objects.get().is_confirmed  # a link checker opening it confirms nothing
    done = client.post(path)
    assert done.status_code == 200 and "Your pledge is confirmed" in done.content.decode()
    pledge = Pledge.objects.select_related("subscriber").get()
    assert pledge.is_confirmed
    assert pledge.subscriber.status == Subscriber.Status.CONFIRMED
    assert pledge.subscriber.consent_at is not None
    assert client.post(path).status_code == 200  # twice is fine


def test_bad_or_foreign_links_confirm_nothing(client, post, survey):
    post()
    subscriber = Subscriber.objects.get()
    for token in ["nope", make_token(subscriber, CONFIRM), "x" * 400]:
        reply = client.post(f"/comment/pledge/confirm/{token}/")
        assert reply.status_code == 400
    assert not Pledge.objects.get().is_confirmed
    # A subscriber of the updates list without a pledge: the pledge link does nothing.
    other = make_subscriber()
    assert client.post(f"/comment/pledge/confirm/{make_token(other, PLEDGE)}/").status_code == 400


def test_bad_input_gets_a_clear_message_in_the_users_language(post, spanish_client, survey):
    reply = post({"email": "not-an-address"})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "Enter an email address like name@example.org." in html
    assert 'value="CA" selected' in html  # nothing typed is lost
    reply = post({"email": "a@mailinator.com"})
    assert reply.status_code == 400 and "throwaway" in reply.content.decode()
    reply = post({"email": ""}, c=spanish_client)
    assert reply.status_code == 400 and "nombre@ejemplo.org" in reply.content.decode()
    assert not Pledge.objects.exists() and not mail.outbox


def test_honeypot_stores_nothing(post, survey):
    assert post({"website": "http://spam"}).status_code == 302
    assert not Pledge.objects.exists() and not mail.outbox


def test_a_confirmed_pledge_is_not_changed_or_mailed_again(client, post, survey):
    post()
    client.post(_confirm_path(mail.outbox[0]))
    mail.outbox.clear()
    reply = post({"role": "tutor", "state": "TX"})
    assert reply.status_code == 302
    assert not mail.outbox
    assert (Pledge.objects.get().role, Pledge.objects.get().state) == ("frontline", "CA")


def test_pledge_page_is_linked_from_toolkit_notices_and_home(client, survey, seeded):
    for url in ["/toolkit/", "/notices/", "/"]:
        assert 'href="/comment/pledge/"' in client.get(url).content.decode(), url


# --- Reminders, with fixed times -----------------------------------------------------------


def _pledge(email: str, *, confirmed_at, language="en", status=Subscriber.Status.CONFIRMED):
    subscriber = make_subscriber(
        email=email,
        language=language,
        status=status,
        wants_survey_news=False,
        wants_comment_window=False,
        consent_at=confirmed_at if status == Subscriber.Status.CONFIRMED else None,
    )
    return Pledge.objects.create(subscriber=subscriber, confirmed_at=confirmed_at, state="CA")


@pytest.fixture
def window(db):
    """A window open from 1 June 00:00 to 3 August 23:59 ET; pledges of every kind."""
    notice = make_notice(opens_at=et(2026, 6, 1, 0, 0), closes_at=et(2026, 8, 3, 23, 59))
    early = _pledge("early@example.org", confirmed_at=et(2026, 5, 1, 12, 0))
    spanish = _pledge("temprano@example.org", confirmed_at=et(2026, 5, 2, 12, 0), language="es")
    late = _pledge("late@example.org", confirmed_at=et(2026, 6, 10, 12, 0))
    unconfirmed = _pledge(
        "pending@example.org", confirmed_at=None, status=Subscriber.Status.PENDING
    )
    left = _pledge(
        "left@example.org",
        confirmed_at=et(2026, 5, 1, 12, 0),
        status=Subscriber.Status.UNSUBSCRIBED,
    )
    return {
        "notice": notice,
        "early": early,
        "spanish": spanish,
        "late": late,
        "unconfirmed": unconfirmed,
        "left": left,
    }


def _sent_to() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def test_opening_day_reminder_goes_once_to_those_who_pledged_before(window):
    assert pledge_reminders_run(now=et(2026, 5, 31, 23, 0))["sent"] == 0  # not open yet
    assert pledge_reminders_run(now=et(2026, 6, 1, 8, 59))["sent"] == 0  # before 9 ET
    counts = pledge_reminders_run(now=et(2026, 6, 1, 9, 0))
    assert counts["sent"] == 2
    assert _sent_to() == ["early@example.org", "temprano@example.org"]
    english = next(m for m in mail.outbox if m.to == ["early@example.org"])
    assert english.subject.startswith("The comment window is open: ")
    assert "closes on" in english.body and "/comment/" in english.body
    assert english.extra_headers["List-Unsubscribe"].startswith("<http")
    spanish = next(m for m in mail.outbox if m.to == ["temprano@example.org"])
    assert spanish.subject.startswith("El periodo de comentarios está abierto: ")
    # The beat runs every half hour: nobody gets it twice, that day or later.
    for hours in (0.5, 1, 24, 24 * 30):
        assert pledge_reminders_run(now=et(2026, 6, 1, 9, 0) + timedelta(hours=hours))["sent"] == 0
    assert len(mail.outbox) == 2


def test_the_day_before_closing_every_active_pledge_is_reminded_once(window):
    pledge_reminders_run(now=et(2026, 6, 1, 9, 0))
    mail.outbox.clear()
    assert pledge_reminders_run(now=et(2026, 8, 1, 23, 0))["sent"] == 0  # two days before
    assert pledge_reminders_run(now=et(2026, 8, 2, 9, 0))["sent"] == 3
    assert _sent_to() == ["early@example.org", "late@example.org", "temprano@example.org"]
    assert all("closes tomorrow" in m.subject or "cierra mañana" in m.subject for m in mail.outbox)
    assert pledge_reminders_run(now=et(2026, 8, 3, 9, 0))["sent"] == 0  # the last day
    assert pledge_reminders_run(now=et(2026, 8, 4, 9, 0))["sent"] == 0  # closed
    assert len(mail.outbox) == 3
    sent = PledgeReminder.objects.filter(status=PledgeReminder.Status.SENT)
    assert sent.filter(kind="opens").count() == 2 and sent.filter(kind="closing").count() == 3


def test_a_beat_that_missed_the_opening_sends_only_the_closing_reminder(window):
    assert pledge_reminders_run(now=et(2026, 8, 3, 7, 0))["sent"] == 3  # last day: no hour wait
    assert all(m.subject.startswith(("Last day", "Último día")) for m in mail.outbox)
    skipped = PledgeReminder.objects.filter(kind="opens", status=PledgeReminder.Status.SKIPPED)
    assert skipped.count() == 2
    assert pledge_reminders_run(now=et(2026, 8, 3, 12, 0))["sent"] == 0


def test_a_reminder_the_mail_server_refused_is_sent_later_exactly_once(window):
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("down")
    ):
        counts = pledge_reminders_run(now=et(2026, 6, 1, 9, 0))
    assert counts == {"sent": 0, "failed": 2, "skipped": 0}
    assert not mail.outbox
    assert pledge_reminders_run(now=et(2026, 6, 1, 9, 30))["sent"] == 2
    assert pledge_reminders_run(now=et(2026, 6, 1, 10, 0))["sent"] == 0
    assert len(mail.outbox) == 2


def test_unsubscribing_or_a_closed_window_stops_a_waiting_reminder(window):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        pledge_reminders_run(now=et(2026, 8, 3, 9, 0))
    Subscriber.objects.filter(email="early@example.org").update(status="unsubscribed")
    counts = pledge_reminders_run(now=et(2026, 8, 4, 9, 0))  # the window has closed
    assert counts["sent"] == 0 and counts["skipped"] == 3
    assert not mail.outbox


def test_the_beat_task_runs_with_the_current_time():
    from apps.comments.tasks import pledge_reminders_send_due

    entry = settings.CELERY_BEAT_SCHEDULE["comments-pledge-reminders"]
    assert entry["task"] == "apps.comments.tasks.pledge_reminders_send_due"
    make_notice(opens_at=et(2026, 6, 1, 0, 0), closes_at=et(2026, 8, 3, 23, 59))
    _pledge("beat@example.org", confirmed_at=et(2026, 5, 1, 12, 0))
    with mock.patch("apps.comments.tasks.timezone.now", return_value=et(2026, 6, 1, 9, 0)):
        assert pledge_reminders_send_due.delay().get()["sent"] == 1
    assert _sent_to() == ["beat@example.org"]


# --- Staff counts --------------------------------------------------------------------------


@override_settings(INSIGHTS_NOISE=False)  # hand-counted figures, compared without the noise
def test_staff_see_pledges_by_state_and_role_with_small_cells_hidden(client, survey, reviewer):
    assert settings.SUPPRESSION_MIN_N == 5
    for i in range(7):
        p = _pledge(f"ca{i}@example.org", confirmed_at=et(2026, 5, 1, 12, 0))
        Pledge.objects.filter(pk=p.pk).update(state="CA", role="frontline")
    for i in range(6):
        p = _pledge(f"tx{i}@example.org", confirmed_at=et(2026, 5, 1, 12, 0))
        Pledge.objects.filter(pk=p.pk).update(state="TX", role="site_lead")
    for i in range(2):
        p = _pledge(f"nm{i}@example.org", confirmed_at=et(2026, 5, 1, 12, 0))
        Pledge.objects.filter(pk=p.pk).update(state="NM", role="tutor")
    # Not counted: unconfirmed, and confirmed but since unsubscribed.
    for i in range(9):
        _pledge(f"p{i}@example.org", confirmed_at=None, status=Subscriber.Status.PENDING)
    client.force_login(reviewer)
    html = client.get("/staff/comments/").content.decode()
    section = html.split('id="pledges"')[1]
    assert 'class="pledge-total">15<' in section
    state_table = section.split("table-sm counts-pledge-state")[1].split("</table>")[0]
    assert "California" in state_table and ">7<" in state_table
    assert "New Mexico" in state_table and ">2<" not in state_table
    # Complementary suppression: with one small cell hidden, the next smallest goes too.
    assert ">6<" not in state_table and state_table.count('aria-hidden="true">x</span>') == 2
    assert "@example.org" not in html


def test_staff_pledge_counts_need_a_staff_role(client, no_role_user):
    assert client.get("/staff/comments/").status_code == 302
    client.force_login(no_role_user)
    assert client.get("/staff/comments/").status_code == 403


def test_pledge_confirmation_link_uses_the_address_served_at(
    settings, django_capture_on_commit_callbacks, survey
):
    settings.PORTAL_BASE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST="pledge.example.org:8001").post(URL, {"email": "z@example.org"})
    assert "http://pledge.example.org:8001/comment/pledge/confirm/" in mail.outbox[0].body
