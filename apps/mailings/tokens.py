"""Signed links for subscribers: confirm (short-lived) and manage/unsubscribe (long-lived).

A link carries the subscriber's id and private random key, signed with SECRET_KEY and a salt
of its own (a confirm link cannot be used to unsubscribe, nor the reverse) and time-stamped
so it expires. Changing the subscriber's key voids every link sent before.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import Subscriber

CONFIRM = "mailings.confirm"
MANAGE = "mailings.manage"
# Confirms a pledge to comment (apps.comments) and, with it, the address: the same double
# opt-in as the updates list, with a salt of its own.
PLEDGE = "mailings.pledge"
_MAX_TOKEN_LENGTH = 300


@dataclass(frozen=True)
class TokenResult:
    subscriber: Subscriber | None
    # "ok", "expired" or "invalid"
    problem: str = "ok"


def make_token(subscriber: Subscriber, purpose: str) -> str:
    """A signed, time-stamped token for `purpose` (CONFIRM or MANAGE)."""
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key}, salt=purpose, compress=False)


def _max_age(purpose: str) -> int:
    short = purpose in (CONFIRM, PLEDGE)
    days = settings.MAILINGS_CONFIRM_DAYS if short else settings.MAILINGS_LINK_DAYS
    return days * 24 * 60 * 60


def read_token(token: str, purpose: str) -> TokenResult:
    """The subscriber a token names, or why it cannot be used (expired, or invalid: tampered,
    wrong purpose, unknown or voided subscriber)."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return TokenResult(None, "invalid")
    try:
        data = signing.loads(token, salt=purpose, max_age=_max_age(purpose))
    except signing.SignatureExpired:
        return TokenResult(None, "expired")
    except signing.BadSignature:
        return TokenResult(None, "invalid")
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return TokenResult(None, "invalid")
    subscriber = Subscriber.objects.filter(pk=data["s"]).first()
    if subscriber is None or not constant_time_compare(str(data.get("k", "")), subscriber.key):
        return TokenResult(None, "invalid")
    return TokenResult(subscriber)
