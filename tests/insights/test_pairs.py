"""Views combining two filter dimensions read the pre-aggregated figures when the build holds
that pair (apps/insights/sources.py: pair_dim, held_pairs), and give exactly the numbers
computed from the responses. The pair rows here are the build's own rows of one state's
responses, stored under the pair's name: what a build holding the pair writes."""

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
)

pytestmark = pytest.mark.django_db

PAIRS = {("state", "setting"), ("state", "day"), ("state", "week")}


def _rows(model, dims):
    fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
    fields = [f"{f}_id" if f == "task" else f for f in fields]
    return list(model.objects.filter(dim__in=dims).values(*fields))


def _store_as_pair(rows_by_model, fixed: str, value: str) -> None:
    for model, rows in rows_by_model.items():
        model.objects.bulk_create(
            model(
                **{
                    **row,
                    "dim": sources.pair_dim(fixed, row["dim"]),
                    "value": f"{value}{sources.PAIR_SEPARATOR}{row['value']}",
                }
            )
            for row in rows
        )


def test_views_on_a_held_pair_read_the_figures_and_equal_the_responses(
    synthetic,  # noqa: F811
    settings,
    monkeypatch,
):
    included = Response.objects.included()
    states = [s for s in included.values_list("state", flat=True) if s]
    state = max(set(states), key=states.count)
    some = included.filter(state=state).order_by("pk").first()
    day = timezone.localtime(some.submitted_at).date()
    # The build's rows of this state's responses alone.
    others = list(included.exclude(state=state).values_list("pk", flat=True))
    Response.objects.filter(pk__in=others).update(is_excluded=True)
    cube.rebuild()
    dims = ["setting", "day", "week"]
    rows = {SliceCount: _rows(SliceCount, dims), SliceTask: _rows(SliceTask, dims)}
    Response.objects.filter(pk__in=others).update(is_excluded=False)
    cube.rebuild()
    _store_as_pair(rows, "state", state)
    monkeypatch.setattr(cube, "PAIRS", PAIRS, raising=False)

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
    for params in combinations:
        assert_cube_equals_responses(params, settings)
    assert figures(combinations[0])["overview"]["total"] > 5  # real counts were compared
    # A pair the build does not hold, three dimensions: the responses.
    version = SurveyVersion.objects.first()
    for params in (
        {"state": state, "version": version.pk},
        {"state": state, "setting": some.setting, "date_from": day.isoformat()},
    ):
        assert isinstance(sources.source_for(params), sources.RawSource), params


def test_pair_names_fit_the_dimension_column():
    width = SliceCount._meta.get_field("dim").max_length
    for first in cube.DIMENSIONS:
        for second in cube.DIMENSIONS:
            assert len(sources.pair_dim(first, second)) <= width
    assert SliceTask._meta.get_field("dim").max_length >= width
