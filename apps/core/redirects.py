"""Where a `next` value may send a visitor after a form."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(target, request: HttpRequest) -> bool:
    """A path on this site ("/staff/insights/"): not another host, not a relative or bare
    value such as "238852" (which redirect() would try to reverse as a view name)."""
    return (
        isinstance(target, str)
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
