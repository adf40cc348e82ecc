import pytest

from apps.accounts.roles import Role
from apps.pages.seeding import seed_content

from .factories import make_user


@pytest.fixture
def seeded(db):
    """The seeded public content, as `make run` loads it."""
    seed_content()


@pytest.fixture
def reviewer(db):
    return make_user(Role.REVIEWER)


@pytest.fixture
def editor(db):
    return make_user(Role.EDITOR)


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def no_role_user(db):
    return make_user()


@pytest.fixture
def spanish_client():
    """A separate client whose visitor chose Spanish."""
    from django.test import Client

    client = Client()
    client.cookies["django_language"] = "es"
    return client


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login` skips the sign-in form, so it skips the code step too: mark the
    session as confirmed by the user's device, as a real two-factor sign-in would."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lockouts live in the cache; each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request made with a Spanish cookie leaves
    Spanish active in the thread (LocaleMiddleware activates, nothing deactivates), and a
    later test without a request of its own then read the Spanish texts."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _use_broker(url: str) -> None:
    from ostportal.celery_app import app as celery_app

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    celery_app._pool = None  # the producer pool was built for the previous broker URL
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def real_broker():
    """Celery with the real broker of CI's second pass (CELERY_BROKER_URL); skipped without."""
    import os

    from ostportal.celery_app import app as celery_app

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url or url.startswith("memory"):
        pytest.skip("needs CELERY_BROKER_URL pointing at a real broker (CI's second pass)")
    before = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    _use_broker(url)
    yield celery_app
    _use_broker(before[1])
    celery_app.conf.task_always_eager = before[0]


@pytest.fixture
def dead_broker(monkeypatch):
    """Celery with a broker that refuses connections at once (the discard port). Celery
    prefers the CELERY_BROKER_URL environment variable (CI's second pass) to its settings."""
    from ostportal.celery_app import app as celery_app

    before = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    _use_broker("redis://127.0.0.1:9/0")
    yield
    _use_broker(before[1])
    celery_app.conf.task_always_eager = before[0]
