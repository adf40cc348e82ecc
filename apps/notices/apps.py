from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "apps.notices"
    verbose_name = _("Federal Register notices and comment toolkit")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (cache invalidation)
