"""One case per registered background-job type, for the shared fault suite
(tests/core/test_jobs_faults.py, tests/core/test_jobs_worker.py).

A case makes a job ready to run (`make`), requests one the way a user does (`request`, which
queues it after commit), and checks a finished job's result (`check_done`): the export's
rows, the proposal document, each announcement recipient reached once. Every registered type
needs a case: test_every_job_type_has_a_case fails otherwise.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core import mail

from apps.accounts.roles import Role


class Case:
    name = ""
    has_file = True

    def setup(self, monkeypatch) -> None:
        """Data the job needs (committed rows in the transactional tests)."""

    def make(self, user) -> int:
        raise NotImplementedError

    def request(self, user) -> int:
        raise NotImplementedError

    def check_done(self, job) -> None:
        raise NotImplementedError


class ExportCase(Case):
    name = "exports"

    def setup(self, monkeypatch) -> None:
        from apps.core import exporting as base
        from apps.surveys.models import Survey
        from apps.surveys.seeding import seed_survey
        from tests.exports.helpers import answered

        monkeypatch.setattr(base, "PROGRESS_EVERY", 1)  # report (heartbeat) on every row
        seed_survey()
        survey = Survey.objects.get(slug="ost-roles-duties")
        answered(survey)
        answered(survey)

    def make(self, user) -> int:
        from apps.exports.models import ExportJob

        return ExportJob.objects.create(kind="responses", format="csv", requested_by=user).pk

    def request(self, user) -> int:
        from apps.exports.services import export_job_request

        return export_job_request(kind="responses", format="csv", options={}, by=user).pk

    def check_done(self, job) -> None:
        assert job.rows_written == 2
        with zipfile.ZipFile(Path(settings.EXPORTS_DIR) / job.file_path) as archive:
            data = archive.read("data.csv").decode("utf-8-sig").strip().splitlines()
        assert len(data) == 1 + 2


class ProposalDocumentCase(Case):
    name = "proposal_documents"

    def setup(self, monkeypatch) -> None:
        from apps.proposals.models import Proposal
        from apps.proposals.seeding import seed_proposal
        from apps.proposals.services import version_save
        from tests.factories import make_user

        seed_proposal()
        proposal = Proposal.objects.get(key="ost-soc")
        self.version = version_save(proposal=proposal, note="", by=make_user(Role.EDITOR))

    def make(self, user) -> int:
        from apps.proposals.models import ProposalExport

        return ProposalExport.objects.create(
            version=self.version, format="docx", requested_by=user
        ).pk

    def request(self, user) -> int:
        from apps.proposals.exporting import proposal_export_request

        return proposal_export_request(version=self.version, format="docx", by=user).pk

    def check_done(self, job) -> None:
        import docx

        assert job.sections_written == len(self.version.sections) > 0
        document = docx.Document(str(Path(settings.EXPORTS_DIR) / job.file_path))
        assert document.core_properties.title == self.version.content["title"]["en"]


class AnnouncementCase(Case):
    name = "announcements"
    has_file = False
    readers = 5

    def setup(self, monkeypatch) -> None:
        from tests.mailings.factories import make_subscriber

        self.emails = [make_subscriber().email for _ in range(self.readers)]

    def _announcement(self):
        from tests.mailings.factories import make_announcement

        return make_announcement()

    def make(self, user) -> int:
        from unittest import mock

        from apps.mailings.models import AnnouncementSend
        from apps.mailings.services import announcement_send

        announcement = self._announcement()
        with mock.patch("apps.mailings.services.enqueue"):
            announcement_send(announcement=announcement, by=user)
        return AnnouncementSend.objects.get(announcement=announcement).pk

    def request(self, user) -> int:
        from apps.mailings.models import AnnouncementSend
        from apps.mailings.services import announcement_send

        announcement = announcement_send(announcement=self._announcement(), by=user)
        return AnnouncementSend.objects.get(announcement=announcement).pk

    def check_done(self, job, *, outbox: bool = True) -> None:
        from collections import Counter

        from apps.mailings.models import Announcement, Delivery

        rows = Delivery.objects.filter(announcement_id=job.announcement_id)
        assert Counter(rows.values_list("status", flat=True)) == {"sent": self.readers}
        assert set(rows.values_list("attempts", flat=True)) == {1}  # nobody sent twice
        assert Announcement.objects.get(pk=job.announcement_id).status == "sent"
        if outbox:  # the in-process runs: the messages themselves
            assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(self.emails, 1))


CASES = {case.name: case for case in (ExportCase, ProposalDocumentCase, AnnouncementCase)}


def temporary_leftovers() -> list[Path]:
    """Every temporary file or folder of any job attempt under EXPORTS_DIR."""
    root = Path(settings.EXPORTS_DIR)
    return sorted(root.rglob(".tmp-*")) if root.exists() else []
