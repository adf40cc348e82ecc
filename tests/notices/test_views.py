from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent, SeedRecord
from apps.notices.models import Notice, SampleComment, TalkingPoint, ToolkitSection
from apps.notices.seeding import seed_toolkit
from apps.notices.selectors import notice_status

from .factories import et, make_notice

pytestmark = pytest.mark.django_db

BANNER = 'class="notice-banner"'


def _open_notice(**kwargs):
    now = timezone.now()
    kwargs.setdefault("opens_at", now - timedelta(days=10))
    kwargs.setdefault("closes_at", now + timedelta(days=5, hours=1))
    return make_notice(**kwargs)


@pytest.fixture
def toolkit(seeded):
    seed_toolkit()


def test_banner_shows_on_every_public_page_while_a_window_is_open(client, toolkit):
    notice = _open_notice()
    for url in ["/", "/page/faq/", "/toolkit/", "/comment/", "/contact/", "/page/timeline/"]:
        html = client.get(url).content.decode()
        assert BANNER in html, url
        banner = html[html.index(BANNER) : html.index("</aside>")]
        assert "Comment window open until" in banner
        assert "Eastern Time" in banner
        assert reverse("comments:builder") in banner and reverse("notices:toolkit") in banner
    assert notice.is_published


def test_banner_counts_days_left_and_speaks_spanish(client, spanish_client, toolkit, monkeypatch):
    frozen = et(2026, 7, 29, 22, 30)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    notice = _open_notice(closes_at=et(2026, 8, 3, 23, 59))
    html = client.get("/").content.decode()
    # Eastern calendar days from July 29 to August 3, the last day counted.
    assert notice_status(notice).days_left == 5
    assert "5 days left" in html
    es = spanish_client.get("/").content.decode()
    assert "Periodo de comentarios abierto hasta" in es


@pytest.mark.parametrize("hour, minute", [(0, 1), (12, 0), (23, 59)])
def test_banner_on_the_last_day_says_so(client, toolkit, monkeypatch, hour, minute):
    # The clock is fixed on the deadline's Eastern day (at any hour of it, up to 30 s before
    # midnight), so the test does not depend on when it runs.
    frozen = et(2026, 8, 3, hour, minute, 0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    _open_notice(closes_at=et(2026, 8, 3, 23, 59, 30))
    html = client.get("/").content.decode()
    assert "last day to comment" in html


def test_the_day_before_the_last_day_is_not_the_last_day(client, toolkit, monkeypatch):
    frozen = et(2026, 8, 2, 23, 59, 40)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    _open_notice(closes_at=et(2026, 8, 3, 0, 0, 10))
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "last day to comment" not in html


def test_no_banner_when_no_window_is_open(client, toolkit):
    # Only the seeded first notice, closed in 2024.
    assert BANNER not in client.get("/").content.decode()
    now = timezone.now()
    make_notice(opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=60))
    assert BANNER not in client.get("/").content.decode()
    make_notice(
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=60), is_published=False
    )
    assert BANNER not in client.get("/").content.decode()


def test_banner_follows_an_edit_at_once(client, toolkit):
    notice = _open_notice()
    assert BANNER in client.get("/").content.decode()
    notice.closes_at = timezone.now() - timedelta(seconds=1)
    notice.save()
    assert BANNER not in client.get("/").content.decode()


def test_banner_adds_at_most_one_query_and_none_once_cached(client, toolkit):
    _open_notice()
    with CaptureQueriesContext(connection) as cold:
        client.get("/page/faq/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/page/faq/")
    notice_queries = [q for q in cold.captured_queries if "notices_notice" in q["sql"]]
    assert len(notice_queries) == 1
    assert not [q for q in warm.captured_queries if "notices_notice" in q["sql"]]


def test_timeline_shows_the_notice_state(client, toolkit):
    html = client.get("/page/timeline/").content.decode()
    assert "notice-state-closed" in html
    assert "Not open yet" in html
    assert "The last window closed on Aug. 12, 2024." in html
    Notice.objects.all().delete()
    html = client.get("/page/timeline/").content.decode()
    assert "notice-state-none" in html and "No comment window is open yet" in html
    now = timezone.now()
    make_notice(opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=60))
    html = client.get("/page/timeline/").content.decode()
    assert "notice-state-upcoming" in html and "The comment window opens on" in html
    Notice.objects.all().delete()
    _open_notice()
    html = client.get("/page/timeline/").content.decode()
    assert "notice-state-open" in html and "Comments are accepted until" in html


def test_toolkit_is_bilingual(client, spanish_client, toolkit):
    html = client.get("/toolkit/").content.decode()
    es = spanish_client.get("/toolkit/").content.decode()
    for section in ToolkitSection.objects.all():
        assert section.title_en in html and section.title_es in es
    for sample in SampleComment.objects.all():
        assert sample.role_en in html and sample.role_es in es
    assert "Checklist for an effective comment" in html
    assert "Lista de control para un comentario eficaz" in es
    assert '<html lang="es">' in es


def test_toolkit_is_linked_from_the_menu(client, toolkit):
    html = client.get("/").content.decode()
    assert 'href="/toolkit/"' in html


def test_editor_edits_the_toolkit_in_the_admin_and_the_page_follows(client, toolkit, editor):
    client.force_login(editor)
    section = ToolkitSection.objects.get(key="checklist")
    url = reverse("admin:notices_toolkitsection_change", args=[section.pk])
    assert client.get(url).status_code == 200
    reply = client.post(
        url,
        {
            "key": section.key,
            "order": section.order,
            "is_published": "on",
            "title_en": "Your checklist",
            "title_es": "Su lista",
            "body_en": "Be **specific**. <script>alert(1)</script>",
            "body_es": "Sea concreto.",
        },
    )
    assert reply.status_code == 302, reply.content[:1500]
    html = client.get("/toolkit/").content.decode()
    assert "Your checklist" in html and "Be <strong>specific</strong>." in html
    assert "<script>alert(1)</script>" not in html
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGED, object_type="notices.toolkitsection"
    ).exists()
    # Seeding again keeps the edit, and does not bring back a deleted entry.
    TalkingPoint.objects.filter(key="countable").delete()
    seed_toolkit()
    assert ToolkitSection.objects.get(key="checklist").title_en == "Your checklist"
    assert not TalkingPoint.objects.filter(key="countable").exists()


def test_seeding_is_idempotent_and_remembered(db):
    first = seed_toolkit()
    assert first["notices"] == 1 and first["sections"] >= 3 and first["sample_comments"] >= 3
    again = seed_toolkit()
    assert set(again.values()) == {0}
    assert SeedRecord.objects.filter(kind="talking_points").count() == TalkingPoint.objects.count()
    for point in TalkingPoint.objects.all():
        assert point.text_en and point.text_es and point.title_es


def test_seeded_first_notice_closes_at_1159_pm_eastern(db):
    seed_toolkit()
    notice = Notice.objects.get(document_number="2024-12825")
    assert notice.closes_at.astimezone(UTC) == datetime(2024, 8, 13, 3, 59, tzinfo=UTC)
    assert notice.docket_id == "BLS-2024-0001"


@pytest.mark.parametrize("role", ["reviewer", "no_role_user"])
def test_only_editors_manage_notices_in_the_admin(client, role, request):
    client.force_login(request.getfixturevalue(role))
    reply = client.get(reverse("admin:notices_notice_changelist"))
    assert reply.status_code in (302, 403)


def test_editor_enters_the_deadline_in_eastern_time(client, editor, settings):
    settings.TIME_ZONE = "UTC"  # even if the server's zone changed, the form means New York
    client.force_login(editor)
    reply = client.post(
        reverse("admin:notices_notice_add"),
        {
            "is_published": "on",
            "citation": "92 FR 1",
            "document_number": "2027-00001",
            "docket_id": "BLS-2027-0001",
            "document_url": "",
            "opens_at_0": "2027-01-04",
            "opens_at_1": "00:00:00",
            "closes_at_0": "2027-03-15",
            "closes_at_1": "23:59:00",
            "submission_url": "https://www.regulations.gov/docket/BLS-2027-0001",
            "required_header": "BLS-2027-0001",
            "comment_char_limit": "5000",
            "title_en": "Second notice",
            "title_es": "Segundo aviso",
            "summary_en": "",
            "summary_es": "",
            "how_to_submit_en": "",
            "how_to_submit_es": "",
        },
    )
    assert reply.status_code == 302, reply.content[:3000]
    notice = Notice.objects.get(citation="92 FR 1")
    # 15 March 2027 is after the spring clock change: EDT, UTC-4.
    assert notice.closes_at.astimezone(UTC) == datetime(2027, 3, 16, 3, 59, tzinfo=UTC)
    assert notice.opens_at.astimezone(UTC) == datetime(2027, 1, 4, 5, 0, tzinfo=UTC)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATED, object_id=str(notice.pk))


def test_notice_rejects_a_close_before_the_open(db):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    with pytest.raises(ValidationError):
        make_notice(opens_at=now, closes_at=now - timedelta(days=1))


def test_notice_pages(client, spanish_client, toolkit):
    notice = Notice.objects.get()
    html = client.get("/notices/").content.decode()
    assert notice.title_en in html and "Closed" in html
    detail = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "BLS-2024-0001" in detail and "89 FR 49911" in detail
    assert "The comment window closed on Aug. 12, 2024." in detail
    assert notice.summary_es in spanish_client.get(f"/notices/{notice.pk}/").content.decode()
    hidden = make_notice(is_published=False)
    assert client.get(f"/notices/{hidden.pk}/").status_code == 404


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_toolkit_and_builder_queries_do_not_grow_with_content(client, toolkit):
    from apps.surveys.seeding import seed_survey

    seed_survey()
    before = {url: _count_queries(client, url) for url in ["/toolkit/", "/comment/", "/notices/"]}
    for i in range(15):
        SampleComment.objects.create(key=f"extra-{i}", role_en=f"Role {i}", body_en="Text.")
        TalkingPoint.objects.create(key=f"extra-{i}", title_en=f"Point {i}", text_en="Text.")
        make_notice(is_published=True)
    for url, count in before.items():
        assert _count_queries(client, url) <= count, url


def test_not_open_state_offers_the_email_sign_up(client, toolkit):
    html = client.get("/toolkit/").content.decode()
    assert 'href="/updates/"' in html and "Get an email when the next comment window opens" in html
    _open_notice()
    assert (
        "Get an email when the next comment window opens"
        not in client.get("/toolkit/").content.decode()
    )
