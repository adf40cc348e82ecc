from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "apps.pages"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from apps.core.text import register_live_tokens

        from .live import TOKENS, live_state_or_none, render_token

        register_live_tokens(tokens=TOKENS, state_lookup=live_state_or_none, render=render_token)

        # The staff landing page (accounts, a lower layer) warns when contact messages go to
        # no one; the status page's and readiness answer's lines are in .status_checks.
        from apps.core.staff_home import register_staff_home_context

        from .delivery import contact_delivery_for_staff_home

        register_staff_home_context(contact_delivery_for_staff_home)

        # Registers this app's Celery tasks under their names: services queue them by name
        # (apps.core.jobs.enqueue_task) instead of importing the tasks module back.
        from . import tasks  # noqa: F401
