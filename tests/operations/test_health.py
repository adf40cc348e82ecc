import json

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

SECRET_LOOKING = ("10.0.0.5", "hunter2", "db.internal", "127.0.0.1:1")


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readiness_ok_when_database_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
        "warnings": [],
    }


def test_readiness_503_when_the_database_fails_and_names_no_secret(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError('could not connect to "db.internal" (10.0.0.5) password hunter2')

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "broker": "ok"}
    body = response.content.decode()
    for secret in SECRET_LOOKING:
        assert secret not in body


def test_readiness_503_when_the_broker_cannot_be_reached(client, settings, monkeypatch):
    # Nothing listens on port 1: the connection is refused at once. Celery prefers the
    # CELERY_BROKER_URL environment variable (set in CI's second pass) to its configuration.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from ostportal.celery_app import app

    monkey_url = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("CELERY_BROKER_URL", monkey_url)
    original = app.conf.broker_url
    app.conf.broker_url = monkey_url
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "ok", "broker": "unavailable"}
    assert "127.0.0.1" not in response.content.decode()
