from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "apps.exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        # Each app registers its exporters in its own `exporters` module (apps/surveys/...).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exporters")
        from . import jobs  # noqa: F401  (registers the export job type)
