"""Views combining filter dimensions read the pre-aggregated figures when the build holds the
combination (cube.COMBINATIONS, cube.combination_dim; sources._cube_slice), and give
exactly the numbers computed from the responses. Of the date ranges the build holds a
state's weeks (the pair of the state and the week); every view's range is whole weeks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.insights import cube, sources
from apps.insights.models import SliceCount, SliceTask
from apps.surveys.models import Response, SurveyVersion
from tests.insights.test_cube import (  # noqa: F401 (synthetic: a fixture)
    assert_cube_equals_responses,
    figures,
    synthetic,
    whole_weeks,
)

pytestmark = pytest.mark.django_db


def test_views_on_a_held_pair_read_the_figures_and_equal_the_responses(
    synthetic,  # noqa: F811
    settings,
):
    included = Response.objects.included()
    states = [s for s in included.values_list("state", flat=True) if s]
    state = max(set(states), key=states.count)
    some = included.filter(state=state).order_by("pk").first()
    day = timezone.localtime(some.submitted_at).date()
    cube.rebuild()
    pair = cube.combination_dim(("state", "week"))
    assert SliceCount.objects.filter(dim=pair, value__startswith=f"{state}|").exists()
    assert not SliceCount.objects.filter(dim="day").exists()  # no day figures any more

    combinations = [
        {"state": state, "setting": some.setting},
        {"state": state, "setting": some.setting, "role": some.role.slug},
        {"state": state, "setting": some.setting, "flagged": "on"},
        {"state": state, "date_from": (day - timedelta(days=10)).isoformat()},
        {"state": state, "date_to": day.isoformat()},
        {
            "state": state,
            "date_from": (day - timedelta(days=17)).isoformat(),
            "date_to": (day + timedelta(days=3)).isoformat(),
        },
        {"state": state, "date_from": day.isoformat(), "date_to": day.isoformat()},
        {"state": state, "date_from": (day - timedelta(days=30)).isoformat(), "flagged": "on"},
        {"state": state, "role": some.role.slug, "date_to": day.isoformat()},
    ]
    for params in map(whole_weeks, combinations):
        assert_cube_equals_responses(params, settings)
    assert figures(combinations[0])["overview"]["total"] > 5  # real counts were compared
    assert figures(whole_weeks(combinations[5]))["overview"]["total"] > 5
    # A combination the build does not hold (a date range, a state and a setting; a range
    # that is not whole weeks): the responses.
    version = SurveyVersion.objects.first()
    for params in (
        whole_weeks({"state": state, "setting": some.setting, "date_from": day.isoformat()}),
        whole_weeks({"version": version.pk, "setting": some.setting, "date_to": day.isoformat()}),
        {"state": state, "date_from": (day - timedelta(days=day.weekday() - 1)).isoformat()},
    ):
        assert isinstance(sources.source_for(params), sources.RawSource), params


def test_combination_names_fit_the_dimension_column_and_are_unique():
    width = SliceCount._meta.get_field("dim").max_length
    for first in cube.DIMENSIONS:
        for second in cube.DIMENSIONS:
            assert len(cube.combination_dim((first, second))) <= width
    names = [name for name, _dims in cube.stored_dimensions()]
    assert len(set(names)) == len(names)
    assert max(len(name) for name in names) <= width
    assert SliceTask._meta.get_field("dim").max_length >= width
    for dims in cube.COMBINATIONS:  # in DIMENSIONS order, a date range's week last
        others = [d for d in dims if d != "week"]
        assert list(dims) == sorted(others, key=cube.DIMENSIONS.index) + ["week"] * ("week" in dims)


def test_a_version_filter_is_left_out_only_while_every_response_is_in_that_version(build, settings):
    """The figures hold no combination with the version (cube.COMBINATIONS): a version that
    every counted response is in selects them all, so a view filtering on it and a state and
    a setting is the state-and-setting view; once another version has responses, such a
    view reads the responses."""
    from apps.surveys.versioning import version_copy_as_draft

    moved = build(state="CA", setting="camp")
    for _ in range(6):
        build(state="CA", setting="camp")
    build(state="TX", setting="camp")
    cube.rebuild()
    version = moved.version
    params = {"version": version.pk, "state": "CA", "setting": "camp"}
    assert sources._cube_slice(params) == ("setting", ["camp"], None, [("state", ["CA"])])
    assert_cube_equals_responses(params, settings)
    assert figures(params)["overview"]["total"] >= 5  # not hidden: real figures compared

    other = version_copy_as_draft(version=version)
    Response.objects.filter(pk=moved.pk).update(version=other, updated_at=timezone.now())
    cube.rebuild()
    for params in (
        {"version": version.pk, "state": "CA", "setting": "camp"},
        {"version": other.pk, "state": "CA"},
        {"version": version.pk, "date_from": "2020-01-01"},
    ):
        assert sources._cube_slice(params) is None, params
        assert isinstance(sources.source_for(params), sources.RawSource)
    assert sources._cube_slice({"version": other.pk}) == ("version", [str(other.pk)], None, None)


@pytest.mark.parametrize("start, end", [("2026-11-02", None), (None, "2026-11-15")])
def test_an_open_date_range_within_a_prefix_is_bounded_on_both_sides(start, end):
    """A state's open range ("CA|2026-11-02" and on) was bounded on one side only: at
    1,000,000 responses PostgreSQL read every later state's rows from the index and dropped
    them by the prefix (1.35 s of a 1.4 s page). Both ends now stay within the prefix."""
    where = sources.week_range(start, end, prefix="CA|")
    text = str(where)
    assert "('value__gte', 'CA|" in text and "('value__lte', 'CA|" in text
