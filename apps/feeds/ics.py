"""The calendar file (.ics, RFC 5545) of comment windows and timeline milestones, written with
the icalendar library (line folding at 75 octets, escaping of , ; \\ and new lines).

Each notice gives two events: its comment window (opens to closes) and its deadline. Each
milestone with a start date gives an all-day event. UIDs do not depend on the language, so a
calendar that subscribed in English keeps its events when it switches to Spanish.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from apps.core.siteurl import absolute, site_url
from apps.notices.selectors import notice_published_queryset
from apps.pages.selectors import milestone_dated_list

from .feeds import with_language

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice
    from apps.pages.models import Milestone


def _host() -> str:
    return urlsplit(site_url()).hostname or "localhost"


def _notice_events(notice: Notice, language: str, host: str) -> list[Event]:
    url = absolute(with_language(reverse("notices:detail", kwargs={"pk": notice.pk}), language))
    lines = [notice.tr("summary").strip()]
    if notice.docket_id:
        lines.append(_("Docket: %(docket)s") % {"docket": notice.docket_id})
    if notice.submission_url:
        lines.append(_("Where to send your comment: %(url)s") % {"url": notice.submission_url})
    lines.append(url)
    description = "\n\n".join(line for line in lines if line)
    title = notice.tr("title")
    window = Event()
    window.add("uid", f"notice-{notice.pk}-window@{host}")
    window.add("dtstamp", notice.updated_at)
    window.add("dtstart", notice.opens_at)
    window.add("dtend", notice.closes_at)
    window.add("summary", _("Public comment window: %(title)s") % {"title": title})
    window.add("description", description)
    window.add("url", url)
    deadline = Event()
    deadline.add("uid", f"notice-{notice.pk}-deadline@{host}")
    deadline.add("dtstamp", notice.updated_at)
    deadline.add("dtstart", notice.closes_at)
    deadline.add("summary", _("Comment deadline: %(title)s") % {"title": title})
    deadline.add("description", description)
    deadline.add("url", url)
    return [window, deadline]


def _milestone_event(milestone: Milestone, language: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"milestone-{milestone.key}@{host}")
    event.add("dtstamp", milestone.updated_at)
    event.add("dtstart", milestone.starts_on)
    # All-day events end the day after their last day (DTEND is exclusive).
    event.add("dtend", (milestone.ends_on or milestone.starts_on) + timedelta(days=1))
    event.add("summary", milestone.tr("title"))
    parts = [milestone.tr("date_label"), milestone.tr("description").strip()]
    if milestone.is_provisional:
        parts.append(_("Provisional: not yet confirmed by an official text."))
    event.add("description", "\n\n".join(p for p in parts if p))
    timeline = reverse("pages:detail", kwargs={"slug": "timeline"})
    event.add("url", absolute(with_language(timeline, language)))
    return event


def calendar_bytes(language: str) -> bytes:
    """The whole calendar in the active language (two queries)."""
    host = _host()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//ostportal//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("OST SOC Portal: comment windows and milestones"))
    for notice in notice_published_queryset().order_by("opens_at", "pk"):
        for event in _notice_events(notice, language, host):
            calendar.add_component(event)
    for milestone in milestone_dated_list():
        calendar.add_component(_milestone_event(milestone, language, host))
    return calendar.to_ical()
