from django.core.management.base import BaseCommand

from apps.notices.seeding import seed_toolkit


class Command(BaseCommand):
    help = "Load the seeded comment toolkit, talking points and first notice (idempotent)."

    def handle(self, *args, **options):
        created = seed_toolkit()
        summary = ", ".join(f"{name}: {count}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded toolkit created ({summary})."))
