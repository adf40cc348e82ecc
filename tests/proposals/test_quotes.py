"""Quote blocks take only quotes the respondent agreed to have used publicly."""

import pytest

from apps.coding.services import quote_create
from apps.proposals import evidence, services
from apps.proposals.models import EvidenceBlock
from apps.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


def _quote(build, editor, text, consent):
    response = build(answers={"describe_work": text}, quote_consent=consent)
    answer = Answer.objects.get(response=response, question__key="describe_work")
    return quote_create(answer_id=answer.pk, start=None, end=None, by=editor)


def test_quote_block_keeps_public_quotes_with_role_and_setting(proposal, build, editor):
    public = _quote(build, editor, "I run the whole afternoon program.", "anonymous")
    internal = _quote(build, editor, "Internal only remark about pay.", "internal")
    assert [q.id for q in evidence.usable_quotes()] == [public.pk]
    block = services.evidence_block_add(
        section=proposal.sections.get(key="tasks"),
        kind=EvidenceBlock.Kind.QUOTES,
        filters={},
        options={"quote_ids": [public.pk, internal.pk]},
        by=editor,
    )
    assert block.snapshot["quotes"] == [
        {
            "id": public.pk,
            "text": "I run the whole afternoon program.",
            "role": "Frontline youth worker (group leader, camp counselor)",
            "setting": "At a school",
        }
    ]


def test_withdrawn_consent_makes_the_block_stale_and_refresh_drops_the_quote(
    proposal, build, editor
):
    quote = _quote(build, editor, "Kids trust us every single day.", "anonymous")
    block = services.evidence_block_add(
        section=proposal.sections.get(key="tasks"),
        kind=EvidenceBlock.Kind.QUOTES,
        filters={},
        options={"quote_ids": [quote.pk]},
        by=editor,
    )
    response = quote.answer.response
    response.quote_consent = Response.QuoteConsent.INTERNAL
    response.save()
    assert evidence.block_is_stale(block, stamp=evidence.data_stamp())
    services.evidence_block_refresh(block=block, by=editor)
    assert block.snapshot["quotes"] == []


def test_the_section_page_offers_usable_quotes(proposal, build, editor, client):
    quote = _quote(build, editor, "We are teachers of a different kind.", "anonymous")
    client.force_login(editor)
    page = client.get("/staff/proposal/section/tasks/").content.decode()
    assert "We are teachers of a different kind." in page
    reply = client.post(
        "/staff/proposal/section/tasks/evidence/", {"kind": "quotes", "quote_ids": [quote.pk]}
    )
    assert reply.status_code == 302
    assert EvidenceBlock.objects.get().options == {"quote_ids": [quote.pk]}
    empty = client.post("/staff/proposal/section/tasks/evidence/", {"kind": "quotes"})
    assert empty.status_code == 400 and "Choose at least one quote." in empty.content.decode()
