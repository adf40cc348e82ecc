from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import ApplicationError
from apps.surveys.models import Survey
from devtools.synthetic import synthetic_responses_generate


class Command(BaseCommand):
    help = (
        "Create synthetic complete responses on the published version of a survey, for demos "
        "and benchmarks. The same arguments give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="Responses to create.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--survey", default="ost-roles-duties", help="Survey slug (default ost-roles-duties)."
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Responses per transaction (default 5000)."
        )
        parser.add_argument(
            "--bulk-load",
            action="store_true",
            help=(
                "Filling a fresh database (no responses yet, e.g. a benchmark one): drop the "
                "response, answer and rating tables' secondary indexes while loading, build "
                "them once at the end and analyse the tables (PostgreSQL)."
            ),
        )

    def handle(self, *args, **options) -> None:
        count, batch = options["count"], options["batch"]
        if count < 1 or batch < 1:
            raise CommandError("--count and --batch must be at least 1.")
        survey = Survey.objects.filter(slug=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey '{options['survey']}'. Run seed_survey first.")

        def progress(done: int, total: int, seconds: float) -> None:
            self.stdout.write(f"  {done:,} / {total:,} responses ({seconds:.1f} s)")

        try:
            summary = synthetic_responses_generate(
                survey=survey,
                count=count,
                seed=options["seed"],
                batch_size=batch,
                bulk_load=options["bulk_load"],
                progress=progress if options["verbosity"] > 0 else None,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if summary.collectors_created:
            self.stdout.write(f"Created {summary.collectors_created} synthetic partner collectors.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {summary.responses:,} responses, {summary.answers:,} answers, "
                f"{summary.ratings:,} task ratings and {summary.contacts:,} contacts "
                f"in {summary.seconds:.1f} seconds."
            )
        )
