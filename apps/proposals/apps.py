from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    verbose_name = _("Proposal")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the proposal document job type)
