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
