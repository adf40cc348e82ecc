"""A `settings` fixture like pytest-django's, for test files that `make mutation` runs
without pytest plugins or conftest (ops/mutation.py): assigning an attribute overrides that
setting until the test ends. Import it into the test module: `from .plain_settings import
settings_fixture` (registered as `settings`). Under pytest-django the module's fixture takes
the place of the plugin's."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings


class _Settings:
    def __init__(self):
        object.__setattr__(self, "_overrides", [])

    def __getattr__(self, name):
        return getattr(django_settings, name)

    def __setattr__(self, name, value):
        override = override_settings(**{name: value})
        override.enable()
        self._overrides.append(override)

    def __delattr__(self, name):
        override = override_settings()
        override.enable()
        delattr(django_settings, name)
        self._overrides.append(override)

    def restore(self):
        while self._overrides:
            self._overrides.pop().disable()


@pytest.fixture(name="settings")
def settings_fixture():
    assert django_settings.SECRET_KEY  # load the settings before overriding them
    wrapper = _Settings()
    yield wrapper
    wrapper.restore()
