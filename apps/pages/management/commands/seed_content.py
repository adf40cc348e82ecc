from django.core.management.base import BaseCommand

from apps.pages.seeding import seed_content
from apps.proposals.seeding import seed_proposal


class Command(BaseCommand):
    help = (
        "Load the seeded pages, FAQ, glossary, timeline, workgroup and crosswalk, "
        "and the proposal sections (idempotent)."
    )

    def handle(self, *args, **options):
        created = seed_content()
        created.update(seed_proposal())
        summary = ", ".join(f"{name}: {count}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded content created ({summary})."))
