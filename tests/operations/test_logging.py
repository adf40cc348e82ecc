import io
import json
import logging

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.test import RequestFactory

from apps.operations.logformat import JsonFormatter
from apps.operations.requestid import RequestIdFilter, RequestIdMiddleware, current_request_id


@pytest.fixture
def json_log():
    """A logger writing JSON lines through the same filter and formatter as LOGGING."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.operations.jsonlog")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def _lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_gets_an_id_that_is_logged_and_sent_back(json_log):
    logger, stream = json_log

    def view(request):
        logger.info("saving page")
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/survey/"))
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = _lines(stream)
    assert line["request_id"] == request_id
    assert line["message"] == "saving page"
    assert line["level"] == "INFO"
    assert line["name"] == "tests.operations.jsonlog"
    assert "time" in line
    # Outside the request the id is gone again.
    assert current_request_id() == ""


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(json_log):
    logger, stream = json_log

    def view(request):
        logger.warning("hello")
        return HttpResponse("ok")

    middleware = RequestIdMiddleware(view)
    kept = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-1234abcd"))
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    bad = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="x\nInjected: yes"))
    assert bad["X-Request-ID"] != "x\nInjected: yes"
    assert "\n" not in bad["X-Request-ID"]
    ids = [line["request_id"] for line in _lines(stream)]
    assert ids == ["proxy-1234abcd", bad["X-Request-ID"]]


def test_every_response_of_the_site_carries_a_request_id(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"


_logged: dict = {}


@shared_task
def _log_inside_a_task() -> None:
    logger = logging.getLogger("tests.operations.jsonlog")
    logger.info("task running")


def test_lines_written_by_a_celery_task_carry_its_task_id(json_log):
    _logger, stream = json_log
    result = _log_inside_a_task.apply()
    (line,) = _lines(stream)
    assert line["task_id"] == result.id
    assert "request_id" not in line


def test_the_configured_handler_uses_the_json_formatter_and_the_id_filter(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert console["formatter"] == "json"
    assert console["filters"] == ["request_id"]
