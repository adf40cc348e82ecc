"""Reads about Federal Register notices: which one is current and where its window stands.

Every date shown and every day counted is on the Eastern Time calendar, because the notice's
deadline is stated in Eastern Time whatever the visitor's own time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from .models import EASTERN, Notice, SampleComment, SocialPost, TalkingPoint, ToolkitSection

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
CACHE_KEY = "notices:current"
CACHE_SECONDS = 60
_NONE = "none"


@dataclass(frozen=True)
class NoticeStatus:
    """Where a notice's comment window stands at one moment, on the Eastern Time calendar."""

    state: str  # UPCOMING, OPEN or CLOSED
    opens_at_et: datetime
    closes_at_et: datetime
    # The last calendar day (ET) on which a comment can still be sent.
    last_day: date
    # OPEN: calendar days (ET) from today to the last day; 0 means today is the last day.
    days_left: int | None
    # UPCOMING: calendar days (ET) until the window opens; 0 means it opens later today.
    days_until_open: int | None

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.state == UPCOMING

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED


def _as_aware(now: datetime | None) -> datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        # A bare wall-clock time is read as Eastern Time, the deadline's own zone.
        return now.replace(tzinfo=EASTERN)
    return now


def notice_status(notice: Notice, now: datetime | None = None) -> NoticeStatus:
    """The window's state (upcoming/open/closed) and days left, counted in Eastern Time.

    Open from opens_at (inclusive) until closes_at (exclusive).
    """
    now = _as_aware(now)
    opens_et = notice.opens_at.astimezone(EASTERN)
    closes_et = notice.closes_at.astimezone(EASTERN)
    # A deadline at exactly midnight leaves the day before as the last day.
    last_day = (closes_et - timedelta(microseconds=1)).date()
    today = now.astimezone(EASTERN).date()
    if now < notice.opens_at:
        return NoticeStatus(
            UPCOMING, opens_et, closes_et, last_day, None, (opens_et.date() - today).days
        )
    if now < notice.closes_at:
        return NoticeStatus(
            OPEN, opens_et, closes_et, last_day, max((last_day - today).days, 0), None
        )
    return NoticeStatus(CLOSED, opens_et, closes_et, last_day, None, None)


def _open_now(notices: list[Notice], now: datetime) -> Notice | None:
    """Of these notices, the one whose window is open now and closes soonest."""
    open_now = [n for n in notices if n.opens_at <= now < n.closes_at]
    return min(open_now, key=lambda n: (n.closes_at, n.pk), default=None)


def current_notice(now: datetime | None = None) -> Notice | None:
    """The published notice open now (closing soonest), else the next to open, else the
    latest closed; None when there is no published notice. One query (a handful of rows)."""
    now = _as_aware(now)
    notices = list(Notice.objects.published())
    if (found := _open_now(notices, now)) is not None:
        return found
    upcoming = [n for n in notices if n.opens_at > now]
    if upcoming:
        return min(upcoming, key=lambda n: (n.opens_at, n.closes_at, n.pk))
    return max(notices, key=lambda n: (n.closes_at, n.pk), default=None)


def notice_taking_submission_counts(now: datetime | None = None) -> Notice | None:
    """The notice an "I submitted my comment" count goes to: the published notice open now
    (closing soonest), else the one that closed most recently if it closed less than
    COMMENT_RECORD_LATE_DAYS ago; None at any other time (nothing can be commented on)."""
    from django.conf import settings

    now = _as_aware(now)
    notices = list(Notice.objects.published())
    if (found := _open_now(notices, now)) is not None:
        return found
    late = now - timedelta(days=settings.COMMENT_RECORD_LATE_DAYS)
    recent = [n for n in notices if late <= n.closes_at <= now]
    return max(recent, key=lambda n: (n.closes_at, n.pk), default=None)


def notice_cache_clear() -> None:
    """Forget the cached current notice (called when any notice is saved or deleted)."""
    cache.delete(CACHE_KEY)


def current_notice_cached() -> Notice | None:
    """current_notice() kept in the cache for a minute: one cache read per page, and one
    query when the cache is cold. The state is still computed per request from the row."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = current_notice() or _NONE
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return None if found == _NONE else found


@dataclass(frozen=True)
class NoticeDisplay:
    """A notice with its status, ready for a template."""

    notice: Notice
    status: NoticeStatus


def notice_display(notice: Notice, now: datetime | None = None) -> NoticeDisplay:
    return NoticeDisplay(notice=notice, status=notice_status(notice, now=now))


def notice_list_published() -> list[NoticeDisplay]:
    """Every published notice, newest first, each with its status."""
    now = timezone.now()
    return [notice_display(n, now=now) for n in Notice.objects.published()]


def toolkit_content() -> dict:
    """What the toolkit page shows: its sections, talking points, samples and social posts."""
    from .models import SampleComment, SocialPost, TalkingPoint, ToolkitSection

    return {
        "sections": list(ToolkitSection.objects.published()),
        "talking_points": list(TalkingPoint.objects.published()),
        "samples": list(SampleComment.objects.published()),
        "social_posts": list(SocialPost.objects.published()),
    }


# --- What other apps read of the notices (instead of apps.notices.models; EASTERN, imported
# above, is the Eastern calendar notices keep their dates on, for others too) ---


def notice_list():
    """Every notice, published or not (staff pages)."""
    return Notice.objects.all()


def notice_published_queryset():
    """The published notices, unordered (callers order and slice; feeds, reminders)."""
    return Notice.objects.published()


def talking_point_published_list():
    return TalkingPoint.objects.published()


def sample_comment_published_list():
    return SampleComment.objects.published()


def public_content_models() -> tuple:
    """The notice app's models with public text, with the fields that hold it (pages'
    content checker reads every published row)."""
    return (
        (ToolkitSection, ("title", "body")),
        (TalkingPoint, ("title", "text")),
        (SampleComment, ("role", "body")),
        (SocialPost, ("text",)),
    )
