from django.core.management.base import BaseCommand

from apps.surveys.seeding import seed_survey


class Command(BaseCommand):
    help = "Load the seeded practitioner survey, role taxonomy and task bank (idempotent)."

    def handle(self, *args, **options):
        created = seed_survey()
        summary = ", ".join(f"{name}: {count}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded survey created ({summary})."))
