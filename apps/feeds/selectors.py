"""What the public feeds, the news page and the calendar show: only published notices and
sent announcements written by staff (never drafts, never automatic reminders), read in the
active language. A constant number of queries whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from apps.core.text import render_markdown
from apps.mailings.models import Announcement
from apps.notices.selectors import EASTERN, notice_published_queryset

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice

FEED_ITEMS = 50


@dataclass(frozen=True)
class NewsItem:
    kind: str  # "announcement" or "notice"
    pk: int
    title: str
    path: str  # on this portal, without the language
    published: datetime
    updated: datetime
    body_html: SafeString

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"


def announcements_public():
    return Announcement.objects.filter(
        status=Announcement.Status.SENT, kind=Announcement.Kind.MANUAL
    ).exclude(finished_at=None)


def _window_html(notice: Notice) -> str:
    return _("Comment window: %(opens)s to %(closes)s (Eastern Time).") % {
        "opens": date_format(notice.opens_at.astimezone(EASTERN), "DATETIME_FORMAT"),
        "closes": date_format(notice.closes_at.astimezone(EASTERN), "DATETIME_FORMAT"),
    }


def news_items(limit: int = FEED_ITEMS) -> list[NewsItem]:
    """Sent announcements and published notices, newest first (two queries)."""
    items = [
        NewsItem(
            kind="announcement",
            pk=a.pk,
            title=a.tr("subject"),
            path=reverse("feeds:news") + f"#announcement-{a.pk}",
            published=a.finished_at,
            updated=a.finished_at,
            body_html=render_markdown(a.tr("body")),
        )
        for a in announcements_public().order_by("-finished_at")[:limit]
    ]
    for notice in notice_published_queryset().order_by("-created_at")[:limit]:
        body = render_markdown(_window_html(notice) + "\n\n" + notice.tr("summary"))
        items.append(
            NewsItem(
                kind="notice",
                pk=notice.pk,
                title=f"{notice.tr('title')} ({notice.citation})",
                path=reverse("notices:detail", kwargs={"pk": notice.pk}),
                # Dated when it was published: its comment window opens on the day of the
                # Federal Register notice; a notice posted ahead of its window, on the day
                # it was posted (created_at: a notice of 2024 entered today said today).
                published=min(notice.created_at, notice.opens_at or notice.created_at),
                updated=notice.updated_at,
                body_html=body,
            )
        )
    items.sort(key=lambda item: item.published, reverse=True)
    return items[:limit]
