"""Two editors saving one section at the same moment on PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection

from apps.accounts.roles import Role
from apps.proposals import services
from apps.proposals.models import ProposalSection
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_saves_from_the_same_revision_let_exactly_one_through(proposal):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real concurrent transactions)")
    section = proposal.sections.get(key="definition")
    editors = [make_user(Role.EDITOR), make_user(Role.EDITOR)]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(editor, text):
        from django.db import connections

        try:
            barrier.wait()
            services.section_save(section=section, body=text, revision=1, by=editor)
            outcomes.append("saved")
        except services.SectionConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(editors[0], "Text A")),
        threading.Thread(target=save, args=(editors[1], "Text B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    stored = ProposalSection.objects.get(pk=section.pk)
    assert stored.revision == 2 and stored.body in ("Text A", "Text B")
