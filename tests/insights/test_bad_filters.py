"""Filters with unknown or impossible values, empty groups and a version with no responses:
every dashboard page and its CSV answer with a clear message, never a server error."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.surveys.versioning import version_copy_as_draft, version_publish
from tests.factories import make_user

from .test_views import URLS

pytestmark = pytest.mark.django_db

BAD = [
    {"version": "999999"},
    {"version": "abc"},
    {"collector": "-1"},
    {"role": "no-such-role"},
    {"state": "ZZ"},
    {"setting": "x" * 500},
    {"date_from": "2026-13-45"},
    {"date_from": "9999-12-31"},
    {"date_to": "0001-01-01"},
    {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    {"date_from": "2026-05-02", "date_to": "2026-05-01"},
    {"flagged": "maybe"},
    {"sort": "nonsense", "page": "-3", "question": "zzz"},
]


@pytest.mark.parametrize("name", URLS)
def test_bad_filters_get_a_page_not_a_server_error(client, build, name):
    build()
    client.force_login(make_user(Role.REVIEWER))
    for query in BAD:
        reply = client.get(reverse(name), query)
        assert reply.status_code == 200, query
        if name != "insights:open_answers":
            # A filter the page says was not applied refuses the download with the same
            # notice (a file cannot show it); any other bad value gives the file.
            not_applied = "was not applied" in reply.content.decode()
            csv_reply = client.get(reverse(name), {**query, "format": "csv"})
            if not_applied:
                assert csv_reply.status_code == 400, query
                assert "was not applied" in csv_reply.content.decode(), query
            else:
                assert csv_reply.status_code == 200, query


def test_a_filter_that_was_not_applied_is_named_with_the_reason(client, build):
    build()
    client.force_login(make_user(Role.REVIEWER))
    page = client.get(reverse("insights:overview"), {"version": "999999"}).content.decode()
    assert "The filter “Survey version” was not applied" in page
    page = client.get(reverse("insights:duties"), {"date_from": "9999-12-31"}).content.decode()
    assert "The filter “Submitted from” was not applied: Enter a date between 2000 and 2100." in (
        page
    )
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        page = client.get(reverse("insights:workforce"), {"role": "nope"}).content.decode()
    assert "no se aplicó" in page


def test_a_date_that_is_not_a_date_is_not_echoed_into_the_date_picker(client, build):
    """<input type="date" value="bad"> is invalid HTML (the Nu checker flags it) and a
    browser shows it empty anyway: the picker is left empty, the refusal says why."""
    import re

    build()
    client.force_login(make_user(Role.REVIEWER))
    query = {"date_from": "bad", "date_to": "2026-13-45"}
    page = client.get(reverse("insights:overview"), query).content.decode()
    pickers = re.findall(r'<input[^>]*name="date_(?:from|to)"[^>]*>', page)
    assert len(pickers) == 2
    for picker in pickers:
        assert 'type="date"' in picker and "value=" not in picker, picker
    assert "was not applied" in page
    good = client.get(reverse("insights:overview"), {"date_from": "2026-11-04"}).content.decode()
    assert re.search(r'<input[^>]*name="date_from"[^>]*value="2026-11-04"', page + good)


def test_empty_groups_and_a_version_without_responses_say_so(client, build, survey):
    build(state="CA")
    client.force_login(make_user(Role.REVIEWER))
    page = client.get(reverse("insights:crosswalk"), {"state": "WY"}).content.decode()
    assert "No complete responses match these filters." in page
    version = version_publish(version=version_copy_as_draft(version=survey.versions.get()))
    for name in URLS:
        page = client.get(reverse(name), {"version": version.pk}).content.decode()
        assert f"Survey version {version.number} has no complete responses yet" in page, name
