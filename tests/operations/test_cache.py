import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from apps.operations.cache import ResilientRedisCache

# Nothing listens on port 1: every command fails at once with a connection error.
DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture
def down_cache():
    return ResilientRedisCache(DOWN, {"OPTIONS": {"socket_connect_timeout": 1}})


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(down_cache):
    assert down_cache.get("k") is None
    assert down_cache.get("k", "fallback") == "fallback"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.add("k", 1) is False
    down_cache.set("k", 1)
    down_cache.delete("k")
    with pytest.raises(ValueError):
        down_cache.incr("k")


def test_rate_limits_let_requests_through_while_the_cache_is_down(
    settings, down_cache, monkeypatch
):
    settings.RATELIMIT_FAIL_OPEN = True
    import django_ratelimit.core as core

    monkeypatch.setattr(core, "caches", {"default": down_cache})
    request = RequestFactory().post("/survey/x/")
    assert not is_ratelimited(
        request, group="t", key="ip", rate="1/h", method="POST", increment=True
    )


def test_a_working_redis_cache_behaves_as_usual():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/11"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = ResilientRedisCache(url, {"KEY_PREFIX": "ops-test"})
    try:
        cache.set("k", 41)
        assert cache.incr("k") == 42
        assert cache.get("k") == 42
    finally:
        cache.delete("k")
