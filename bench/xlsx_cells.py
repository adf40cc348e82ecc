"""XlsxWriter's own per-cell path (write_number / write_string for every cell), the way the
exports wrote rows before apps/core/exporting.py's `_write_sheet_rows`: kept here only so
bench/data_bench.py can time both on the same data in the same run."""

from decimal import Decimal

from apps.core.exporting import _xlsx_cell


def write_cells(sheet, source) -> None:
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, row in enumerate(source):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is int or kind is float or kind is Decimal:
                write_number(r, c, value)
            elif kind is str:
                write_string(r, c, _xlsx_cell(value))
            elif kind is bool:
                write_number(r, c, int(value))
            else:
                write_string(r, c, _xlsx_cell(str(value)))
