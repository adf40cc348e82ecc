"""The pre-aggregated dashboard figures give exactly the numbers computed from the responses,
stay current, and are never used when they are too old."""

import dataclasses
from datetime import date, timedelta
from io import StringIO
from unittest import mock

import hypothesis
import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from hypothesis import strategies as st

from apps.insights import cube, selectors, sources
from apps.insights.models import CubeBuild, CubeMember, SliceCount, SliceTask
from apps.surveys.models import Collector, Question, Response, SurveyVersion

pytestmark = pytest.mark.django_db


def plain(value):
    """A comparable form of a selector's result: dataclasses and model objects unpacked,
    floats rounded (sums taken in another order differ in the last bits)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        extra = {k: plain(v) for k, v in vars(value).items() if k not in fields}
        return {**fields, **extra}
    if isinstance(value, models.Model):
        return (type(value).__name__, value.pk)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 9)
    return value


def figures(params):
    return {
        "overview": plain(selectors.overview(params)),
        "duties": plain(selectors.task_table(params, sort="code")),
        "write_ins": plain(selectors.write_in_tasks(params)),
        "titles": plain(selectors.job_titles(params)),
        "crosswalk": plain(selectors.crosswalk(params)),
        "workforce": plain(selectors.workforce_profile(params)),
    }


def assert_cube_equals_responses(params: dict, settings) -> None:
    """The view is read from the pre-aggregated figures, and every figure equals the same
    view computed from the responses (INSIGHTS_CUBE off)."""
    assert isinstance(sources.source_for(params), sources.CubeSource), params
    from_cube = figures(params)
    settings.INSIGHTS_CUBE = False
    assert isinstance(sources.source_for(params), sources.RawSource)
    from_responses = figures(params)
    settings.INSIGHTS_CUBE = True
    assert from_cube == from_responses, params
    # The open-answer list's length, read from the figures, is the list's own count.
    assert selectors.open_answer_count(params) == selectors.open_answers(params).count()


def whole_weeks(params: dict) -> dict:
    """The params with their date range widened to whole weeks, as filters.filter_params
    widens every range a view is asked for."""
    params = dict(params)
    if params.get("date_from"):
        start = date.fromisoformat(params["date_from"])
        params["date_from"] = (start - timedelta(days=start.weekday())).isoformat()
    if params.get("date_to"):
        end = date.fromisoformat(params["date_to"])
        params["date_to"] = (end + timedelta(days=6 - end.weekday())).isoformat()
    return params


@pytest.fixture
def synthetic(survey):
    call_command("generate_responses", count=400, seed=7, verbosity=0)
    # Some figures must change when staff exclude a response: exclude a few.
    for response in Response.objects.complete()[:3]:
        response.is_excluded = True
        response.save(update_fields=["is_excluded", "updated_at"])
    return Response.objects.complete().count()


def test_pre_aggregated_figures_equal_the_figures_computed_from_the_responses(synthetic, settings):
    version = SurveyVersion.objects.first()
    collector = Collector.objects.filter(responses__isnull=False).first()
    some = Response.objects.included().exclude(state="").order_by("pk").first()
    day = timezone.localtime(some.submitted_at).date()
    combinations = [
        {},
        {"flagged": "on"},
        {"state": some.state},
        {"state": some.state, "flagged": "on"},
        {"role": some.role.slug},
        {"role": some.role.slug, "state": some.state},
        {"role": some.role.slug, "date_from": (day - timedelta(days=10)).isoformat()},
        {"setting": some.setting},
        {"version": version.pk},
        {"date_from": (day - timedelta(days=10)).isoformat()},
        {"date_to": day.isoformat()},
        {"date_to": (day - timedelta(days=9)).isoformat()},
        {
            "date_from": (day - timedelta(days=17)).isoformat(),
            "date_to": (day + timedelta(days=3)).isoformat(),
        },
        {
            "date_from": (day - timedelta(days=4)).isoformat(),
            "date_to": (day - timedelta(days=1)).isoformat(),
        },
        {"date_from": day.isoformat(), "date_to": day.isoformat(), "flagged": "on"},
        # A date range within one state (the pair of the state and the week).
        {"state": some.state, "date_from": (day - timedelta(days=10)).isoformat()},
        {"state": some.state, "role": some.role.slug, "date_to": day.isoformat()},
        {
            "state": some.state,
            "date_from": (day - timedelta(days=17)).isoformat(),
            "date_to": (day + timedelta(days=3)).isoformat(),
            "flagged": "on",
        },
    ]
    # Every view's date range is whole weeks (filters.filter_params); the figures hold
    # weeks, and a range of other days reads the responses.
    for params in combinations:
        if "date_from" in params or "date_to" in params:
            assert isinstance(sources.source_for(params), sources.RawSource) or (
                sources.whole_weeks(params.get("date_from"), params.get("date_to"))
            ), params
    combinations = [whole_weeks(params) for params in combinations]
    # Two filters whose combination the figures hold (cube.COMBINATIONS), and the one
    # version every response is in with one or two of them.
    assert SurveyVersion.objects.filter(responses__isnull=False).distinct().count() == 1
    combinations += [
        {"state": some.state, "setting": some.setting},
        {"state": some.state, "setting": some.setting, "role": some.role.slug},
        {"state": some.state, "setting": some.setting, "flagged": "on"},
        {"version": version.pk, "state": some.state},
        {"version": version.pk, "setting": some.setting},
        {"version": version.pk, "state": some.state, "setting": some.setting},
    ]
    if collector:
        combinations += [
            {"collector": collector.pk},
            {"collector": collector.pk, "state": some.state},
            {"collector": collector.pk, "setting": some.setting, "role": some.role.slug},
            {"version": version.pk, "collector": collector.pk},
            {"version": version.pk, "collector": collector.pk, "state": some.state},
            # A partner's scope (a set of links) with a state.
            {"collectors": [str(collector.pk), "0"], "state": some.state},
        ]
    cube.rebuild()
    for params in combinations:
        assert_cube_equals_responses(params, settings)
    # The data are not trivial: the comparison covered real counts.
    assert figures({})["overview"]["total"] > 300


@pytest.mark.parametrize("start_week", range(3))
@pytest.mark.parametrize("weeks", [1, 2, 5])
@pytest.mark.parametrize("open_end", ["", "start", "end"])
def test_a_range_of_whole_weeks_is_its_stored_weeks(start_week, weeks, open_end):
    """Every day of a range of whole weeks is covered exactly once by a stored week; a range
    that is not whole weeks is not read from the figures."""
    first_monday = date(2026, 11, 2)
    start = first_monday + timedelta(weeks=start_week)
    end = start + timedelta(weeks=weeks, days=-1)  # a Sunday
    SliceCount.objects.bulk_create(
        SliceCount(
            dim="week",
            metric="total",
            value=(first_monday + timedelta(weeks=w)).isoformat(),
            role="",
            flagged=False,
            key="",
            item="",
            n=1,
        )
        for w in range(-3, 12)
    )
    low = None if open_end == "start" else start.isoformat()
    high = None if open_end == "end" else end.isoformat()
    assert sources.whole_weeks(low, high)
    covered = []
    for cell in SliceCount.objects.filter(sources.week_range(low, high)):
        covered += [date.fromisoformat(cell.value) + timedelta(days=i) for i in range(7)]
    lowest = first_monday + timedelta(weeks=-3) if low is None else start
    highest = first_monday + timedelta(weeks=12, days=-1) if high is None else end
    assert sorted(covered) == [
        lowest + timedelta(days=i) for i in range((highest - lowest).days + 1)
    ]
    assert not sources.whole_weeks((start + timedelta(days=1)).isoformat(), high)
    assert not sources.whole_weeks(low, (end - timedelta(days=1)).isoformat())
    assert not sources.whole_weeks("not a date", None)
    # Another way of writing the same Monday reads the same weeks.
    iso_week = f"{start.isocalendar().year}-W{start.isocalendar().week:02d}-1"
    assert sources.whole_weeks(iso_week, high)
    same = SliceCount.objects.filter(sources.week_range(iso_week, high))
    assert (
        same.count()
        == SliceCount.objects.filter(sources.week_range(start.isoformat(), high)).count()
    )


def test_views_combining_filters_the_figures_do_not_hold_read_the_responses(survey):
    # A date range with another filter, three of link, state and setting, and a version with
    # them while no figures say that every response is in it.
    for params in (
        {"state": "CA", "date_from": "2026-01-01"},
        {"setting": "camp", "date_to": "2026-01-01", "role": "frontline"},
        {"collector": 2, "state": "CA", "setting": "camp"},
        {"version": 1, "state": "CA"},
        {"collectors": ["2"], "collector": 2},
    ):
        assert sources._cube_slice(params) is None, params
        assert isinstance(sources.source_for(params), sources.RawSource)
    # Held: the combination's last dimension, with the others fixed.
    assert sources._cube_slice({"setting": "camp", "state": "CA", "role": "tutor"}) == (
        "setting",
        ["camp"],
        None,
        [("state", ["CA"])],
    )


def cells():
    counts = SliceCount.objects.values_list(
        "dim", "metric", "value", "role", "flagged", "key", "item", "n"
    )
    tasks = SliceTask.objects.values_list(
        "dim", "value", "role", "flagged", "task_id", "n", "yes", "imp_sum", "imp_sq", "f1", "f7"
    )
    # A sum over no relevant ratings is NULL when built at once and 0 after a subtraction.
    return set(counts), {(*t[:7], t[7] or 0.0, t[8] or 0.0, *t[9:]) for t in tasks}


def test_incremental_refreshes_give_the_same_tables_as_a_full_rebuild(synthetic):
    cube.rebuild()
    # New responses, an exclusion, a restore, a flag: each refresh adds and subtracts.
    before = Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("generate_responses", count=60, seed=8, verbosity=0)
    new_counted = Response.objects.included().filter(pk__gt=before).count()
    assert 40 < new_counted < 60  # the volunteers' short path is not counted
    first, second, third = Response.objects.included().order_by("pk")[:3]
    first.is_excluded = True
    first.save(update_fields=["is_excluded", "updated_at"])
    second.is_too_fast = not second.is_too_fast
    second.save(update_fields=["is_too_fast", "updated_at"])
    state = cube.refresh()
    assert state.added >= new_counted + 1 and state.removed == 2
    restored = Response.objects.filter(is_excluded=True).first()
    restored.is_excluded = False
    restored.save(update_fields=["is_excluded", "updated_at"])
    third.state = "WY" if third.state != "WY" else "VT"
    third.save(update_fields=["state", "updated_at"])
    cube.refresh()
    incremental = cells()
    cube.rebuild()
    full = cells()
    assert incremental[0] == full[0]
    assert incremental[1] ^ full[1] == set()
    assert CubeMember.objects.count() == Response.objects.included().count()


def test_a_deleted_response_is_subtracted_or_triggers_a_full_rebuild(build):
    kept, forgotten, vanished = build(state="CA"), build(state="TX"), build(state="NY")
    cube.rebuild()
    forgotten.delete()  # the pre_delete signal subtracts its figures
    state = cube.refresh()
    assert state.full_built_at < state.built_at  # no rebuild was needed
    assert state.added == state.removed == 0
    # Deleted in raw SQL, without the signal: the next refresh rebuilds in full.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("surveys_answer", "surveys_taskrating"):
            cursor.execute(f"DELETE FROM {table} WHERE response_id = %s", [vanished.pk])
        cursor.execute("DELETE FROM surveys_response WHERE id = %s", [vanished.pk])
    # A refresh looks only at responses saved lately: the vanished one is not among them.
    state = cube.refresh()
    assert state.full_built_at < state.built_at
    # The next check of every member (at most `reconcile_seconds` later) finds it and
    # rebuilds in full.
    CubeBuild.objects.update(
        scanned_at=timezone.now() - timedelta(seconds=cube.reconcile_seconds() + 1)
    )
    state = cube.refresh()
    assert state.full_built_at == state.built_at
    totals = SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n")
    assert sorted(totals) == [("CA", 1)]
    assert kept.pk in set(CubeMember.objects.values_list("response_id", flat=True))


def test_a_refresh_looks_at_responses_saved_since_the_last_one_and_reconciles_them_all(
    build, settings
):
    """Changes are looked for among the responses saved since the last refresh began (less
    the margin); every `reconcile_seconds` every member is checked, which catches a change
    whose `updated_at` was not saved."""
    settings.INSIGHTS_CUBE_CHANGE_WINDOW = 60
    old, recent = build(state="CA"), build(state="TX")
    state = cube.rebuild()
    assert state.scanned_at == state.changes_from is not None
    long_ago = state.changes_from - timedelta(minutes=5)
    # Excluded behind the application's back: updated_at kept from before the last refresh.
    Response.objects.filter(pk=old.pk).update(is_excluded=True, updated_at=long_ago)
    # Excluded as the application does (updated_at saved).
    recent.is_excluded = True
    recent.save(update_fields=["is_excluded", "updated_at"])
    # New, and saved a minute before the last refresh began: within the margin.
    late = build(state="NY")
    Response.objects.filter(pk=late.pk).update(
        updated_at=state.changes_from - timedelta(seconds=30)
    )
    state = cube.refresh()
    assert (state.added, state.removed) == (1, 1)
    assert state.scanned_at < state.built_at  # only the window was looked at
    totals = dict(SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n"))
    assert totals == {"CA": 1, "NY": 1}
    # The reconciling refresh checks every member.
    CubeBuild.objects.update(
        scanned_at=timezone.now() - timedelta(seconds=cube.reconcile_seconds() + 1)
    )
    state = cube.refresh()
    assert state.removed == 1 and state.scanned_at == state.changes_from
    totals = dict(SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n"))
    assert totals == {"NY": 1}
    assert set(CubeMember.objects.values_list("response_id", flat=True)) == {late.pk}


def test_a_change_behind_the_applications_back_is_reconciled_even_when_nothing_else_changes(
    build,
):
    """An exclusion that does not save updated_at moves no watermark; the beat task's
    refresh_if_stale still checks every member once `reconcile_seconds` have passed."""
    hidden = build(state="TX", days_ago=3)
    kept = build(state="CA")  # saved last: the latest change stays this one
    state = cube.rebuild()
    Response.objects.filter(pk=hidden.pk).update(
        is_excluded=True, updated_at=state.changes_from - timedelta(days=2)
    )
    assert cube.refresh_if_stale() is False  # the watermark did not move
    CubeBuild.objects.update(
        scanned_at=timezone.now() - timedelta(seconds=cube.reconcile_seconds() + 1)
    )
    assert cube.refresh_if_stale() is True
    totals = dict(SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n"))
    assert totals == {"CA": 1}
    assert set(CubeMember.objects.values_list("response_id", flat=True)) == {kept.pk}
    assert cube.refresh_if_stale() is False  # reconciled: nothing due until the next period


def test_a_page_checks_the_latest_change_and_the_beat_task_also_the_count(build, not_eager):
    """With a broker a page compares only the latest change (one index step); the two
    changes that leave it in place are a deletion, whose figures the pre_delete signal has
    already subtracted, and a submission committed after a later-stamped one, which the beat
    task's full watermark (count and latest change) finds."""
    early, latest = build(state="TX"), build(state="CA")
    state = cube.rebuild()
    assert cube.looks_current(state)
    early.delete()
    state = cube.current_build()
    # The count moved, the latest change did not: the page reads the figures, which are
    # already right, and the beat task still refreshes.
    assert state.watermark != cube.watermark() and cube.looks_current(state)
    source = sources.source_for({})
    assert isinstance(source, sources.CubeSource) and source.total() == 1
    with mock.patch.object(sources, "_queue_refresh", side_effect=AssertionError("queued")):
        sources.source_for({})  # current: nothing queued
    assert cube.refresh_if_stale() is True
    # Submitted (stamped) before the latest change the build saw, committed after it.
    late = build(state="NY")
    Response.objects.filter(pk=late.pk).update(
        updated_at=Response.objects.get(pk=latest.pk).updated_at - timedelta(seconds=1)
    )
    state = cube.current_build()
    assert cube.looks_current(state)  # what a page cannot see
    assert cube.refresh_if_stale() is True  # what the beat task finds
    totals = dict(SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n"))
    assert totals == {"CA": 1, "NY": 1}
    # Any later save moves the latest change: the page sees it at once.
    latest.save(update_fields=["updated_at"])
    assert not cube.looks_current(cube.current_build())


def test_the_beat_task_counts_the_responses_once_and_a_change_in_between_is_not_missed(build):
    """refresh_if_stale hands the watermark it compared to the refresh (one count of the
    responses, not two); a response saved between that count and the refresh is counted by
    the refresh, and the older watermark it keeps brings one more refresh, not a miss."""
    build(state="TX")
    cube.rebuild()
    build(state="CA")
    real = cube.watermark
    calls = []
    late = []

    def watermark_then_a_submission():
        calls.append(1)
        mark = real()
        if not late:
            late.append(build(state="NY"))  # saved after the count, before the refresh
        return mark

    with mock.patch.object(cube, "watermark", watermark_then_a_submission):
        assert cube.refresh_if_stale() is True
    assert len(calls) == 1
    totals = dict(SliceCount.objects.filter(dim="state", metric="total").values_list("value", "n"))
    assert totals == {"TX": 1, "CA": 1, "NY": 1}
    assert cube.current_build().watermark != cube.watermark()  # the older count, kept
    assert cube.refresh_if_stale() is True  # one more, which finds nothing new
    assert cube.refresh_if_stale() is False
    assert cube.current_build().watermark == cube.watermark()


def test_postgresql_leaves_room_on_the_figures_pages_for_a_refresh():
    """A refresh adds to existing figures: with 15% of each page free the new row versions
    stay on their page (HOT updates, no index entries): 82% of a refresh's updates at
    1,000,000 responses, against about 25% with full pages (docs/benchmarks.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("fill factors are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN (%s, %s) ORDER BY 1",
            [SliceCount._meta.db_table, SliceTask._meta.db_table],
        )
        options = dict(cursor.fetchall())
    assert options == {
        SliceCount._meta.db_table: ["fillfactor=85"],
        SliceTask._meta.db_table: ["fillfactor=85"],
    }


def test_a_full_build_on_postgresql_marks_no_member_and_counts_its_groups(synthetic):
    """A full build enters its members without a batch and never updates them all afterwards
    (8.5 s and a million dead rows at 1,000,000 responses), and gives the planner the number
    of groups of the choice and number figures' grouping sets (multivariate statistics on
    the facts: the planner expected 10.9 million groups for the choice figures' 0.4 million
    and allocated hash tables to match). A refresh after it still counts a new and an
    excluded response exactly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the grouping-sets build is PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        cube.rebuild()
    statements = [" ".join(q["sql"].split()) for q in queries.captured_queries]
    member = CubeMember._meta.db_table
    assert not [s for s in statements if s.startswith(f'UPDATE "{member}"')]
    assert CubeMember.objects.filter(batch__isnull=False).count() == 0
    assert CubeMember.objects.count() == Response.objects.included().count()
    statistics = [s for s in statements if s.startswith("CREATE STATISTICS")]
    assert len(statistics) == 2 * len(cube._SETS), statistics
    assert {s.split(" ON ")[1].split(" FROM ")[0] for s in statistics} == {
        f"{g}, qid, {value}" for g, _table, _columns in cube._SETS for value in ("ci", "nv")
    }
    first = Response.objects.included().order_by("pk").first()
    first.is_excluded = True
    first.save(update_fields=["is_excluded", "updated_at"])
    call_command("generate_responses", count=5, seed=21, verbosity=0)
    state = cube.refresh()
    assert (state.added, state.removed) == (5, 1)
    incremental = cells()
    cube.rebuild()
    assert cells() == incremental


def test_the_watermark_counts_rows_not_ids(build):
    """The watermark's count and latest change read only status and updated_at, both in the
    (status, updated_at) index, so PostgreSQL can count from the index alone (counting the
    ids made it read the table: 150-230 ms at 1,000,000 against 52-75 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build()
    with CaptureQueriesContext(connection) as queries:
        cube.watermark()
    (query,) = queries.captured_queries
    sql = query["sql"]
    assert "COUNT(*)" in sql, sql
    assert '"surveys_response"."id"' not in sql, sql


def test_the_refresh_task_outlasts_a_full_build():
    """A full build at 1,000,000 took 292-324 s, over the site-wide soft limit (300 s): the
    refresh task has its own, or a build would be stopped and restarted for ever."""
    from django.conf import settings

    from apps.insights import tasks

    assert tasks.cube_refresh.soft_time_limit >= 20 * 60 > settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert tasks.cube_refresh.time_limit > tasks.cube_refresh.soft_time_limit


def test_refresh_only_rebuilds_after_a_change(build):
    response = build()
    assert cube.refresh_if_stale() is True
    assert cube.refresh_if_stale() is False
    response.is_excluded = True
    response.save(update_fields=["is_excluded", "updated_at"])
    assert cube.refresh_if_stale() is True
    assert selectors.overview({})["total"] == 0


def test_with_tasks_eager_a_stale_build_is_not_refreshed_by_the_page(build, exact):
    for _ in range(5):
        build()
    cube.rebuild()
    assert isinstance(sources.source_for({}), sources.CubeSource)
    before = CubeBuild.objects.get(pk=1)
    build()
    # No worker: the page reads the responses (exact) and leaves the build as it was.
    with mock.patch.object(cube, "refresh", side_effect=AssertionError("refresh in a page")):
        assert isinstance(sources.source_for({}), sources.RawSource)
        assert selectors.overview({})["total"] == 6
    after = CubeBuild.objects.get(pk=1)
    assert (after.watermark, after.built_at) == (before.watermark, before.built_at)
    call_command("refresh_dashboard_figures", stdout=StringIO())
    assert isinstance(sources.source_for({}), sources.CubeSource)
    assert selectors.overview({})["total"] == 6


def test_a_dashboard_request_never_builds_the_figures(build, client, not_eager):
    """Neither with tasks eager nor with a broker does a GET refresh or rebuild."""
    from django.urls import reverse

    from apps.accounts.roles import Role
    from tests.factories import make_user

    for _ in range(5):  # K: fewer would stop at the minimum query-set size
        build()
    client.force_login(make_user(Role.REVIEWER, username="no-build-reviewer"))
    with (
        mock.patch.object(cube, "refresh", side_effect=AssertionError("refresh in a page")),
        mock.patch("apps.insights.tasks.cube_refresh.delay") as queued,
    ):
        for name in ("insights:overview", "insights:duties"):
            assert client.get(reverse(name)).status_code == 200
    assert queued.call_count == 1
    assert not CubeBuild.objects.filter(built_at__isnull=False).exists()


@pytest.fixture
def not_eager():
    """Celery as with a broker: tasks are queued, not run in the web process."""
    from ostportal.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = before


def test_with_a_broker_a_stale_build_is_used_for_a_minute_then_not(build, settings, not_eager):
    build()
    cube.rebuild()
    build()
    settings.INSIGHTS_CUBE_MAX_AGE = 60
    with mock.patch("apps.insights.tasks.cube_refresh.delay") as queued:
        source = sources.source_for({})
        # Recent enough: the build is used (one response behind) and a refresh is queued.
        assert isinstance(source, sources.CubeSource)
        assert source.total() == 1
        assert queued.call_count == 1
        CubeBuild.objects.update(built_at=timezone.now() - timedelta(seconds=61))
        source = sources.source_for({})
        # Too old: the page reads the responses, and sees both.
        assert isinstance(source, sources.RawSource)
        assert source.total() == 2
        # The refresh was queued once, not once a page view.
        assert queued.call_count == 1


def test_a_broker_that_is_down_leaves_the_page_working(build, not_eager, exact):
    for _ in range(5):
        build()
    with mock.patch("apps.insights.tasks.cube_refresh.delay", side_effect=OSError("down")):
        assert selectors.overview({})["total"] == 5


@pytest.mark.django_db(transaction=True)
def test_a_refresh_while_another_runs_steps_aside(survey):
    """Two workers refreshing at once: the second does nothing rather than wait or double."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    cube.rebuild()
    holding, release = threading.Event(), threading.Event()

    def hold_lock():
        from django.db import connection as thread_connection

        with transaction.atomic():
            CubeBuild.objects.select_for_update().get(pk=1)
            holding.set()
            release.wait(10)
        thread_connection.close()

    worker = threading.Thread(target=hold_lock)
    worker.start()
    try:
        assert holding.wait(10)
        assert cube.refresh() is None
    finally:
        release.set()
        worker.join()
    assert cube.refresh() is not None


def test_on_postgresql_grouping_sets_give_the_rows_of_the_per_dimension_path(synthetic):
    """The PostgreSQL build (every dimension in one GROUPING SETS pass) writes exactly the
    rows the portable one (a statement per figure and dimension) writes, incrementally too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS is the PostgreSQL path")

    def rows():
        counts = SliceCount.objects.values_list(
            "dim", "metric", "value", "role", "flagged", "key", "item", "n", "total", "ck"
        )
        tasks = SliceTask.objects.values_list(
            *(f.attname for f in SliceTask._meta.concrete_fields if not f.primary_key)
        )
        return sorted(counts, key=repr), sorted(tasks, key=repr)

    def build_both(step, reset=lambda: None):
        step()
        fast = rows()
        reset()
        with mock.patch.object(cube, "_apply_grouping_sets", cube._apply_per_dimension):
            cube.rebuild()
            step()
        return fast, rows()

    fast, portable = build_both(cube.rebuild)
    assert len(fast[0]) > 500 and len(fast[1]) > 100
    assert {row[1] for row in fast[0]} >= {"total", "profile", "choice", "number", "fit"}
    assert fast == portable

    chosen = list(Response.objects.included().order_by("pk")[:3])

    def set_excluded(value):
        for response in chosen:
            response.is_excluded = value
            response.save(update_fields=["is_excluded", "updated_at"])

    def exclude_three_and_refresh():
        set_excluded(True)
        assert cube.refresh().removed == 3

    cube.rebuild()
    fast, portable = build_both(exclude_three_and_refresh, reset=lambda: set_excluded(False))
    assert fast == portable


def test_on_postgresql_codes_stand_for_the_keys_and_codes_of_every_version(synthetic):
    """The PostgreSQL build groups by question and choice ids and by integer codes of the
    slices; answers to two versions' copies of a question (other ids, the same key and
    choice codes), and a choice coded "yes" beside the yes/no answers of the same key, are
    counted under one key and item, as the portable path counts them."""
    from django.db import connection

    from apps.surveys.models import Answer, Choice, Question
    from apps.surveys.versioning import version_copy_as_draft

    if connection.vendor != "postgresql":
        pytest.skip("the codes are the PostgreSQL path")
    old = SurveyVersion.objects.get()
    new = version_copy_as_draft(version=old)
    questions = {q.key: q for q in Question.objects.filter(version=new)}
    choices = {(c.question.key, c.value): c for c in Choice.objects.filter(question__version=new)}
    moved = list(Response.objects.included().order_by("pk").values_list("pk", flat=True)[::2])
    Response.objects.filter(pk__in=moved).update(version=new)
    for answer in Answer.objects.filter(response_id__in=moved).select_related("question", "choice"):
        answer.question = questions[answer.question.key]
        if answer.choice is not None:
            answer.choice = choices[(answer.question.key, answer.choice.value)]
        answer.save(update_fields=["question", "choice"])
    # In the new version a yes/no question became a choice between "yes" and "no".
    yes_no = Question.objects.filter(version=new, type=Question.Type.YES_NO).first()
    assert yes_no is not None
    coded = {
        v: Choice.objects.create(question=yes_no, value=v, order=i)
        for i, v in enumerate(("yes", "no"))
    }
    converted = Answer.objects.filter(question=yes_no, bool_value__isnull=False)
    assert converted.exists()
    for answer in converted:
        answer.choice, answer.bool_value = coded["yes" if answer.bool_value else "no"], None
        answer.save(update_fields=["choice", "bool_value"])

    cube.rebuild()
    fast = every_row()
    assert {r[5] for r in fast[0] if r[1] == "choice"} >= {yes_no.key}
    with mock.patch.object(cube, "_apply_grouping_sets", cube._apply_per_dimension):
        cube.rebuild()
    assert every_row() == fast
    # Each key and item once per slice: the two versions' rows were added together.
    cells = [r[:7] for r in fast[0]]
    assert len(cells) == len(set(cells))


def every_row():
    """Every column of both tables (the record-key sums and float sums too), as a multiset."""
    counts = SliceCount.objects.values_list(
        "dim", "metric", "value", "role", "flagged", "key", "item", "n", "total", "ck"
    )
    task_columns = [f.attname for f in SliceTask._meta.concrete_fields if not f.primary_key]
    tasks = SliceTask.objects.values_list(*task_columns)
    sums = {task_columns.index("imp_sum"), task_columns.index("imp_sq")}
    # A sum over no ratings with an importance is NULL when built at once and 0 after a
    # subtraction: the one difference allowed (a page reads both as no mean).
    tasks = [tuple((v or 0.0) if i in sums else v for i, v in enumerate(t)) for t in tasks]
    return sorted(counts, key=repr), sorted(tasks, key=repr)


CHANGES = ("add", "exclude", "restore", "flag", "move", "delete", "refresh")


@pytest.fixture
def few_responses(survey):
    call_command("generate_responses", count=40, seed=11, verbosity=0)


@hypothesis.settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)
@hypothesis.given(
    changes=st.lists(
        st.tuples(st.sampled_from(CHANGES), st.integers(min_value=0, max_value=10**6)),
        min_size=1,
        max_size=6,
    )
)
def test_random_adds_and_excludes_refreshed_give_exactly_a_fresh_full_build(few_responses, changes):
    """Whatever the order of new, excluded, restored, flagged, moved and deleted responses
    and of the refreshes between them, the incrementally refreshed tables equal, row for row
    and column for column, a full rebuild of the same responses (and on PostgreSQL the
    portable per-dimension build too)."""
    import random

    from django.db import connection

    cube.rebuild()
    for change, seed in changes:
        rng = random.Random(seed)
        included = list(Response.objects.included().order_by("pk").values_list("pk", flat=True))
        chosen = Response.objects.filter(pk__in=rng.sample(included, min(len(included), 3)))
        if change == "add":
            call_command("generate_responses", count=1 + seed % 5, seed=seed, verbosity=0)
        elif change == "exclude":
            for response in chosen:
                response.is_excluded = True
                response.save(update_fields=["is_excluded", "updated_at"])
        elif change == "restore":
            for response in Response.objects.filter(is_excluded=True)[:2]:
                response.is_excluded = False
                response.save(update_fields=["is_excluded", "updated_at"])
        elif change == "flag":
            for response in chosen:
                response.is_too_fast = not response.is_too_fast
                response.save(update_fields=["is_too_fast", "updated_at"])
        elif change == "move":
            for response in chosen:
                response.state = rng.choice(["WY", "VT", "CA"])
                response.save(update_fields=["state", "updated_at"])
        elif change == "delete":
            chosen.first().delete()
        else:
            cube.refresh()
    state = cube.refresh()
    assert state.full_built_at < state.built_at  # incremental: no rebuild was needed
    incremental = every_row()
    cube.rebuild()
    assert every_row() == incremental
    if connection.vendor == "postgresql":
        with mock.patch.object(cube, "_apply_grouping_sets", cube._apply_per_dimension):
            cube.rebuild()
        assert every_row() == incremental
    assert CubeMember.objects.count() == Response.objects.included().count()


def test_a_question_by_role_cross_tab_reads_the_figures_and_equals_the_responses(
    synthetic, settings
):
    """A cross-tab of any question by main role (either way round) is read from the
    pre-aggregated figures when they answer the view: every cell, its record-key sum and
    the protected table equal the same cross-tab counted from the responses."""
    from apps.insights import crosstab as ct

    some = Response.objects.included().exclude(state="").order_by("pk").first()
    cube.rebuild()
    keys = [key for key, _label in ct.axis_choices() if key not in ct.DIMENSIONS]
    types = ct.question_types()
    assert {types[k] for k in keys} >= {"single_choice", "multi_choice", "yes_no"}
    ids = {key: list(Question.objects.filter(key=key).values_list("pk", flat=True)) for key in keys}
    checked = 0
    for params in ({}, {"state": some.state}, {"role": some.role.slug}, {"flagged": "on"}):
        source = sources.source_for(params)
        assert isinstance(source, sources.CubeSource)
        for key in keys:
            if key == ct.CROSSWALK_KEY:
                continue
            question = {key: ids[key]}
            for row_axis, column_axis in (("role", key), (key, "role")):
                from_cube = ct.grid_counts(params, row_axis, column_axis, question, source)
                counted = ct.grid_counts(params, row_axis, column_axis, question)
                assert {c: (int(n), n.key) for c, n in from_cube.items()} == {
                    c: (int(n), n.key) for c, n in counted.items()
                }, (params, row_axis, column_axis)
                checked += sum(int(n) for n in counted.values())
        table = plain(ct.crosstab(params, "role", "full_time"))
        settings.INSIGHTS_CUBE = False
        assert plain(ct.crosstab(params, "role", "full_time")) == table
        settings.INSIGHTS_CUBE = True
    assert checked > 10_000  # real counts were compared
