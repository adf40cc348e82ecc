"""The responses stamp (insights.ResponsesStamp, kept by database triggers, migration 0005):
it goes up whenever the set of complete responses changes, and only then, on SQLite and on
PostgreSQL; the dashboards' freshness check reads it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from apps.insights import cube
from apps.insights.models import ResponsesStamp
from apps.surveys.models import Response
from tests.surveys.helpers import page_url, start

pytestmark = pytest.mark.django_db


def stamp() -> int:
    cube.watermark()  # the row exists (a flushed test database loses it)
    return ResponsesStamp.objects.get(pk=1).value


def test_changes_to_complete_responses_move_the_stamp_and_nothing_else_does(build, survey):
    before = stamp()
    response = build()  # a complete response
    assert stamp() > before
    for change in (
        {"is_excluded": True},
        {"is_excluded": False},
        {"is_too_fast": True},
        {"state": "TX"},
    ):
        before = stamp()
        for field, value in change.items():
            setattr(response, field, value)
        response.save(update_fields=[*change, "updated_at"])
        assert stamp() == before + 1, change
    # A bulk update of complete responses behind the models' back moves it too.
    before = stamp()
    Response.objects.filter(pk=response.pk).update(setting="ymca")
    assert stamp() > before
    # Deleting a complete response moves it.
    before = stamp()
    response.delete()
    assert stamp() > before


def test_saving_pages_of_a_response_in_progress_leaves_the_stamp(survey):
    client = Client()
    before = stamp()
    response = start(client, survey)
    from apps.surveys.sample import sample_page_data
    from apps.surveys.selectors import version_structure

    structure = version_structure(response.version)
    for key in ("eligibility", "role"):
        reply = client.post(page_url(response, key), sample_page_data(structure.page(key), {}))
        assert reply.status_code == 302
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS
    assert stamp() == before
    Response.objects.filter(pk=response.pk).delete()  # an unfinished response deleted
    assert stamp() == before


def test_generated_responses_move_the_stamp_once_per_statement_on_postgresql(survey):
    before = stamp()
    call_command("generate_responses", count=30, seed=3, verbosity=0)
    moved = stamp() - before
    assert moved >= 1
    if connection.vendor == "postgresql":
        # Statement triggers on insert: a batch of complete responses is one step, not 30.
        assert moved < 30


def test_the_freshness_check_follows_the_stamp(build):
    build()
    cube.rebuild()
    assert cube.refresh_if_stale() is False
    ResponsesStamp.objects.filter(pk=1).update(value=10**6)
    assert cube.refresh_if_stale() is True
    assert cube.refresh_if_stale() is False


def test_the_freshness_check_reads_one_row(build, django_assert_num_queries):
    build()
    cube.watermark()
    with django_assert_num_queries(1):
        cube.watermark()
