"""apps.core.compiled: a query compiled once per connection must give, for any values, the
rows the ORM gives, and refuse queries whose SQL text depends on the values."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from apps.core.compiled import CompiledQuery
from apps.surveys.models import Answer, Question, Response
from apps.surveys.selectors import survey_published_version

pytestmark = pytest.mark.django_db


def _answers(response_id):
    return Answer.objects.filter(response_id=response_id).order_by("id")


FIELDS = ("response__status", "response__started_at", "number_value", "bool_value", "text_value")


def _prep(connection, response_id):
    return [Answer._meta.get_field("response").get_db_prep_value(response_id, connection)]


def _query() -> CompiledQuery:
    return CompiledQuery(lambda pk: _answers(pk).values_list(*FIELDS), _prep)


@pytest.fixture
def two_responses(survey):
    version = survey_published_version(survey)
    question = Question.objects.filter(version=version).first()
    found = []
    for n, status in enumerate((Response.Status.IN_PROGRESS, Response.Status.COMPLETE)):
        response = Response.objects.create(version=version, status=status)
        Answer.objects.create(
            response=response, question=question, number_value=Decimal(f"{n}1.25"), text_value="a"
        )
        Answer.objects.create(
            response=response, question=question, bool_value=bool(n), text_value=f"b{n}"
        )
        found.append(response)
    return found


@pytest.fixture
def survey(db):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey

    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


def test_each_call_runs_with_its_own_values_and_converts_as_the_orm(two_responses):
    query = _query()
    for response in two_responses * 2:  # compiled on the first call, reused on the others
        expected = list(_answers(response.pk).values_list(*FIELDS))
        assert query.rows(response.pk) == expected
        # Converted as the ORM converts (SQLite stores decimals and datetimes as text).
        assert isinstance(expected[0][2], Decimal) and expected[0][1].tzinfo is not None
    assert query.rows(0) == []


def test_the_sql_is_compiled_once_and_executed_with_parameters(two_responses):
    first, second = two_responses
    query = _query()
    query.rows(first.pk)
    sql = query.sql(first.pk)
    assert sql == query.sql(second.pk)
    with CaptureQueriesContext(connection) as queries:
        query.rows(second.pk)
    assert len(queries.captured_queries) == 1
    assert str(second.pk) in queries.captured_queries[0]["sql"]


def test_a_query_whose_sql_depends_on_its_values_is_refused(two_responses):
    ids = [r.pk for r in two_responses]
    # An IN list: its length is in the SQL text, the parameters do not map one to one.
    listed = CompiledQuery(
        lambda pks: Answer.objects.filter(response_id__in=pks).values_list("id"),
        lambda connection, pks: [pks],
    )
    with pytest.raises(ValueError, match="cannot be compiled once"):
        listed.rows(ids)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite ignores FOR UPDATE"
)
def test_a_locking_query_needs_a_transaction_every_time(two_responses):
    locked = CompiledQuery(
        lambda pk: Response.objects.filter(pk=pk).select_for_update().values_list("status"),
        lambda connection, pk: [pk],
    )
    response = two_responses[0]
    with transaction.atomic():
        assert locked.rows(response.pk) == [(Response.Status.IN_PROGRESS,)]
        assert "FOR UPDATE" in locked.sql(response.pk)
    # Compiled already: still refused outside a transaction, as the ORM refuses it.
    with pytest.raises(TransactionManagementError):
        locked.rows(response.pk)
