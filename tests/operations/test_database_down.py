import sys
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from apps.core.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_url(seeded, client):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey

    seed_survey()
    start = client.post(Survey.objects.get(slug="ost-roles-duties").get_absolute_url())
    assert start.status_code == 302
    return start.url


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_survey_save_while_the_database_is_down_gets_the_try_again_page(
    client, survey_url, error
):
    with mock.patch(
        "apps.surveys.views.response_page_state", side_effect=error("server closed the connection")
    ):
        response = client.post(survey_url, {"action": "next", "consent": "yes"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Please try again in a minute" in html
    assert "kept in this browser" in html
    assert f'href="{survey_url}"' in html
    assert "server closed the connection" not in html


def test_the_try_again_page_speaks_spanish(spanish_client, survey_url, settings):
    settings.DATABASE_DOWN_RETRY_AFTER = 30
    with mock.patch("apps.surveys.views.response_page_state", side_effect=OperationalError("x")):
        response = spanish_client.get(survey_url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert 'lang="es"' in html
    assert "Inténtelo de nuevo en un minuto" in html


def test_other_errors_still_give_the_500_page(client, survey_url):
    client.raise_request_exception = False
    with mock.patch("apps.surveys.views.response_page_state", side_effect=ValueError("bug")):
        response = client.get(survey_url)
    assert response.status_code == 500


def test_a_database_error_outside_any_view_also_gets_the_503_page():
    request = RequestFactory().get("/survey/")
    try:
        raise OperationalError("could not connect")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_the_try_again_page_is_made_without_the_database(django_assert_num_queries):
    from apps.operations.middleware import database_unavailable_response

    request = RequestFactory().post("/survey/r/x/page/role/")
    with django_assert_num_queries(0):
        response = database_unavailable_response(request)
    assert response.status_code == 503
    assert 'href="/survey/r/x/page/role/"' in response.content.decode()
