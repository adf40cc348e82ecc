"""What the staff landing page (apps.accounts.views.staff_home) shows from other apps.

Every app imports accounts' roles, so accounts sits low in the layers and cannot import the
apps whose state its landing page reports. Those apps register a context provider here instead
(in their AppConfig.ready), as pages does for contact messages that would go to no one.
"""

from collections.abc import Callable

from django.http import HttpRequest

StaffHomeContext = Callable[[HttpRequest], dict]

_PROVIDERS: dict[str, StaffHomeContext] = {}


def register_staff_home_context(provider: StaffHomeContext) -> StaffHomeContext:
    """Decorator or call: add `provider(request) -> dict` to the landing page's context
    (registering the same function again replaces it)."""
    _PROVIDERS[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def staff_home_context(request: HttpRequest) -> dict:
    context: dict = {}
    for _name, provider in sorted(_PROVIDERS.items()):
        context.update(provider(request))
    return context
