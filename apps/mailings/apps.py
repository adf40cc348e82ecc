from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "apps.mailings"
    verbose_name = _("Email updates")

    def ready(self) -> None:
        from . import (
            jobs,  # noqa: F401  (registers the announcement send job type)
            tasks,  # noqa: F401  (services send these tasks by name)
        )
