"""Feeds people follow without an account: Atom and RSS of announcements and notices, the
calendar file (.ics) of comment windows and milestones, and sitemap.xml."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from apps.mailings.models import Announcement
from apps.pages.models import Milestone
from tests.mailings.factories import make_announcement
from tests.notices.factories import make_notice

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _sent(**kwargs) -> Announcement:
    announcement = make_announcement(**kwargs)
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Announcement.Status.SENT, finished_at=timezone.now()
    )
    return announcement


@pytest.fixture
def items(db):
    sent = _sent(subject_en="Survey is open", subject_es="La encuesta está abierta")
    draft = make_announcement(subject_en="Draft only", subject_es="Solo borrador")
    reminder = _sent(
        subject_en="2 days left (reminder)", subject_es="Quedan 2 días", kind="reminder"
    )
    notice = make_notice(title_en="Proposed SOC changes", title_es="Cambios propuestos")
    hidden = make_notice(title_en="Unpublished notice", is_published=False)
    return {"sent": sent, "draft": draft, "reminder": reminder, "notice": notice, "hidden": hidden}


def test_atom_feed_lists_only_sent_announcements_and_published_notices(client, items):
    reply = client.get("/feeds/updates.atom")
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(reply.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert "Survey is open" in titles
    assert "Proposed SOC changes (91 FR" in " ".join(titles)
    assert not any("Draft only" in t or "Unpublished" in t or "reminder" in t for t in titles)
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert all(link.startswith("http://127.0.0.1:8000/") and "lang=en" in link for link in links)
    assert f"/notices/{items['notice'].pk}/?lang=en" in " ".join(links)


def test_rss_feed_in_spanish_with_lang(client, items):
    reply = client.get("/feeds/updates.rss?lang=es")
    assert reply.status_code == 200
    channel = ET.fromstring(reply.content).find("channel")
    assert channel.find("language").text == "es"
    titles = [item.find("title").text for item in channel.iter("item")]
    assert "La encuesta está abierta" in titles
    assert any(t.startswith("Cambios propuestos") for t in titles)
    assert "Survey is open" not in titles
    assert all("lang=es" in item.find("link").text for item in channel.iter("item"))
    # One item is one item in both languages: the id carries no language.
    english = ET.fromstring(Client().get("/feeds/updates.rss").content).find("channel")
    assert {i.find("guid").text for i in english.iter("item")} == {
        i.find("guid").text for i in channel.iter("item")
    }


def test_feeds_use_a_constant_number_of_queries(client, items):
    with CaptureQueriesContext(connection) as few:
        client.get("/feeds/updates.atom")
    for n in range(8):
        _sent(subject_en=f"More {n}")
        make_notice()
    with CaptureQueriesContext(connection) as many:
        client.get("/feeds/updates.atom")
    assert len(many) == len(few)


def test_news_page_shows_the_feed_in_both_languages(client, spanish_client, items):
    html = client.get("/news/").content.decode()
    assert "Survey is open" in html and "Proposed SOC changes" in html
    assert "Draft only" not in html and "Unpublished notice" not in html
    assert f'id="announcement-{items["sent"].pk}"' in html
    assert "/feeds/calendar.ics?lang=en" in html
    html = spanish_client.get("/news/").content.decode()
    assert "La encuesta está abierta" in html and 'lang="es"' in html


def test_every_page_head_links_the_feeds(client, seeded):
    html = client.get("/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/updates.rss?lang=en"' in html
    assert 'href="/news/"' in html  # footer


def _ics(client, url="/feeds/calendar.ics") -> tuple[bytes, Calendar]:
    reply = client.get(url)
    assert reply.status_code == 200
    assert reply["Content-Type"] == "text/calendar; charset=utf-8"
    return reply.content, Calendar.from_ical(reply.content)


def test_calendar_has_each_window_deadline_and_dated_milestone(client, items):
    Milestone.objects.create(
        key="proposal-due",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 31),
        date_label_en="March 2027",
        title_en="Proposals due",
        title_es="Fecha límite de propuestas",
        is_provisional=True,
        provisional_reason_en="Date not announced",
    )
    Milestone.objects.create(key="undated", date_label_en="Later", title_en="Undated")
    raw, calendar = _ics(client)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    notice = items["notice"]
    window = events[f"notice-{notice.pk}-window@127.0.0.1"]
    assert window.decoded("DTSTART") == notice.opens_at
    assert window.decoded("DTEND") == notice.closes_at
    assert str(window["SUMMARY"]) == "Public comment window: Proposed SOC changes"
    deadline = events[f"notice-{notice.pk}-deadline@127.0.0.1"]
    assert deadline.decoded("DTSTART") == notice.closes_at
    milestone = events["milestone-proposal-due@127.0.0.1"]
    assert milestone.decoded("DTSTART") == date(2027, 3, 1)
    assert milestone.decoded("DTEND") == date(2027, 4, 1)  # exclusive end of an all-day event
    assert "Provisional" in str(milestone["DESCRIPTION"])
    assert not any("Undated" in str(e["SUMMARY"]) for e in events.values())
    assert f"notice-{items['hidden'].pk}-" not in raw.decode()
    _raw, spanish = _ics(client, "/feeds/calendar.ics?lang=es")
    summaries = {str(e["SUMMARY"]) for e in spanish.walk("VEVENT")}
    assert "Fecha límite de propuestas" in summaries
    assert {str(e["UID"]) for e in spanish.walk("VEVENT")} == set(events)


def test_calendar_lines_are_folded_and_text_escaped_per_rfc5545(client):
    long_title = "Ñandú, ballet; back\\slash " + "palabra " * 20
    make_notice(
        title_en=long_title,
        summary_en="First line\nsecond, line; with \\ and a very long tail " + "x" * 200,
    )
    raw, calendar = _ics(client)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends CRLF
    assert all(len(line) <= 75 for line in lines)  # octets, not characters
    for line in lines:  # a fold never splits a UTF-8 character
        line.decode("utf-8")
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded
    unfolded = raw.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:Public comment window: Ñandú\\, ballet\\; back\\\\slash" in unfolded
    assert "DESCRIPTION:First line\\nsecond\\, line\\; with \\\\ and" in unfolded
    window = next(e for e in calendar.walk("VEVENT") if "window" in str(e["UID"]))
    assert str(window["SUMMARY"]).startswith("Public comment window: " + long_title.strip())


def test_sitemap_lists_public_pages_with_absolute_addresses(client, seeded, items, settings):
    settings.PORTAL_BASE_URL = "https://ost.example.org"
    reply = client.get("/sitemap.xml")
    assert reply.status_code == 200
    root = ET.fromstring(reply.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [loc.text for loc in root.iter(f"{ns}loc")]
    assert "https://ost.example.org/" in urls
    assert "https://ost.example.org/page/timeline/" in urls
    assert f"https://ost.example.org/notices/{items['notice'].pk}/" in urls
    assert f"https://ost.example.org/notices/{items['hidden'].pk}/" not in urls
    assert "https://ost.example.org/comment/" in urls and "https://ost.example.org/news/" in urls
    assert "https://ost.example.org/comment/pledge/" in urls
    assert not any("/staff" in url or "/accounts" in url for url in urls)
    assert (
        "Sitemap: https://ost.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()
    )
    # Every page in Spanish too, each entry naming both languages as alternates.
    assert "https://ost.example.org/page/timeline/?lang=es" in urls
    links = root.findall(f"{ns}url")
    timeline = next(u for u in links if u.find(f"{ns}loc").text.endswith("/page/timeline/"))
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in timeline.findall("{http://www.w3.org/1999/xhtml}link")
    }
    assert alternates == {
        "en": "https://ost.example.org/page/timeline/",
        "es": "https://ost.example.org/page/timeline/?lang=es",
    }
    assert len(urls) == len(set(urls))


def test_the_sitemap_lists_the_open_survey_and_every_address_opens(client, seeded):
    from urllib.parse import urlsplit

    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey

    seed_survey()
    survey = Survey.objects.get(slug="ost-roles-duties")

    reply = client.get("/sitemap.xml")
    root = ET.fromstring(reply.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    paths = [urlsplit(loc.text) for loc in root.iter(f"{ns}loc")]
    assert any(p.path == survey.get_absolute_url() for p in paths)
    for p in paths:
        target = p.path + (f"?{p.query}" if p.query else "")
        assert client.get(target).status_code == 200, target


def test_a_notice_is_dated_when_it_was_published_not_when_it_was_entered(client, db):
    """A Federal Register notice of June 2024 entered today is dated June 2024 (its comment
    window opened on the day of the notice); one posted ahead of its window, the day it was
    posted."""
    from datetime import timedelta

    from apps.feeds.selectors import news_items

    # Noon UTC: the same calendar day in every US time zone, whatever time the test runs at
    # (at 01:00 UTC "now" moved to June 14 was still June 13 in New York).
    opened = timezone.now().replace(year=2024, month=6, day=14, hour=12, minute=0)
    old = make_notice(title_en="Notice of 2024", opens_at=opened, closes_at=opened + timedelta(60))
    ahead = make_notice(
        title_en="Notice ahead",
        opens_at=timezone.now() + timedelta(days=20),
        closes_at=timezone.now() + timedelta(days=80),
    )
    dated = {item.pk: item.published for item in news_items() if item.kind == "notice"}
    assert dated[old.pk] == opened
    assert dated[ahead.pk] == ahead.created_at
    html = client.get("/news/").content.decode()
    assert "June 14, 2024" in html


def _head_alternates(html: str) -> dict:
    import re
    from html import unescape

    head = html.split("</head>", 1)[0]
    found = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head)
    return {lang: unescape(href) for lang, href in found}


def test_each_page_names_the_same_alternates_in_its_head_as_the_sitemap(
    client, seeded, items, settings
):
    settings.PORTAL_BASE_URL = "https://ost.example.org"
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns, xhtml = "{http://www.sitemaps.org/schemas/sitemap/0.9}", "{http://www.w3.org/1999/xhtml}"
    checked = 0
    for entry in root.findall(f"{ns}url"):
        loc = entry.find(f"{ns}loc").text
        listed = {a.get("hreflang"): a.get("href") for a in entry.findall(f"{xhtml}link")}
        page = _head_alternates(
            client.get(loc.removeprefix(settings.PORTAL_BASE_URL)).content.decode()
        )
        assert page == {**listed, "x-default": listed["en"]}, loc
        checked += 1
    assert checked > 10


def test_head_alternates_keep_other_parameters_and_staff_pages_have_none(client, seeded, settings):
    settings.PORTAL_BASE_URL = "https://ost.example.org"
    html = client.get("/news/?lang=es&page=1").content.decode()
    assert _head_alternates(html) == {
        "en": "https://ost.example.org/news/?page=1",
        "es": "https://ost.example.org/news/?page=1&lang=es",
        "x-default": "https://ost.example.org/news/?page=1",
    }
    assert 'hreflang="es"' not in client.get("/accounts/login/").content.decode()
