"""How many tasks wait in the Celery queue (Redis broker), read without a worker."""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps one list per priority step next to the plain queue name.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def queue_names() -> list[str]:
    return [getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")]


def queue_depth() -> dict:
    """{"mode": "eager"} without a broker; {"mode": "redis", "waiting": n, "unacked": m};
    {"mode": "unknown"} for other brokers; {"mode": "unreachable"} when Redis does not answer."""
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url:
        return {"mode": "eager"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return {"mode": "unknown"}
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        waiting = 0
        for name in queue_names():
            keys = [name] + [f"{name}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS]
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.llen(key)
                waiting += sum(pipe.execute())
        unacked = client.hlen("unacked")
    except redis.RedisError:
        logger.warning("Status page: the broker did not answer", exc_info=True)
        return {"mode": "unreachable"}
    finally:
        client.close()
    return {"mode": "redis", "waiting": waiting, "unacked": unacked}
