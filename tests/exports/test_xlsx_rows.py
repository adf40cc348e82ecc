"""The XLSX fast row writer writes the sheet XML XlsxWriter itself writes."""

import zipfile
from decimal import Decimal

import pytest
import xlsxwriter

from apps.core.exporting import _write_sheet_rows, _xlsx_cell

ROWS = [
    ["id", "name", "  padded", 'a & b < c > d "q"', None, "", "=1+1", "_x0041_ literal"],
    [1, 2.5, Decimal("12.50"), True, False, None, -3, 10**15],
    [None, None, "tail ", "línea\nnueva", Decimal("0.1"), 1e-7, "ok", ""],
    [],
    ["late start"] * 0 + [None] * 30 + ["AD column", 7],
]


def _xlsxwriter_own(sheet, rows) -> None:
    """The former per-cell path through XlsxWriter's public methods (the reference)."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is int or kind is float or kind is Decimal:
                sheet.write_number(r, c, value)
            elif kind is str:
                sheet.write_string(r, c, _xlsx_cell(value))
            elif kind is bool:
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, _xlsx_cell(str(value)))


def sheets_xml(tmp_path, name, write, sheets: dict[str, list]) -> bytes:
    """The worksheets' XML of a constant-memory XlsxWriter workbook whose sheets (name: rows)
    are written by `write(worksheet, rows)`, concatenated in order."""
    path = tmp_path / f"{name}.xlsx"
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "tmpdir": str(tmp_path), "strings_to_formulas": False,
         "strings_to_numbers": False, "strings_to_urls": False},
    )  # fmt: skip
    for sheet, rows in sheets.items():
        write(workbook.add_worksheet(sheet), rows)
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return b"".join(
            archive.read(f"xl/worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)
        )


def _sheet_xml(tmp_path, name, write) -> bytes:
    return sheets_xml(tmp_path, name, write, {"data": ROWS, "codebook": ROWS[:2]})


def test_fast_rows_give_the_same_sheet_xml_as_xlsxwriter(tmp_path):
    expected = _sheet_xml(tmp_path, "reference", _xlsxwriter_own)
    got = _sheet_xml(tmp_path, "fast", _write_sheet_rows)
    assert b'<dimension ref="A1:AF5"/>' in expected
    assert b"&amp; b &lt; c &gt;" in expected and b'xml:space="preserve"' in expected
    assert got == expected


def test_fast_rows_refuse_a_sheet_kept_in_memory(tmp_path):
    workbook = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    with pytest.raises(ValueError, match="constant_memory"):
        _write_sheet_rows(workbook.add_worksheet(), ROWS)
    workbook.close()
