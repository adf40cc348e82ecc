from django.core.management.base import BaseCommand, CommandParser

from apps.insights import cube


class Command(BaseCommand):
    help = (
        "Bring the pre-aggregated dashboard figures up to date (what the Celery beat task does "
        "every half minute); --full rebuilds them. Dashboards never build them in a request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Rebuild everything.")

    def handle(self, *args, **options) -> None:
        state = cube.refresh(full=options["full"])
        if state is None:
            self.stdout.write("Another refresh is running; nothing done.")
            return
        self.stdout.write(
            f"Dashboard figures up to date: {state.added} responses added, {state.removed} "
            f"removed, {state.seconds:.2f} s."
        )
