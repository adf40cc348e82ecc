from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.two_factor import two_factor_reset_unsafe
from apps.core.models import AuditEvent
from apps.core.services import audit_record


class Command(BaseCommand):
    help = (
        "Remove a staff member's two-factor devices (lost phone and recovery codes). They "
        "sign in with their password next time; an Administrator is then asked to set up "
        "a new device before any staff page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        two_factor_reset_unsafe(user=user)
        audit_record(
            action=AuditEvent.Action.CHANGED,
            actor_label="manage.py two_factor_reset",
            target=user,
            details={"two_factor": "reset"},
        )
        self.stdout.write(f"Two-factor sign-in reset for {username}.")
