"""Exporter base class, the exporter registry and the streaming CSV/XLSX writers.

An exporter lives in the app that owns its data (`apps/surveys/exporters.py`) and is
registered with `@register`; `ExportsConfig.ready()` imports every app's `exporters` module.
The framework sits in core (the bottom layer, as pretix keeps its exporter base in
pretix.base) so that the app owning the data does not import the exports app, which runs the
jobs and sits above it; `apps.exports.base` re-exports this module.
Writers never hold all rows: they pull one row at a time from `rows()` and write it out.
"""

import abc
import contextlib
import csv
import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from .csvsafe import neutralize
from .jobs.runner import JobFailed
from .roles import Role, user_role_level

# Progress is reported (and the heartbeat written) every this many rows.
PROGRESS_EVERY = 2000
# Excel's limits: rows per sheet (header included) and characters per cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767

EXPORT_TOO_MANY_ROWS_FOR_XLSX = _(
    "This export has more rows than an Excel sheet can hold. Choose CSV, or narrow the filters."
)


class ExportFailed(JobFailed):
    """An expected export failure; the message is safe to show to the user."""


@dataclass(frozen=True)
class Column:
    """One column of an export, as the codebook describes it."""

    name: str
    question: str = ""
    type: str = ""
    values: str = ""
    notes: str = ""


CODEBOOK_HEADER = ["column", "question", "type", "values", "notes"]


class Exporter(abc.ABC):
    """Base class: subclasses set the class attributes and implement columns/rows/count.

    `options` is the job's JSON-safe options dict. An instance serves one job, so a
    subclass may cache what it computed for `columns` and reuse it in `rows`."""

    identifier: ClassVar[str] = ""
    verbose_name: ClassVar = ""
    requires_role: ClassVar[Role] = Role.REVIEWER
    includes_personal_data: ClassVar[bool] = False

    @abc.abstractmethod
    def columns(self, options: dict) -> list[Column]:
        """The columns of the data, in order (also the codebook's rows)."""

    @abc.abstractmethod
    def rows(self, options: dict) -> Iterator[list]:
        """The header row (column names), then one list per record, streamed."""

    @abc.abstractmethod
    def count(self, options: dict) -> int:
        """How many records `rows` will yield (one query; used for the progress bar)."""

    def codebook_rows(self, options: dict) -> Iterator[list]:
        """The data dictionary: a header, then one row per column of the data."""
        yield CODEBOOK_HEADER
        for column in self.columns(options):
            yield [column.name, column.question, column.type, column.values, column.notes]

    @classmethod
    def allowed_for(cls, user) -> bool:
        return user_role_level(user) >= cls.requires_role.level


_REGISTRY: dict[str, type[Exporter]] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make an exporter available under its identifier."""
    if not cls.identifier:
        raise ValueError(f"{cls.__name__} has no identifier")
    existing = _REGISTRY.get(cls.identifier)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"Two exporters are called {cls.identifier!r}")
    _REGISTRY[cls.identifier] = cls
    return cls


def exporter_class(identifier: str) -> type[Exporter] | None:
    return _REGISTRY.get(identifier)


def exporter_classes() -> list[type[Exporter]]:
    return sorted(_REGISTRY.values(), key=lambda cls: (cls.requires_role.level, cls.identifier))


def exporter_classes_for(user) -> list[type[Exporter]]:
    """The exporters this user's role may request."""
    return [cls for cls in exporter_classes() if cls.allowed_for(user)]


# --- Cells ---

# neutralize() lives in apps.core.csvsafe, shared with the dashboards' aggregate CSVs.


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return neutralize(value)


# Characters an XLSX cell may not hold (XML 1.0 control characters): dropped, as openpyxl did.
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _xlsx_cell(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        # Excel refuses control characters and cells over 32,767 characters.
        value = neutralize(_XLSX_ILLEGAL.sub("", value))[:XLSX_MAX_CELL]
    return value


# --- Writers ---

Progress = Callable[[int], None]


def write_export_file(
    exporter: Exporter, options: dict, fmt: str, path: Path, *, on_progress: Progress | None = None
) -> int:
    """Write the exporter's data and codebook straight to `path` (a temporary file the caller
    renames into place: the job runner's `attempt.output()`, or `write_export`). Returns the
    number of data rows. CSV: a zip holding data.csv and codebook.csv; XLSX: a workbook with
    the sheets "data" and "codebook" (its scratch files go to path's folder)."""
    writer = _write_xlsx if fmt == "xlsx" else _write_csv_zip
    return writer(exporter, options, path, on_progress or (lambda n: None))


def write_export(
    exporter: Exporter, options: dict, fmt: str, dest: Path, *, on_progress: Progress | None = None
) -> int:
    """Write the export to `dest` outside a job (benchmarks, tests) and return the row count.

    The file is built under a temporary name in dest's folder and renamed into place at the
    end, so `dest` is either absent or complete."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=dest.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        written = write_export_file(exporter, options, fmt, tmp, on_progress=on_progress)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written


def _counted(rows: Iterable[list], on_progress: Progress, limit: int | None = None):
    """The rows passed through, and a dict whose "rows" counts the data rows (header not
    counted); progress is reported every PROGRESS_EVERY data rows."""
    counter = {"rows": 0}

    def gen():
        iterator = iter(rows)
        header = next(iterator, None)
        if header is None:
            return
        yield header
        for row in iterator:
            counter["rows"] += 1
            if limit is not None and counter["rows"] > limit:
                raise ExportFailed(EXPORT_TOO_MANY_ROWS_FOR_XLSX)
            yield row
            if counter["rows"] % PROGRESS_EVERY == 0:
                on_progress(counter["rows"])

    return gen(), counter


def _write_csv_zip(exporter: Exporter, options: dict, tmp: Path, on_progress: Progress) -> int:
    rows, counter = _counted(exporter.rows(options), on_progress)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # UTF-8 with a byte-order mark, so Excel opens accented text correctly.
        for name, source in (("data.csv", rows), ("codebook.csv", exporter.codebook_rows(options))):
            with io.TextIOWrapper(
                archive.open(name, "w", force_zip64=True), encoding="utf-8-sig", newline=""
            ) as text:
                out = csv.writer(text)
                for row in source:
                    out.writerow([_csv_cell(value) for value in row])
    return counter["rows"]


def _write_xlsx(exporter: Exporter, options: dict, tmp: Path, on_progress: Progress) -> int:
    import xlsxwriter

    # XlsxWriter's constant_memory mode: each row goes to a temporary file (in the export
    # folder) as soon as it is written and strings are written inline, so memory stays flat
    # whatever the row count. Strings are never turned into formulas, numbers or links: a
    # cell holds what the exporter gave (after `neutralize`), nothing Excel would run.
    workbook = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            "tmpdir": str(tmp.parent),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    rows, counter = _counted(exporter.rows(options), on_progress, limit=XLSX_MAX_ROWS - 1)
    try:
        for title, source in (("data", rows), ("codebook", exporter.codebook_rows(options))):
            _write_sheet_rows(workbook.add_worksheet(title), source)
        workbook.close()
    except BaseException:
        for sheet in workbook.worksheets():
            _discard_sheet(sheet)
        raise
    return counter["rows"]


def _write_sheet_rows(sheet, source: Iterable[Iterable]) -> None:
    """Write rows to a constant-memory XlsxWriter sheet, one `<row>` element at a time.

    XlsxWriter's own path costs some 6 microseconds a cell (argument checks, a cell tuple in
    a per-row dict, then a type dispatch and an attribute list per cell when the row is
    flushed): at 100,000 responses of a few hundred columns that was 80 of an export's 100
    seconds. This writes the same XML XlsxWriter writes for unformatted number and inline
    string cells (tests/exports/test_xlsx_rows.py compares the two byte for byte) and keeps
    the sheet's dimensions and flushed-row mark as XlsxWriter would, so the workbook closes
    as usual. Empty cells (None, "") are not written."""
    from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name

    if not sheet.constant_memory:
        raise ValueError("_write_sheet_rows writes constant_memory sheets only")
    names: list[str] = []
    escape_controls, escape = sheet._escape_control_characters, sheet._escape_data
    write, check = sheet.fh.write, sheet._check_dimensions
    for r, row in enumerate(source):
        number = r + 1
        cells = []
        first = last = -1
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            while len(names) <= c:
                names.append(xl_col_to_name(len(names)))
            kind = type(value)
            if kind is bool:
                value, kind = int(value), int
            if kind is int or kind is Decimal or (kind is float and math.isfinite(value)):
                cells.append(f'<c r="{names[c]}{number}"><v>{value:.16G}</v></c>')
            else:
                text = escape_controls(_xlsx_cell(value if kind is str else str(value)))
                space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
                cells.append(
                    f'<c r="{names[c]}{number}" t="inlineStr"><is><t{space}>'
                    f"{escape(text)}</t></is></c>"
                )
            if first < 0:
                first = c
            last = c
        if cells:
            check(r, first)
            check(r, last)
            write(f'<row r="{number}">{"".join(cells)}</row>')
        sheet.previous_row = r


def _discard_sheet(sheet) -> None:
    """Close a constant-memory sheet that will not be saved and delete its temporary file
    (XlsxWriter removes it only when the workbook is closed)."""
    handle, name = getattr(sheet, "row_data_fh", None), getattr(sheet, "row_data_filename", None)
    with contextlib.suppress(Exception):
        if handle is not None:
            handle.close()
    if name:
        with contextlib.suppress(OSError):
            os.unlink(name)
