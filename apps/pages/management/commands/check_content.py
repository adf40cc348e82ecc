from django.core.management.base import BaseCommand

from apps.pages.content_checks import content_problems


class Command(BaseCommand):
    help = (
        "Check the published public text in both languages: placeholders, statistics without "
        "a source, broken internal links or anchors, English/Spanish pairs out of step. Exits "
        "with status 1 and lists every problem when any is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-links", action="store_true", help="Skip opening internal links (faster)."
        )

    def handle(self, *args, **options):
        problems = content_problems(links=not options["no_links"])
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            self.stderr.write(self.style.ERROR(f"{len(problems)} content problem(s) found."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("Content check passed."))
