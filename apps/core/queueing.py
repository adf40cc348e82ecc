"""Find a Celery task by its registered name, so that a service never imports its own app's
`tasks` module: the tasks module imports the services it runs, and importing it back would
make an import cycle (import-linter counts imports inside functions too).

A task is registered when its module is imported: by Celery's autodiscovery in a worker, and
by the app's AppConfig.ready in the web process (surveys, pages and partners do so). What
goes through the broker is the task's name anyway; this is the same lookup a worker makes.
"""

from celery import current_app


def task_named(name: str):
    """The registered task called `name` (its dotted path, e.g. "apps.pages.tasks.x").

    Raises KeyError for a name no loaded tasks module registered, so a typo fails at once
    (and in the tests) rather than losing the work."""
    return current_app.tasks[name]
