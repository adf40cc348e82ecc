"""Versions freeze text and figures; comparing two shows the text diff and changed figures."""

import pytest

from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.proposals import selectors, services
from apps.proposals.models import EvidenceBlock, ProposalVersion

pytestmark = pytest.mark.django_db


def _write(section, text, editor):
    return services.section_save(section=section, body=text, revision=section.revision, by=editor)


def test_a_version_keeps_its_numbers_after_the_data_change(proposal, data, build, editor):
    section = proposal.sections.get(key="employment")
    block = services.evidence_block_add(
        section=section, kind=EvidenceBlock.Kind.OVERVIEW, filters={}, options={}, by=editor
    )
    _write(section, "About 15 people answered.", editor)
    version = services.version_save(proposal=proposal, note="first", by=editor)
    for _ in range(5):
        build(state="NY")
    services.evidence_block_refresh(block=block, by=editor)
    _write(section, "Now 20 people answered.", editor)
    version.refresh_from_db()
    frozen = next(s for s in version.sections if s["key"] == "employment")
    assert frozen["body"] == "About 15 people answered."
    assert frozen["blocks"][0]["snapshot"]["facts"][0][1] == "15"
    assert version.content["methods"]["sample_size"] == "15"
    block.refresh_from_db()
    assert block.snapshot["facts"][0][1] == "20"
    assert version.created_by == editor and version.number == 1


def test_versions_are_numbered_and_audited(proposal, editor):
    first = services.version_save(proposal=proposal, note="", by=editor)
    second = services.version_save(proposal=proposal, note="typo", by=editor)
    assert (first.number, second.number) == (1, 2)
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATED, object_type="proposals.proposalversion"
        ).count()
        == 2
    )


def test_compare_shows_word_changes_and_changed_figures(proposal, data, build, editor):
    section = proposal.sections.get(key="employment")
    block = services.evidence_block_add(
        section=section, kind=EvidenceBlock.Kind.OVERVIEW, filters={}, options={}, by=editor
    )
    _write(section, "The field is large and growing.", editor)
    old = services.version_save(proposal=proposal, note="", by=editor)
    for _ in range(5):
        build(state="NY", setting="community_center")
    services.evidence_block_refresh(block=block, by=editor)
    section.refresh_from_db()
    _write(section, "The field is very large and growing.", editor)
    new = services.version_save(proposal=proposal, note="", by=editor)
    comparison = selectors.version_compare(old, new)
    employment = next(s for s in comparison["sections"] if s["key"] == "employment")
    assert employment["changed"]
    assert ("insert", "very ") in employment["diff"]
    assert not next(s for s in comparison["sections"] if s["key"] == "title")["changed"]
    changes = {(n["row"], n["old"], n["new"]) for n in comparison["numbers"]}
    assert ("Complete responses", "15", "20") in changes


def test_text_diff_marks_deleted_and_inserted_words():
    diff = selectors.text_diff("care for youth daily", "care for children daily")
    assert ("delete", "youth") in diff and ("insert", "children") in diff


def test_publishing_withdraws_the_earlier_published_version_and_is_audited(proposal, editor):
    first = services.version_save(proposal=proposal, note="", by=editor)
    second = services.version_save(proposal=proposal, note="", by=editor)
    services.version_publish(version=first, by=editor)
    services.version_publish(version=second, by=editor)
    first.refresh_from_db()
    assert first.status == ProposalVersion.Status.WITHDRAWN
    assert second.status == ProposalVersion.Status.PUBLISHED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISHED).count() == 2
    with pytest.raises(ApplicationError):
        services.version_publish(version=second, by=editor)


def test_withdrawing_needs_a_published_version(proposal, editor):
    version = services.version_save(proposal=proposal, note="", by=editor)
    with pytest.raises(ApplicationError):
        services.version_withdraw(version=version, by=editor)


def test_seeding_is_idempotent_and_keeps_edits(proposal, editor):
    from apps.proposals.seeding import seed_proposal

    section = proposal.sections.get(key="definition")
    section.heading_en = "Definition (edited)"
    section.save()
    _write(section, "Our text", editor)
    proposal.sections.get(key="technology").delete()
    assert seed_proposal() == {"proposal": 0, "proposal_sections": 0}
    assert proposal.sections.get(key="definition").heading_en == "Definition (edited)"
    assert not proposal.sections.filter(key="technology").exists()
    assert proposal.sections.count() == 14
    assert all(s.heading_es and s.guidance_es for s in proposal.sections.all())
