from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "apps.pages"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from apps.core.text import register_live_tokens

        from .live import TOKENS, live_state_or_none, render_token

        register_live_tokens(tokens=TOKENS, state_lookup=live_state_or_none, render=render_token)
