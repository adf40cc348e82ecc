from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    verbose_name = _("Practitioner survey")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (structure cache invalidation)
