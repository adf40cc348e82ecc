"""Error reports to Sentry (or any Sentry-compatible service) when SENTRY_DSN is set.

Without the variable nothing is initialised and nothing leaves the server. Reports carry no
personal data: no user, address, cookies, request bodies (survey answers, emails) or local
variables.
"""

from django.conf import settings


def init_error_tracking() -> bool:
    """Start the Sentry client from settings; returns whether it was started."""
    dsn = getattr(settings, "SENTRY_DSN", None)
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=getattr(settings, "SENTRY_ENVIRONMENT", "production"),
        release=getattr(settings, "SENTRY_RELEASE", None),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=getattr(settings, "SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )
    return True
