from datetime import timedelta

import pytest
from django.utils import timezone

from apps.exports.models import ExportJob
from apps.operations import status
from apps.operations.status import StatusItem
from apps.pages.models import ContactMessage, SiteSettings

pytestmark = pytest.mark.django_db
URL = "/staff/status/"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["no_role_user", "reviewer"])
def test_users_below_editor_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["editor", "administrator"])
def test_editors_and_administrators_see_the_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Portal status" in response.content.decode()


def _row(html: str, label: str) -> str:
    start = html.index(label)
    return html[start : html.index("</tr>", start)]


def test_figures_come_from_the_data(client, administrator, django_assert_max_num_queries):
    now = timezone.now()
    ExportJob.objects.create(kind="responses", format="csv", status="failed", finished_at=now)
    ExportJob.objects.create(
        kind="responses", format="csv", status="failed", finished_at=now - timedelta(days=8)
    )
    done_at = now - timedelta(hours=3)
    ExportJob.objects.create(kind="responses", format="csv", status="done", finished_at=done_at)
    stalled = ExportJob.objects.create(kind="responses", format="xlsx", status="running")
    ExportJob.objects.filter(pk=stalled.pk).update(
        heartbeat_at=now - timedelta(hours=1), updated_at=now - timedelta(hours=1)
    )
    for _ in range(2):
        ContactMessage.objects.create(
            email="a@example.org", topic="general", message="Hi", language="en"
        )
    ContactMessage.objects.create(
        email="b@example.org", topic="general", message="Hi", language="en", status="sent"
    )
    client.force_login(administrator)
    SiteSettings.load()  # the site settings row exists on a running portal
    # Sign-in, two-factor and session checks, then a fixed few per status check (the
    # dashboard figures' line reads their state and the responses' watermark; the contact
    # recipients line reads the site settings row).
    with django_assert_max_num_queries(18):
        html = client.get(URL).content.decode()
    assert ">1<" in _row(html, "Failed exports (last 7 days)")
    assert ">1<" in _row(html, "Exports stalled or waiting")
    from django.utils import formats

    shown = formats.date_format(timezone.localtime(done_at), "DATETIME_FORMAT")
    assert shown in _row(html, "Last successful export")
    assert ">2<" in _row(html, "Contact messages not yet emailed to staff")
    # Eager mode in tests: no broker, tasks run in the web process.
    assert "eager mode" in _row(html, "Tasks waiting in the queue")
    assert "4 lines need a look" in html or "lines need a look" in html


def test_nothing_to_report_on_an_empty_portal(client, editor):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert "Nothing needs your attention." in html
    assert "never" in _row(html, "Last successful export")


def test_queue_depth_is_read_from_redis(client, editor, settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/11"
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    server.delete("celery", "celery\x06\x163", "unacked")
    try:
        server.rpush("celery", *["{}"] * 7)
        server.rpush("celery\x06\x163", "{}")
        server.hset("unacked", "tag-1", "{}")
        client.force_login(editor)
        row = _row(client.get(URL).content.decode(), "Tasks waiting in the queue")
    finally:
        server.delete("celery", "celery\x06\x163", "unacked")
    assert ">8<" in row
    assert "1 task taken by a worker" in row


def test_apps_add_checks_and_a_broken_check_does_not_break_the_page(client, editor):
    @status.register(order=1)
    def announcements_probe() -> list[StatusItem]:
        """Announcements"""
        return [StatusItem("Last announcement sent", "yesterday", "info")]

    @status.register(order=2)
    def broken_probe() -> list[StatusItem]:
        """Broken probe"""
        raise RuntimeError("boom")

    try:
        client.force_login(editor)
        response = client.get(URL)
    finally:
        for func in (announcements_probe, broken_probe):
            status._REGISTRY.pop(f"{func.__module__}.{func.__qualname__}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Last announcement sent" in _row(html, "Last announcement sent")
    assert "This check could not be run" in _row(html, "Broken probe")
    assert "boom" not in html
    # Registered checks run before the built-in ones (lower order first).
    assert html.index("Last announcement sent") < html.index("Tasks waiting in the queue")


def test_staff_home_links_to_the_status_page_for_editors_only(client, reviewer, editor):
    client.force_login(reviewer)
    assert URL not in client.get("/staff/").content.decode()
    client.force_login(editor)
    assert URL in client.get("/staff/").content.decode()


def test_announcement_lines_when_the_mailings_app_is_installed(client, editor):
    from apps.mailings.models import Announcement, Delivery, Subscriber

    now = timezone.now()
    sent_at = now - timedelta(days=1)
    texts = {"subject_en": "News", "subject_es": "Noticias", "body_en": "x", "body_es": "x"}
    Announcement.objects.create(
        topic="survey_news", status="sent", finished_at=sent_at, send_started_at=sent_at, **texts
    )
    sending = Announcement.objects.create(
        topic="survey_news",
        status="sending",
        send_started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(hours=1),
        **texts,
    )
    for i, status_ in enumerate(["sent", "failed", "unknown"]):
        subscriber = Subscriber.objects.create(
            email=f"s{i}@example.org", language="en", status="confirmed", key="k", consent_at=now
        )
        Delivery.objects.create(announcement=sending, subscriber=subscriber, status=status_)
    client.force_login(editor)
    html = client.get(URL).content.decode()
    from django.utils import formats

    shown = formats.date_format(timezone.localtime(sent_at), "DATETIME_FORMAT")
    assert shown in _row(html, "Last announcement sent")
    row = _row(html, "Announcements being sent")
    assert ">1<" in row and "resumed by the sweep" in row
    assert ">2<" in _row(html, "Announcement emails failed or uncertain (last 7 days)")
