from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "apps.partners"
    verbose_name = _("Partners and public results")

    def ready(self) -> None:
        # Registers this app's Celery tasks under their names: services queue them by name
        # (apps.core.jobs.enqueue_task) instead of importing the tasks module back.
        from . import tasks  # noqa: F401
