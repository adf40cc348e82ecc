import csv
import io

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.coding import services
from apps.coding.models import Code, CodeApplication, CodedAnswer, Quote
from apps.core.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(open_answer):
    """An answer with a code and a quote, and the editor who made them."""
    editor = make_user(Role.EDITOR)
    code = services.code_create(by=editor, name_en="Planning")
    answer = open_answer("I plan games. I call parents.", quote_consent="anonymous")
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=editor, start=0, end=13)
    quote = services.quote_create(answer_id=answer.pk, start=0, end=13, by=editor)
    return {"editor": editor, "code": code, "answer": answer, "quote": quote}


def _get_urls(coded):
    pk = coded["answer"].pk
    return [
        reverse("coding:answers"),
        reverse("coding:answer", kwargs={"pk": pk}),
        reverse("coding:codebook"),
        reverse("coding:agreement"),
        reverse("coding:frequencies"),
        reverse("coding:cooccurrence"),
        reverse("coding:quotes"),
    ]


def test_every_page_renders_for_a_reviewer(client, coded):
    client.force_login(make_user(Role.REVIEWER))
    for url in _get_urls(coded):
        reply = client.get(url)
        assert reply.status_code == 200, url
