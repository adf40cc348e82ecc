"""openpyxl's write-only mode, the XLSX writer the exports used before XlsxWriter: kept here
only so bench/data_bench.py can time both writers on the same data in the same run."""

import contextlib
from pathlib import Path

from apps.core.exporting import XLSX_MAX_ROWS, Exporter, Progress, _counted, _xlsx_cell


def write_xlsx(exporter: Exporter, options: dict, tmp: Path, on_progress: Progress) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    rows, counter = _counted(exporter.rows(options), on_progress, limit=XLSX_MAX_ROWS - 1)
    try:
        for title, source in (("data", rows), ("codebook", exporter.codebook_rows(options))):
            sheet = workbook.create_sheet(title)
            for row in source:
                sheet.append([_xlsx_cell(value) for value in row])
        workbook.save(tmp)
    except BaseException:
        for sheet in workbook.worksheets:
            rows_, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
            with contextlib.suppress(Exception):
                if rows_ is not None:
                    rows_.close()
                if writer is not None:
                    writer.close()
                    writer.cleanup()
        raise
    return counter["rows"]
