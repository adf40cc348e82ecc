from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "apps.privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # The privacy notice page's block lists the inventory (pages sits below privacy).
        from apps.pages.selectors import PageBlock, register_block_context

        from .inventory import INVENTORY

        register_block_context(PageBlock.PRIVACY, lambda page: {"inventory": INVENTORY})
