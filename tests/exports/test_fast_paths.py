"""The export's fast paths give exactly what the plain (reference) paths give.

CSV: `_csv_row` (only booleans and texts that may start a formula go through `_csv_cell`)
against `[_csv_cell(value) for value in row]`. XLSX: `_write_sheet_rows` (with its cache of
cell XML) against XlsxWriter's own per-cell methods. Whole exports: the data and codebook
files of the fast writers against the same export written through the reference cells.
`streaming_reads`: a separate read-only snapshot on PostgreSQL, the same connection otherwise.
"""

import csv
import io
import random
import zipfile
import zlib
from decimal import Decimal

import pytest
from django.db import connection, connections

from apps.core import exporting
from apps.core.exporting import (
    _csv_cell,
    _csv_row,
    _write_sheet_rows,
    streaming_reads,
    write_export,
)
from apps.surveys.models import Answer

from .helpers import VOLUNTEER, answered
from .test_exporters import ATTACK, OPTIONS, FullRecord
from .test_xlsx_rows import _xlsxwriter_own, sheets_xml

# Texts a spreadsheet could run, whitespace in front of them, unicode spaces, controls,
# XML specials, empty values and the numbers that look alike (1, 1.0, True, Decimal).
TRICKY = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "   =1", "\u00a0=1", "\u2003-2",
    " plain", "plain ", "a=b", "-", "@", "=", "", " ", "ñandú — «quote»", "línea\nnueva",
    'a & b < c > "d"', "_x0041_", "Bell\x07 esc\x1b", "x" * 150, ATTACK, "'already", "1",
    None, True, False, 0, 1, -3, 10**15, 10**17, 2.5, 1e-7, 1.0, Decimal("12.50"),
    Decimal("1.0"), Decimal("0.1"), 1.234567890123456, Decimal("3.141592653589793"),
]  # fmt: skip


def _varied_rows(count: int, width: int = 12, seed: int = 7) -> list[list]:
    """Rows mixing the tricky values with repeats, so caches are hit and missed."""
    rng = random.Random(seed)
    alphabet = "=+-@ \t\r\n\u00a0ab1é&<>_'"
    rows = [[f"col{c}" for c in range(width)]]
    for _ in range(count):
        row = []
        for _c in range(width):
            pick = rng.random()
            if pick < 0.6:
                row.append(rng.choice(TRICKY))
            elif pick < 0.8:
                row.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))))
            else:
                row.append(rng.choice([None, "", 0, 1]))
        rows.append(row)
    return rows


def _csv_text(rows, cells) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(cells(row))
    return out.getvalue()


def test_fast_csv_rows_write_what_the_reference_cells_write():
    rows = _varied_rows(3000) + [[value] for value in [*TRICKY, float("inf")]] + [[], [None], [""]]
    expected = _csv_text(rows, lambda row: [_csv_cell(value) for value in row])
    assert _csv_text(rows, _csv_row) == expected
    assert "'=1+1" in expected and "'\u00a0=1" in expected and "'\u2003-2" in expected
    assert "\nTrue" not in expected and ",True" not in expected  # booleans as 0/1


def _sheet_xml(tmp_path, name, write, rows) -> bytes:
    return sheets_xml(tmp_path, name, write, {"data": rows})


@pytest.mark.parametrize("cache_size", [20_000, 3])
def test_fast_xlsx_rows_with_their_cache_give_xlsxwriters_xml(tmp_path, monkeypatch, cache_size):
    # A cache of 3 entries is emptied over and over: what is written must not change.
    monkeypatch.setattr(exporting, "_TEXT_CACHE_SIZE", cache_size)
    rows = _varied_rows(800) + [[value] for value in TRICKY if value is not None]
    expected = _sheet_xml(tmp_path, "reference", _xlsxwriter_own, rows)
    assert b"&apos;=1+1" in expected or b"'=1+1" in expected
    assert _sheet_xml(tmp_path, "fast", _write_sheet_rows, rows) == expected


def _files(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def varied_responses(survey):
    """Two paths (multi-choice on one only), formula-like and unicode text, an empty answer."""
    paid, volunteer = answered(survey), answered(survey, VOLUNTEER)
    answers = Answer.objects.filter(response=paid)
    answers.filter(question__key="job_title").update(text_value=ATTACK)
    answers.filter(question__key="employer_name").update(text_value="\u00a0-2+3 ñandú & <b>")
    Answer.objects.filter(response=volunteer, question__key="role").update(text_value="@home\t")
    return paid, volunteer


def test_whole_csv_export_equals_the_reference_cells(varied_responses, tmp_path, monkeypatch):
    fast = tmp_path / "fast.zip"
    write_export(FullRecord(), OPTIONS, "csv", fast)
    monkeypatch.setattr(exporting, "_csv_row", lambda row: [_csv_cell(v) for v in row])
    reference = tmp_path / "reference.zip"
    write_export(FullRecord(), OPTIONS, "csv", reference)
    assert _files(fast) == _files(reference)
    data = _files(fast)["data.csv"].decode("utf-8-sig")
    assert "'" + ATTACK.replace('"', '""') in data and "'\u00a0-2+3 ñandú & <b>" in data


def test_whole_xlsx_export_equals_xlsxwriters_own_cells(varied_responses, tmp_path, monkeypatch):
    fast = tmp_path / "fast.xlsx"
    write_export(FullRecord(), OPTIONS, "xlsx", fast)
    monkeypatch.setattr(exporting, "_write_sheet_rows", _xlsxwriter_own)
    reference = tmp_path / "reference.xlsx"
    write_export(FullRecord(), OPTIONS, "xlsx", reference)
    fast_files, reference_files = _files(fast), _files(reference)
    assert fast_files.keys() == reference_files.keys()
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert fast_files[name] == reference_files[name]
    assert "ñandú &amp; &lt;b&gt;".encode() in fast_files["xl/worksheets/sheet1.xml"]


def test_the_export_zips_at_the_fast_level(varied_responses, tmp_path):
    path = tmp_path / "out.xlsx"
    write_export(FullRecord(), OPTIONS, "xlsx", path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        data = archive.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED

    def deflated_size(level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    assert info.compress_size == deflated_size(exporting.EXPORT_ZIP_LEVEL)
    assert deflated_size(exporting.EXPORT_ZIP_LEVEL) != deflated_size(6)


@pytest.mark.django_db(transaction=True)
def test_streaming_reads_use_a_read_only_snapshot_on_postgresql():
    with streaming_reads() as alias:
        if connection.vendor != "postgresql":
            assert alias == "default"
            return
        assert alias != "default"
        with connections[alias].cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            assert cursor.fetchone()[0] == "repeatable read"
            cursor.execute("SHOW transaction_read_only")
            assert cursor.fetchone()[0] == "on"
        assert connection.get_autocommit()  # progress written on the default one is seen
    assert alias not in connections


def test_streaming_reads_stay_on_the_connection_inside_a_transaction(db):
    with streaming_reads() as alias:
        assert alias == "default"
