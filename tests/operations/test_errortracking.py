from unittest import mock

from apps.operations.errortracking import init_error_tracking


def test_nothing_is_started_without_a_dsn(settings):
    settings.SENTRY_DSN = None
    with mock.patch("sentry_sdk.init") as init:
        assert init_error_tracking() is False
    init.assert_not_called()


def test_with_a_dsn_the_client_starts_without_personal_data(settings):
    settings.SENTRY_DSN = "https://public@errors.example.org/1"
    settings.SENTRY_ENVIRONMENT = "staging"
    with mock.patch("sentry_sdk.init") as init:
        assert init_error_tracking() is True
    kwargs = init.call_args.kwargs
    assert kwargs["dsn"] == "https://public@errors.example.org/1"
    assert kwargs["environment"] == "staging"
    assert kwargs["send_default_pii"] is False
    assert kwargs["max_request_body_size"] == "never"
    assert kwargs["include_local_variables"] is False
    names = {type(i).__name__ for i in kwargs["integrations"]}
    assert {"DjangoIntegration", "CeleryIntegration"} <= names
