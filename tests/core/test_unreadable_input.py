"""NUL bytes, text that is not UTF-8 and over-long values get a 400 page or a field error in
the visitor's language, never a server error."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db

READABLE = "We could not understand that request"
WHY = "characters we cannot read"


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "%00=1", "q=%ff", "q=caf%e9", "lang=%c3"])
def test_a_query_string_with_nul_or_broken_utf8_gets_the_400_page(client, seeded, query):
    reply = client.get(f"/?{query}")
    assert reply.status_code == 400
    html = reply.content.decode()
    assert READABLE in html and WHY in html


def test_the_400_page_speaks_the_visitors_language(spanish_client, seeded):
    reply = spanish_client.get("/?q=%00")
    assert reply.status_code == 400
    assert "caracteres que no podemos leer" in reply.content.decode()


def test_the_400_page_follows_lang_in_the_address(client, seeded):
    """A partner's link with ?lang=es: even the refusal of unreadable characters is Spanish
    (the language was picked after the refusal)."""
    reply = client.get("/contact/?x=%ff%fe&lang=es")
    assert reply.status_code == 400
    assert "caracteres que no podemos leer" in reply.content.decode()


def test_readable_unicode_and_plus_signs_pass(client, seeded):
    assert client.get("/?q=caf%C3%A9+%F0%9F%98%80&x=a+b").status_code == 200


@pytest.mark.parametrize(
    "url", ["/staff/insights/open-answers/?q=%00", "/staff/coding/?q=%00", "/staff/coding/?q=%fe"]
)
def test_the_open_answer_and_coding_searches_refuse_a_nul_byte(client, url):
    client.force_login(make_user(Role.REVIEWER))
    assert client.get(url).status_code == 400


def test_a_url_encoded_form_with_a_nul_byte_gets_the_400_page(client, seeded):
    reply = client.post(
        reverse("pages:contact"),
        "name=A&email=a%40example.org&message=hi%00there",
        content_type="application/x-www-form-urlencoded",
    )
    assert reply.status_code == 400
    assert WHY in reply.content.decode()


def test_a_url_encoded_form_with_bytes_that_are_not_utf8_gets_the_400_page(client, seeded):
    reply = client.post(
        reverse("accounts:login"),
        b"username=%ff%fe&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert reply.status_code == 400


def test_a_multipart_form_with_a_nul_byte_gets_the_400_page(client, seeded):
    reply = client.post(reverse("accounts:login"), {"username": "a\x00b", "password": "x"})
    assert reply.status_code == 400
    assert WHY in reply.content.decode()


def test_a_username_longer_than_the_account_field_is_a_form_error(client, seeded):
    from axes.models import AccessAttempt

    reply = client.post(reverse("accounts:login"), {"username": "u" * 256, "password": "x"})
    assert reply.status_code == 200
    assert "Ensure this value has at most 150 characters" in reply.content.decode()
    assert not AccessAttempt.objects.exists()  # never reached the failed-login record


def test_a_long_username_error_is_in_spanish_for_a_spanish_visitor(spanish_client, seeded):
    reply = spanish_client.post(reverse("accounts:login"), {"username": "u" * 256, "password": "x"})
    assert reply.status_code == 200
    assert "150 caracteres" in reply.content.decode()


def test_an_admin_list_filter_the_database_cannot_hold_is_a_bad_filter_not_a_500(client):
    """Found by tests/test_fuzz_inputs.py: a 40-digit id in a list filter overflowed SQLite
    (500). SQLite now gets the admin's "bad filter" redirect; PostgreSQL lists no rows."""
    from django.conf import settings
    from django.db import connection

    client.force_login(make_user(Role.ADMINISTRATOR))
    reply = client.get(f"/{settings.ADMIN_URL}surveys/question/?page={'9' * 40}")
    if connection.vendor == "sqlite":
        assert reply.status_code == 302
        assert reply.url.endswith("?e=1")
    else:
        assert reply.status_code == 200
