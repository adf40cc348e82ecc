from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (audit sign-ins)
        from .jobs import tasks  # noqa: F401  (the background-job tasks, for the worker)
        from .siteurl import connect_celery_signals

        connect_celery_signals()
