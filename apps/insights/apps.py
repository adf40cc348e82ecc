from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "apps.insights"
    verbose_name = _("Staff insights")

    def ready(self) -> None:
        from . import signals  # noqa: F401
