"""The responses CSV built by PostgreSQL (apps/surveys/export_sql.py) against the Python path.

Synthetic responses (`generate_responses`) with hostile text planted everywhere a text cell
comes from (answers, "other" texts, ZIP3, collector names, settings, page keys): formula starts,
whitespace before them, quotes, commas, line breaks, Spanish and other unicode. Every filter,
both label options, both interface languages and all three layouts (the two registered files
and the full record) must give the same CSV text, byte for byte, as the Python rows through
the writer's `_csv_row`. PostgreSQL only: on SQLite `csv_rows` is None and the writer keeps the
Python path (checked below).
"""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.core.csvsafe import neutralize
from apps.core.exporting import _csv_row, write_export
from apps.surveys import export_sql
from apps.surveys.exporters import ResponseIdentifiersExporter, ResponsesExporter
from apps.surveys.models import Answer, Collector, Question, Response, Survey, TaskRating
from apps.surveys.qtypes.base import export_number
from apps.surveys.seeding import seed_survey

from .helpers import read_zip
from .test_exporters import FullRecord

pytestmark = pytest.mark.django_db

POSTGRES_ONLY = "the SQL path is PostgreSQL's; SQLite keeps the Python path (tested below)"

HOSTILE = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "   =1", "\u00a0=1", "\u2003-2",
    "\u3000@x", "\x1c=1", "\x85=2", " \t =cmd|' /C calc'!A0", '=HYPERLINK("http://e.x/?a="&A1)',
    " plain", "a,b", 'say "hi", ok', "line\nbreak", "cr\ronly", "crlf\r\nend", "-", "=", "@",
    "ñandú — «comillas»", "¿Dónde está el baño? Señor Muñoz", "'ya", "", " ", "a\\b",
    "50% %s %(x)s", "😀=1", "\ufeff=1", "\u200b=1", "x" * 300,
]  # fmt: skip
NUMBERS = [Decimal("12.50"), Decimal("-0.25"), Decimal("100.00"), Decimal("0.10"),
           Decimal("9999999999.99"), Decimal("-7.00"), Decimal("0.00")]  # fmt: skip


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """120 synthetic responses with hostile texts, odd numbers, every status, flags, Spanish
    respondents, null dates, DST-edge times, a response without answers and one whose
    answers' order decides cells (two answers to single-answer questions); made once inside
    a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip(POSTGRES_ONLY)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_survey()
            call_command("generate_responses", count=120, seed=7, stdout=io.StringIO())
            yield _plant()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _plant() -> dict:
    texts = Answer.objects.filter(
        question__type__in=[Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT]
    ).order_by("id")
    for n, pk in enumerate(texts.values_list("pk", flat=True)):
        Answer.objects.filter(pk=pk).update(text_value=HOSTILE[n % len(HOSTILE)])
    others = Answer.objects.filter(choice__is_other=True).order_by("id")
    for n, pk in enumerate(others.values_list("pk", flat=True)):
        Answer.objects.filter(pk=pk).update(text_value=HOSTILE[(n * 7) % len(HOSTILE)])
    zips = Answer.objects.filter(part="zip3").order_by("id")
    for n, pk in enumerate(zips.values_list("pk", flat=True)[:40]):
        Answer.objects.filter(pk=pk).update(text_value=HOSTILE[(n * 3) % len(HOSTILE)])
    numbers = Answer.objects.filter(number_value__isnull=False).order_by("id")
    for n, pk in enumerate(numbers.values_list("pk", flat=True)[:200]):
        Answer.objects.filter(pk=pk).update(number_value=NUMBERS[n % len(NUMBERS)])
    collector = Collector.objects.order_by("pk").first()
    if collector is not None:
        Collector.objects.filter(pk=collector.pk).update(name="=cmd|' /C calc'!A0, «x»")
    ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
    edits = [
        {"status": Response.Status.IN_PROGRESS, "submitted_at": None, "duration_seconds": None,
         "last_page_key": "=page"},
        {"status": Response.Status.SCREENED_OUT, "setting": "50%"},
        {"is_excluded": True, "setting": "+setting, \"quoted\""},
        {"is_too_fast": True, "language": "es"},
        {"is_duplicate": True, "language": "es", "state": "@X"},
        {"submitted_at": datetime(2026, 3, 8, 6, 59, 59, 999999, tzinfo=UTC)},
        {"submitted_at": datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
         "started_at": datetime(2026, 11, 1, 6, 30, tzinfo=UTC)},
        {"is_staff_entered": True, "setting": "línea\nnueva"},
    ]  # fmt: skip
    for pk, fields in zip(ids[1::7], edits, strict=False):
        Response.objects.filter(pk=pk).update(**fields)
    # A response with no answers and no ratings.
    first = Response.objects.get(pk=ids[0])
    bare = Response.objects.create(
        version_id=first.version_id, language="en", status=Response.Status.COMPLETE,
        submitted_at=first.submitted_at, setting="=bare",
    )  # fmt: skip
    # Two answers where one is read: the first answer wins for single-answer questions.
    twice = ids[5]
    duplicated = []
    for answer in Answer.objects.filter(
        response_id=twice,
        question__type__in=[Question.Type.SINGLE_CHOICE, Question.Type.SHORT_TEXT],
    )[:3]:
        answer.pk = None
        if answer.text_value:
            answer.text_value = "=second " + answer.text_value
        answer.save()
        duplicated.append(answer.question_id)
    return {"bare": bare.pk, "twice": twice, "duplicated": duplicated, "ids": ids}


def _text(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _compare(exporter_class, options: dict) -> export_sql.SqlPlan:
    """The SQL rows against the Python rows through `_csv_row`: the same CSV text."""
    fast_exporter = exporter_class()
    fast = fast_exporter.csv_rows(options)
    assert fast is not None, "the SQL path should serve this export"
    fast_text = _text(fast)
    reference = _text(_csv_row(row) for row in exporter_class().rows(options))
    if fast_text != reference:
        got = list(csv.reader(io.StringIO(fast_text)))
        want = list(csv.reader(io.StringIO(reference)))
        header = want[0]
        for got_row, want_row in zip(got, want, strict=False):
            if got_row != want_row:
                diff = [
                    (header[i], g, w)
                    for i, (g, w) in enumerate(zip(got_row, want_row, strict=False))
                    if g != w
                ]
                pytest.fail(f"response {want_row[0]}: {diff[:5]}")
        assert len(got) == len(want)
    assert fast_text == reference
    return fast_exporter


def _filters(data: dict) -> list[dict]:
    response = Response.objects.exclude(role=None).order_by("pk").first()
    collector = Response.objects.exclude(collector=None).order_by("pk").first()
    version = Response.objects.order_by("pk").first().version_id
    day = Response.objects.exclude(submitted_at=None).order_by("submitted_at")[10].submitted_at
    return [
        {},
        {"flagged": True},
        {"state": "TX"},
        {"role": response.role.slug},
        {"setting": "50%"},
        {"version": version},
        {"collector": collector.collector_id} if collector else {"state": "CA"},
        {"date_from": (day - timedelta(days=3)).date().isoformat(),
         "date_to": (day + timedelta(days=20)).date().isoformat(), "flagged": True},
        {"state": "ZZ"},  # nothing matches: the header alone
        {"version": 10**9},  # no such version: no columns but the fixed ones, no rows
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("labels", [False, True])
def test_the_sql_rows_equal_the_python_rows_for_every_filter(hostile, labels, language):
    with translation.override(language):
        for filters in _filters(hostile):
            options = {"filters": filters, "labels": labels}
            for exporter_class in (ResponsesExporter, ResponseIdentifiersExporter, FullRecord):
                _compare(exporter_class, options)


def test_the_hostile_texts_are_in_the_export_and_neutralized(hostile):
    text = _text(FullRecord().csv_rows({"filters": {"flagged": True}, "labels": False}))
    for value in ("'=1+1", "'\u00a0=1", "'\u3000@x", "'\tx", "ñandú — «comillas»", "'=page"):
        assert value in text
    assert '"say ""hi"", ok"' in text and '"line\nbreak"' in text
    assert "'\ufeff=1" not in text and "\ufeff=1" in text  # not whitespace: left alone
    rows = list(csv.reader(io.StringIO(text)))
    assert {len(row) for row in rows} == {len(rows[0])}
    assert len(rows) - 1 == Response.objects.count()


def test_the_order_of_duplicate_answers_is_kept_through_the_python_row(hostile):
    assert hostile["duplicated"], "the fixture should have duplicated answers"
    exporter = FullRecord()
    text = _text(exporter.csv_rows({"filters": {"flagged": True}, "labels": False}))
    assert "'=second " not in text  # the first answer wins
    assert exporter.sql_plan.python_rows == 1  # the one response, built the Python way
    _compare(FullRecord, {"filters": {"flagged": True}, "labels": False})


def test_a_response_without_answers_gets_its_blank_row(hostile):
    options = {"filters": {"flagged": True}, "labels": False}
    rows = list(csv.reader(io.StringIO(_text(FullRecord().csv_rows(options)))))
    header, by_id = rows[0], {row[0]: row for row in rows[1:]}
    bare = dict(zip(header, by_id[str(hostile["bare"])], strict=True))
    assert bare["response_id"] == str(hostile["bare"])
    assert all(bare[name] == "" for name in header if name.endswith("_relevant"))


def test_the_whole_csv_file_is_the_same_byte_for_byte(hostile, tmp_path):
    options = {"filters": {"flagged": True}, "labels": True}
    fast, reference = tmp_path / "fast.zip", tmp_path / "python.zip"
    assert write_export(ResponsesExporter(), options, "csv", fast) == Response.objects.count()
    python = ResponsesExporter()
    python.sql_csv = False
    write_export(python, options, "csv", reference)
    assert fast.read_bytes() != b""
    assert read_zip(fast) == read_zip(reference)
    import zipfile

    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(reference) as b:
        for name in ("data.csv", "codebook.csv"):
            assert a.read(name) == b.read(name)


def test_a_type_the_sql_path_does_not_know_keeps_the_python_path(hostile, monkeypatch):
    kinds = {f: k for f, k in export_sql._KINDS.items() if k != export_sql.TIME_USE}
    monkeypatch.setattr(export_sql, "_KINDS", kinds)
    assert ResponsesExporter().csv_rows({"filters": {}, "labels": False}) is None


def test_the_ratings_reach_their_columns(hostile):
    rating = TaskRating.objects.filter(importance__isnull=False).select_related("task").first()
    options = {"filters": {"flagged": True}, "labels": False}
    rows = list(csv.reader(io.StringIO(_text(ResponsesExporter().csv_rows(options)))))
    header, by_id = rows[0], {row[0]: row for row in rows[1:]}
    row = dict(zip(header, by_id[str(rating.response_id)], strict=True))
    code = rating.task.code
    assert row[f"{code}_relevant"] == "1"
    assert row[f"{code}_importance"] == str(rating.importance)
    assert row[f"{code}_frequency"] == str(rating.frequency)


# --- the SQL expressions against their Python originals, over generated values ---

_FUNCTION_DB = [HealthCheck.function_scoped_fixture]  # one database for every example
_ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason=POSTGRES_ONLY)
_TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
_PREFIXED = st.builds(
    lambda space, start, rest: space + start + rest,
    st.text(alphabet=export_sql._SPACES, max_size=4),
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", ""]),
    _TEXTS,
)


@hsettings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.one_of(_TEXTS, _PREFIXED))
@example(value="\u00a0\u2003=1")
@example(value="\x1c\x1d\x1e\x1f-1")
@example(value="\n@x")
@_ON_POSTGRES
def test_neutralize_in_sql_is_neutralize(db, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {export_sql._neut('v')} FROM (SELECT %(value)s::text AS v) t",
            {"value": value, "pattern": export_sql.NEUTRALIZE_PATTERN},
        )
        assert cursor.fetchone()[0] == neutralize(value)


@hsettings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.decimals(min_value=-9999999999, max_value=9999999999, places=2))
@_ON_POSTGRES
def test_numbers_in_sql_are_export_number(db, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {export_sql._number('v')} FROM (SELECT %s::numeric(12, 2) AS v) t", [value]
        )
        stored = value.quantize(Decimal("0.01"))
        assert cursor.fetchone()[0] == str(export_number(stored))


def test_on_sqlite_the_writer_keeps_the_python_path(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's path")
    seed_survey()
    assert Survey.objects.exists()
    assert ResponsesExporter().csv_rows({"filters": {}, "labels": False}) is None


class _Cursor:
    """A stand-in for a psycopg2 named cursor: `batches` rows lists, then an error or the end."""

    def __init__(self, batches, error=None):
        self.batches, self.error = list(batches), error

    def fetchmany(self, size):
        if self.batches:
            return self.batches.pop(0)
        if self.error:
            raise self.error
        return []


def test_the_read_ahead_gives_every_row_in_order_then_stops():
    reader = export_sql._ReadAhead(_Cursor([[(1,), (2,)], [(3,)]]))
    assert list(reader.rows()) == [(1,), (2,), (3,)]
    reader.stop()


def test_a_database_error_in_the_read_ahead_reaches_the_export():
    reader = export_sql._ReadAhead(_Cursor([[(1,)]], error=RuntimeError("connection lost")))
    rows = reader.rows()
    assert next(rows) == (1,)
    with pytest.raises(RuntimeError, match="connection lost"):
        next(rows)
    reader.stop()


def test_an_export_stopped_midway_stops_its_read_ahead_threads(hostile):
    import threading

    rows = FullRecord().csv_rows({"filters": {"flagged": True}, "labels": False})
    next(rows), next(rows)
    assert any(t.name == "export-read-ahead" for t in threading.enumerate())
    rows.close()
    assert not any(t.name == "export-read-ahead" for t in threading.enumerate())


@pytest.mark.parametrize("wrong", ["single_without_choice", "multi_with_another_choice"])
def test_an_answer_the_python_path_refuses_fails_the_sql_path_too(hostile, wrong):
    """A single choice without its choice, or a multiple choice holding another question's
    choice: the Python path raises (KeyError); the SQL path hands the response to it."""
    response_id = hostile["ids"][3]
    kind = Question.Type.SINGLE_CHOICE if wrong.startswith("single") else Question.Type.MULTI_CHOICE
    answer = Answer.objects.filter(response_id=response_id, question__type=kind).first()
    if wrong.startswith("single"):
        Answer.objects.filter(pk=answer.pk).update(choice=None)
    else:
        other = (
            Answer.objects.filter(response_id=response_id)
            .exclude(question_id=answer.question_id)
            .exclude(choice=None)
            .first()
        )
        Answer.objects.filter(pk=answer.pk).update(choice_id=other.choice_id)
    options = {"filters": {"flagged": True}, "labels": False}
    with pytest.raises(KeyError):
        list(ResponsesExporter().rows(options))
    with pytest.raises(KeyError):
        list(ResponsesExporter().csv_rows(options))
