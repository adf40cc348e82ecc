"""The `collectors` filter (a set of partner links) that partners' figures are scoped by."""

import pytest

from apps.insights import selectors
from apps.insights.sources import CubeSource, RawSource, source_for
from apps.surveys.models import Collector

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(survey, build):
    made = []
    for i, count in enumerate((6, 3, 8)):
        collector = Collector.objects.create(
            survey=survey, slug=f"l{i}", name=f"Link {i}", channel=Collector.Channel.EMAIL
        )
        for _j in range(count):
            response = build(state=("CA", "TX", "NV")[i])
            response.collector = collector
            response.save(update_fields=["collector"])
        made.append(collector)
    build(state="WA")  # no link
    return made


def test_a_set_of_links_counts_only_their_responses_in_both_sources(links, settings):
    from apps.insights import cube as figures

    params = {"collectors": [links[0].pk, links[1].pk]}
    settings.INSIGHTS_CUBE = True
    figures.rebuild()  # as the worker would: pages never build the figures
    cube = source_for(params)
    settings.INSIGHTS_CUBE = False
    raw = source_for(params)
    assert isinstance(cube, CubeSource) and isinstance(raw, RawSource)
    for source in (cube, raw):
        assert source.total() == 9
        assert dict(source.profile("state")) == {"CA": 6, "TX": 3}


def test_an_empty_set_of_links_counts_nothing_never_everything(links, settings, exact):
    for cube in (True, False):
        settings.INSIGHTS_CUBE = cube
        assert source_for({"collectors": []}).total() == 0
        assert selectors.overview({"collectors": []})["total"] == 0


def test_the_set_combines_with_other_filters(links, exact):
    data = selectors.overview({"collectors": [links[0].pk, links[2].pk], "state": "NV"})
    assert data["total"] == 8


def test_link_counts_are_suppressed_as_one_table(links, exact):
    table = selectors.link_counts({"collectors": [link.pk for link in links]})
    rows = {row.key: row for row in table.rows}
    assert table.total == 17
    assert rows[str(links[1].pk)].hidden  # 3 < k
    assert rows[str(links[0].pk)].hidden  # the next smallest, complementary
    assert not rows[str(links[2].pk)].hidden and rows[str(links[2].pk)].n == 8
