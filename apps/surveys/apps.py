from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    verbose_name = _("Practitioner survey")

    def ready(self) -> None:
        # Registers this app's Celery tasks under their names: services queue them by name
        # (apps.core.jobs.enqueue_task) instead of importing the tasks module back.
        from . import (
            signals,  # noqa: F401  (structure cache invalidation)
            tasks,  # noqa: F401
        )
