import pytest

from apps.coding.models import Quote
from apps.coding.selectors import usable_quotes
from apps.surveys.models import RespondentContact
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _quote(answer, **kwargs):
    kwargs.setdefault("status", Quote.Status.CANDIDATE)
    return Quote.objects.create(
        answer=answer,
        text=answer.text_value[:30],
        start=0,
        end=min(30, len(answer.text_value)),
        created_by=make_user(),
        **kwargs,
    )


def test_quotes_are_usable_only_as_far_as_the_respondent_consented(open_answer):
    anonymous = _quote(open_answer(quote_consent="anonymous", role="tutor", setting="camp"))
    internal = _quote(open_answer(quote_consent="internal"))
    refused = _quote(open_answer(quote_consent=""))
    public_ids = {q.id for q in usable_quotes(public=True)}
    internal_ids = {q.id for q in usable_quotes(public=False)}
    assert public_ids == {anonymous.pk}
    assert internal_ids == {anonymous.pk, internal.pk}
    assert refused.pk not in public_ids | internal_ids
    quote = usable_quotes(public=True)[0]
    assert quote.use == "public"
    assert quote.role_label == "Tutor or academic support staff" or quote.role_label
    assert quote.setting_label == "Camp"


def test_excluded_responses_and_rejected_quotes_are_never_usable(open_answer):
    answer = open_answer(quote_consent="anonymous", is_excluded=True)
    _quote(answer)
    _quote(open_answer(quote_consent="anonymous"), status=Quote.Status.REJECTED)
    assert usable_quotes(public=False) == []


def test_a_quote_never_carries_contact_details(open_answer):
    answer = open_answer(
        "Call me at (555) 123-4567 or write ana.lopez@example.org, I run the art club.",
        quote_consent="anonymous",
    )
    RespondentContact.objects.create(
        response=answer.response, email="ana.lopez@example.org", email_digest="x"
    )
    Quote.objects.create(answer=answer, text=answer.text_value, start=0, end=len(answer.text_value))
    (quote,) = usable_quotes(public=True)
    assert "555" not in quote.text and "example.org" not in quote.text
    assert "I run the art club." in quote.text
    fields = set(vars(quote))
    assert fields == {
        "id",
        "text",
        "role_label",
        "setting_label",
        "question_label",
        "use",
        "status",
        "note",
    }
    assert "ana.lopez" not in repr(quote)


def test_usable_quotes_filter_by_role(open_answer):
    tutor = _quote(open_answer(quote_consent="anonymous", role="tutor"))
    _quote(open_answer(quote_consent="anonymous", role="frontline"))
    assert [q.id for q in usable_quotes(public=True, role="tutor")] == [tutor.pk]
