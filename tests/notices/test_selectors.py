from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.notices.selectors import (
    CLOSED,
    OPEN,
    UPCOMING,
    current_notice,
    current_notice_cached,
    notice_status,
)

from .factories import et, make_notice

pytestmark = pytest.mark.django_db


def test_one_second_before_the_eastern_deadline_is_open_on_its_last_day():
    notice = make_notice(closes_at=et(2026, 8, 3, 23, 59))
    status = notice_status(notice, now=et(2026, 8, 3, 23, 58, 59))
    assert status.state == OPEN
    assert status.days_left == 0
    assert status.last_day.isoformat() == "2026-08-03"


def test_at_and_one_second_after_the_deadline_it_is_closed():
    notice = make_notice(closes_at=et(2026, 8, 3, 23, 59))
    assert notice_status(notice, now=et(2026, 8, 3, 23, 59)).state == CLOSED
    status = notice_status(notice, now=et(2026, 8, 3, 23, 59, 1))
    assert status.state == CLOSED
    assert status.days_left is None


def test_opening_moment_is_inclusive():
    notice = make_notice(opens_at=et(2026, 6, 1, 9, 0))
    before = notice_status(notice, now=et(2026, 6, 1, 8, 59, 59))
    assert before.state == UPCOMING
    assert before.days_until_open == 0
    assert notice_status(notice, now=et(2026, 6, 1, 9, 0)).state == OPEN


def test_days_left_counts_eastern_calendar_days_not_24_hour_blocks():
    notice = make_notice(closes_at=et(2026, 8, 3, 23, 59))
    # 00:01 ET on 1 August: almost three full days remain, three calendar days after today.
    assert notice_status(notice, now=et(2026, 8, 1, 0, 1)).days_left == 2
    assert notice_status(notice, now=et(2026, 7, 31, 23, 59)).days_left == 3


def test_a_deadline_at_midnight_leaves_the_day_before_as_the_last_day():
    notice = make_notice(closes_at=et(2026, 8, 4, 0, 0))
    status = notice_status(notice, now=et(2026, 8, 3, 12, 0))
    assert status.last_day.isoformat() == "2026-08-03"
    assert status.days_left == 0


def test_viewer_in_another_time_zone_sees_the_eastern_deadline():
    notice = make_notice(closes_at=et(2026, 8, 3, 23, 59))
    la = ZoneInfo("America/Los_Angeles")
    # 21:30 on 3 August in Los Angeles is 00:30 on 4 August in New York: closed.
    assert notice_status(notice, now=datetime(2026, 8, 3, 21, 30, tzinfo=la)).state == CLOSED
    # 20:58 in Los Angeles is 23:58 in New York: still open, last day.
    late = notice_status(notice, now=datetime(2026, 8, 3, 20, 58, tzinfo=la))
    assert (late.state, late.days_left) == (OPEN, 0)
    # 10:00 on 3 August in Tokyo is still 2 August in New York: one day left after today.
    tokyo = notice_status(notice, now=datetime(2026, 8, 3, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert (tokyo.state, tokyo.days_left) == (OPEN, 1)


def test_deadline_after_the_autumn_clock_change_uses_standard_time():
    # Clocks go back on 1 November 2026; 23:59 ET on 2 November is 04:59 UTC on 3 November.
    notice = make_notice(opens_at=et(2026, 9, 1, 0, 0), closes_at=et(2026, 11, 2, 23, 59))
    assert notice.closes_at.astimezone(UTC) == datetime(2026, 11, 3, 4, 59, tzinfo=UTC)
    assert notice_status(notice, now=datetime(2026, 11, 3, 4, 58, 59, tzinfo=UTC)).is_open
    assert notice_status(notice, now=datetime(2026, 11, 3, 4, 59, 1, tzinfo=UTC)).is_closed
    # From 00:30 EDT on 1 November (a 25-hour day) the count follows the calendar: the 2nd
    # is one day after today.
    assert notice_status(notice, now=et(2026, 11, 1, 0, 30)).days_left == 1
    assert notice_status(notice, now=et(2026, 11, 2, 0, 30)).days_left == 0


def test_deadline_after_the_spring_clock_change_uses_daylight_time():
    # Clocks go forward on 8 March 2026; 23:59 ET on 9 March is 03:59 UTC on 10 March.
    notice = make_notice(opens_at=et(2026, 2, 1, 0, 0), closes_at=et(2026, 3, 9, 23, 59))
    assert notice.closes_at.astimezone(UTC) == datetime(2026, 3, 10, 3, 59, tzinfo=UTC)
    assert notice_status(notice, now=datetime(2026, 3, 10, 3, 58, 59, tzinfo=UTC)).is_open
    assert notice_status(notice, now=datetime(2026, 3, 10, 3, 59, 1, tzinfo=UTC)).is_closed
    assert notice_status(notice, now=et(2026, 3, 7, 23, 30)).days_left == 2


def test_status_dates_are_reported_in_eastern_time():
    notice = make_notice(closes_at=datetime(2026, 8, 4, 3, 59, tzinfo=UTC))
    status = notice_status(notice, now=et(2026, 7, 1))
    assert (status.closes_at_et.hour, status.closes_at_et.day) == (23, 3)


def test_current_notice_prefers_the_open_one():
    make_notice(opens_at=et(2026, 1, 1), closes_at=et(2026, 2, 1))
    open_ = make_notice(opens_at=et(2026, 6, 1), closes_at=et(2026, 8, 1))
    make_notice(opens_at=et(2026, 9, 1), closes_at=et(2026, 10, 1))
    assert current_notice(now=et(2026, 7, 1)) == open_


def test_without_an_open_window_the_next_to_open_wins_over_closed_ones():
    make_notice(opens_at=et(2026, 1, 1), closes_at=et(2026, 2, 1))
    later = make_notice(opens_at=et(2027, 9, 1), closes_at=et(2027, 10, 1))
    soon = make_notice(opens_at=et(2026, 9, 1), closes_at=et(2026, 10, 1))
    assert current_notice(now=et(2026, 3, 1)) == soon
    soon.delete()
    assert current_notice(now=et(2026, 3, 1)) == later
    assert current_notice(now=et(2030, 1, 1)) == later


def test_latest_closed_when_nothing_is_open_or_upcoming():
    make_notice(opens_at=et(2025, 1, 1), closes_at=et(2025, 2, 1))
    latest = make_notice(opens_at=et(2026, 1, 1), closes_at=et(2026, 2, 1))
    assert current_notice(now=et(2026, 3, 1)) == latest


def test_unpublished_notices_are_ignored():
    make_notice(is_published=False, opens_at=et(2026, 6, 1), closes_at=et(2026, 8, 1))
    assert current_notice(now=et(2026, 7, 1)) is None


def test_two_open_windows_the_one_closing_first_is_current():
    make_notice(opens_at=et(2026, 6, 1), closes_at=et(2026, 9, 1))
    first = make_notice(opens_at=et(2026, 6, 15), closes_at=et(2026, 8, 1))
    assert current_notice(now=et(2026, 7, 1)) == first


def test_cached_current_notice_is_read_once_then_from_the_cache_and_follows_edits(
    django_assert_num_queries,
):
    notice = make_notice(opens_at=et(2020, 1, 1), closes_at=et(2020, 2, 1))
    with django_assert_num_queries(1):
        assert current_notice_cached() == notice
    with django_assert_num_queries(0):
        assert current_notice_cached() == notice
    notice.title_en = "Edited"
    notice.save()
    assert current_notice_cached().title_en == "Edited"
    notice.delete()
    assert current_notice_cached() is None


def test_naive_now_is_read_as_eastern_time():
    notice = make_notice(closes_at=et(2026, 8, 3, 23, 59))
    assert notice_status(notice, now=datetime(2026, 8, 3, 23, 58)).is_open
    assert notice_status(notice, now=datetime(2026, 8, 3, 23, 59) + timedelta(seconds=1)).is_closed
