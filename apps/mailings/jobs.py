"""The announcement send as a job type: the batches of services.announcement_deliver, run by
the job runner (apps/core/jobs: claim, heartbeat, takeover, time limit, retries)."""

import smtplib

from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Attempt, JobType, register

from .models import AnnouncementSend
from .services import (
    ANNOUNCEMENT_JOB,
    announcement_deliver,
    announcement_finish_if_done,
    deliveries_recover,
)

SEND_FAILED = _(
    "Sending stopped because of an error. The recipients not reached yet are still waiting; "
    "tell an administrator."
)
SEND_QUEUE_DOWN = _(
    "The queue cannot be reached right now. The announcement will be sent automatically "
    "when the queue is back."
)
SEND_TOO_SLOW = _("A part of the send took too long and was stopped. It will be tried again.")
SEND_STALLED = _(
    "Sending stopped responding several times and was given up. Tell an administrator."
)


@register
class AnnouncementSendJob(JobType):
    name = ANNOUNCEMENT_JOB
    model = AnnouncementSend
    # Each task hands over to a fresh one after MAILINGS_TASK_BUDGET_SECONDS (JobContinue),
    # so one attempt stays well under this limit.
    time_limit = 15 * 60
    # The mail server away for a moment: the rows went back to pending; try again later.
    retry_on = (smtplib.SMTPException, OSError)
    failed_message = SEND_FAILED
    queue_down_message = SEND_QUEUE_DOWN
    too_slow_message = SEND_TOO_SLOW
    stalled_message = SEND_STALLED

    def get_job(self, pk: int) -> AnnouncementSend:
        return AnnouncementSend.objects.select_related("announcement").get(pk=pk)

    def on_claim(self, job: AnnouncementSend, attempt: Attempt) -> None:
        # Only one attempt holds the send, so rows still claimed or being sent belong to an
        # earlier attempt that died or was taken over.
        deliveries_recover(announcement_id=job.announcement_id)

    def build(self, job: AnnouncementSend, attempt: Attempt) -> dict:
        announcement_deliver(announcement_id=job.announcement_id, attempt=attempt)
        return {}

    def on_done(self, job: AnnouncementSend) -> None:
        announcement_finish_if_done(announcement_id=job.announcement_id)

    def on_failed(self, job_id: int) -> None:
        announcement_id = (
            AnnouncementSend.objects.filter(pk=job_id)
            .values_list("announcement_id", flat=True)
            .first()
        )
        if announcement_id is not None:
            deliveries_recover(announcement_id=announcement_id)
            announcement_finish_if_done(announcement_id=announcement_id)
