"""The proposal document job type: a DOCX or PDF of one version (the runner in apps/core/jobs
does the claim, heartbeat, takeover check, time limit, temporary file and retries)."""

from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Attempt, JobType, register

from .documents import BUILDERS
from .models import ProposalExport

EXPORT_FAILED = _(
    "The document could not be made. Please try again; if it fails again, tell an administrator."
)
EXPORT_QUEUE_DOWN = _(
    "The export queue cannot be reached right now. Your document is saved as a request and "
    "will start automatically when the queue is back."
)
EXPORT_TOO_SLOW = _("The document took too long to make and was stopped. Please try again.")
EXPORT_STALLED = _(
    "The export stopped responding several times and was given up. Please request it again."
)


@register
class ProposalDocumentJob(JobType):
    name = "proposal_documents"
    model = ProposalExport
    time_limit = 10 * 60
    subdir = "proposals"
    failed_message = EXPORT_FAILED
    queue_down_message = EXPORT_QUEUE_DOWN
    too_slow_message = EXPORT_TOO_SLOW
    stalled_message = EXPORT_STALLED
    reset_on_claim = {"sections_written": 0}

    def get_job(self, pk: int) -> ProposalExport:
        return ProposalExport.objects.select_related("version").get(pk=pk)

    def build(self, job: ProposalExport, attempt: Attempt) -> dict:
        version = job.version
        total = max(1, len(version.sections))

        def progress(sections: int) -> None:
            attempt.progress(sections * 100 // total, sections_written=sections)

        name = f"proposal-v{version.number}-{job.pk}.{job.format}"
        with attempt.output(name) as path:
            written = BUILDERS[job.format](version, path, progress)
        return {"sections_written": written}
