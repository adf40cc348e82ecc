"""Django's Redis cache, made to ride out a Redis outage.

The cache only speeds things up (sessions are also in the database) and counts rate limits.
When Redis does not answer, reads miss, writes are dropped and a warning is logged, instead
of every page failing with a server error. Rate limits fail open meanwhile
(RATELIMIT_FAIL_OPEN), so practitioners are not turned away while Redis restarts.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _DOWN:
            logger.warning("Cache unavailable during %s; carrying on without it", name)
            if isinstance(fallback, type) and issubclass(fallback, Exception):
                raise fallback("cache unavailable") from None
            return fallback(args, kwargs) if callable(fallback) else fallback

    return wrapper


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", None)
    # A counter that cannot be read is "missing", as Django's incr says for an absent key.
    incr = _tolerant("incr", ValueError)
    decr = _tolerant("decr", ValueError)
