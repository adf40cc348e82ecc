from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "apps.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import builtin_checks  # noqa: F401  (the task queue and announcements lines)
        from .errortracking import init_error_tracking

        init_error_tracking()
        # Apps add their own checks to the staff status page in a `status_checks` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("status_checks")
