"""Queue a job after commit; a broker that is down never fails the request nor loses the job.

`enqueue()` sends the job when the surrounding transaction commits (transaction.on_commit).
If the broker cannot be reached, the job stays pending with the type's "queue down" message
(the job page shows it) and the sweep sends it again a minute later. Without a broker
(CELERY_TASK_ALWAYS_EAGER, the embedded default) the job runs at once in this process.

Plain outbox tasks (an email row that a periodic sweep also finds) are queued the same way by
their registered name: `enqueue_task()` after commit, `call_task()` now. A service never
imports its own app's `tasks` module (the tasks module imports the services it runs, and
import-linter counts imports inside functions too); `task_named()` finds the task the way a
worker does. A task is registered when its module is imported: by Celery's autodiscovery in a
worker, and by the app's AppConfig.ready in the web process.
"""

import logging
from functools import partial

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from .registry import job_type
from .runner import english, run

logger = logging.getLogger(__name__)

try:  # redis-py raises its own errors when the broker is Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _REDIS_ERRORS: tuple = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    _REDIS_ERRORS = ()

BROKER_DOWN = (KombuOperationalError, ConnectionError, TimeoutError, OSError, *_REDIS_ERRORS)


def enqueue(name: str, job_id: int) -> None:
    """Send the job once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(send, name, job_id), robust=True)


@shared_task(
    name="apps.core.jobs.tasks.job_run",
    # InterfaceError: the connection was cut mid-task (PostgreSQL restarted).
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
)
def job_run(name: str, job_id: int) -> str:
    """Run one attempt of a job (safe to run twice: the job is claimed first)."""
    outcome = run(name, job_id)
    if outcome == "continued":  # the attempt used its time budget: a fresh task goes on
        send(name, job_id)
    return outcome


def _eager() -> bool:
    return bool(job_run.app.conf.task_always_eager)


def send(name: str, job_id: int) -> bool:
    """Hand the job to a worker now. False when the broker is down: the job stays pending,
    says so, and the sweep sends it later."""
    jt = job_type(name)
    if _eager():
        try:
            while run(name, job_id) == "continued":
                pass
        except Exception:  # noqa: BLE001  (never fail the request; the sweep retries)
            logger.warning("Job %s %s could not run now; the sweep retries it", name, job_id)
        return True
    try:
        job_run.apply_async(
            kwargs={"name": name, "job_id": job_id},
            soft_time_limit=jt.time_limit,
            time_limit=jt.time_limit + 60,
        )
    except BROKER_DOWN:
        logger.warning("Could not queue job %s %s (broker down)", name, job_id, exc_info=True)
    except Exception:  # noqa: BLE001  (whatever else: keep the job, never fail the request)
        logger.exception("Could not queue job %s %s", name, job_id)
    else:
        return True
    jt.model.objects.filter(pk=job_id, status=jt.model.Status.PENDING).update(
        error_message=english(jt.queue_down_message), updated_at=timezone.now()
    )
    return False


def task_named(name: str):
    """The registered task called `name` (its dotted path, e.g. "apps.pages.tasks.x").

    Raises KeyError for a name no loaded tasks module registered, so a typo fails at once
    (and in the tests) rather than losing the work."""
    return job_run.app.tasks[name]


def call_task(task_name: str, **kwargs) -> bool:
    """Send a Celery task that is not a job type by its registered name (an outbox row's send,
    whose row a sweep also finds). False, logged, when the broker is down: never raises (the
    row stays waiting and its sweep sends it). In eager mode the task runs at once; an error
    there is logged too (the task's row says what is left to do)."""
    try:
        task_named(task_name).delay(**kwargs)
    except BROKER_DOWN:
        logger.warning("Could not queue %s %s (broker down)", task_name, kwargs)
    except Exception:  # noqa: BLE001  (an eager run failed, or anything else: the sweep retries)
        logger.warning("Could not queue or run %s %s", task_name, kwargs, exc_info=True)
    else:
        return True
    return False


def enqueue_task(task_name: str, **kwargs) -> None:
    """`call_task` once the current transaction commits (at once outside a transaction): the
    one "queue after commit" of every outbox row. The name is looked up now, so a name no
    tasks module registered raises here (KeyError) instead of losing the work later."""
    task_named(task_name)
    transaction.on_commit(partial(call_task, task_name, **kwargs), robust=True)
