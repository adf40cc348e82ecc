"""The survey's two hashes, in a module of their own so selectors and services (and other
apps' deleters) share them without importing each other."""

import hashlib
import hmac

from django.conf import settings


def digest(value: str) -> str:
    """Keyed SHA-256, so stored digests cannot be reversed by guessing common inputs."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
