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
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
# A part of the file over 2 GB (Python's zipfile.ZIP64_LIMIT) before compression needs ZIP64,
# which Excel reads only in the strict form it writes itself: the 1,000,000-response
# benchmark's XLSX failed with XlsxWriter's FileSizeError, so that size is refused by name.
EXPORT_TOO_LARGE_FOR_XLSX = _(
    "This export is too large for one Excel file (over 2 GB before compression). Choose CSV, "
    "or narrow the filters."
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

    def csv_rows(self, options: dict) -> Iterator[list] | None:
        """The rows of `rows` as the CSV writer writes them (texts already through
        `neutralize`, booleans as 0/1), built a faster way, or None to have the writer format
        `rows` itself. The responses exporter builds its rows in PostgreSQL this way
        (apps/surveys/export_sql.py)."""
        return None

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


# --- Reading ---


@contextlib.contextmanager
def streaming_reads(using: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """The database alias an exporter's large streamed queries should run on
    (`queryset.using(alias)`), for the duration of the block.

    Django streams `.iterator()` through a PostgreSQL server-side cursor, but outside a
    transaction it declares the cursor WITH HOLD, and PostgreSQL then computes and stores the
    whole result before the first row comes back: 14.5 s for the 4.2 million answers of
    100,000 responses. Inside a transaction the cursor streams. The export cannot simply run
    in a transaction on the default connection (the job's progress and heartbeat are written
    there and must be seen at once), so on PostgreSQL the reads get their own connection, in
    one REPEATABLE READ, READ ONLY transaction: the responses, answers and ratings queries
    also see one snapshot. When the default connection is already in a transaction (tests),
    or on SQLite, the alias is `using` itself."""
    default = connections[using]
    if default.vendor != "postgresql" or default.in_atomic_block:
        yield using
        return
    alias = f"{using}__export_reads"
    reader = connections.create_connection(using)
    reader.alias = alias  # querysets .using(alias) check their subqueries' alias against it
    connections[alias] = reader
    try:
        with transaction.atomic(using=alias):
            with reader.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield alias
    finally:
        del connections[alias]
        reader.close()


# --- Cells ---

# neutralize() lives in apps.core.csvsafe, shared with the dashboards' aggregate CSVs.


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return neutralize(value)


# First characters after which `neutralize` may change a text: the formula starts, and any
# whitespace (it looks past leading spaces; tab and CR count themselves).
_FORMULA_FIRST = frozenset("=+-@")


def _csv_row(row) -> list:
    """`[_csv_cell(value) for value in row]`, as csv.writer writes it, at a fraction of the
    cost: only booleans and texts that may start a formula go through `_csv_cell`; None is
    left to csv.writer, which writes it as an empty field like "" (tests/exports compare the
    two on varied rows)."""
    return [
        _csv_cell(value)
        if (kind := type(value)) is bool
        or (kind is str and value and (value[0] in _FORMULA_FIRST or value[0].isspace()))
        else value
        for value in row
    ]


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
    ready = exporter.csv_rows(options)
    rows, counter = _counted(exporter.rows(options) if ready is None else ready, on_progress)
    with zipfile.ZipFile(
        tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=EXPORT_ZIP_LEVEL
    ) as archive:
        # UTF-8 with a byte-order mark, so Excel opens accented text correctly.
        sources = (
            ("data.csv", rows, ready is not None),
            ("codebook.csv", exporter.codebook_rows(options), False),
        )
        for name, source, formatted in sources:
            with io.TextIOWrapper(
                archive.open(name, "w", force_zip64=True), encoding="utf-8-sig", newline=""
            ) as text:
                writer = csv.writer(text)
                if formatted:
                    writer.writerows(source)
                else:
                    write = writer.writerow
                    for row in source:
                        write(_csv_row(row))
    return counter["rows"]


def _write_xlsx(exporter: Exporter, options: dict, tmp: Path, on_progress: Progress) -> int:
    # XlsxWriter's constant_memory mode: each row goes to a temporary file (in the export
    # folder) as soon as it is written and strings are written inline, so memory stays flat
    # whatever the row count. Strings are never turned into formulas, numbers or links: a
    # cell holds what the exporter gave (after `neutralize`), nothing Excel would run.
    # XlsxWriter's part files go in a folder of this export's own, removed whatever happens
    # (when the file is too large it leaves its last part behind).
    parts = Path(tempfile.mkdtemp(prefix=".xlsx-parts-", dir=tmp.parent))
    try:
        return _write_xlsx_parts(exporter, options, tmp, on_progress, parts)
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def _write_xlsx_parts(
    exporter: Exporter, options: dict, tmp: Path, on_progress: Progress, parts: Path
) -> int:
    workbook = _workbook_class()(
        str(tmp),
        {
            "constant_memory": True,
            "tmpdir": str(parts),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    rows, counter = _counted(exporter.rows(options), on_progress, limit=XLSX_MAX_ROWS - 1)
    from xlsxwriter.exceptions import FileSizeError

    try:
        for title, source in (("data", rows), ("codebook", exporter.codebook_rows(options))):
            _write_sheet_rows(workbook.add_worksheet(title), source)
        workbook.close()
    except BaseException as error:
        for sheet in workbook.worksheets():
            _discard_sheet(sheet)
        if isinstance(error, FileSizeError):
            raise ExportFailed(EXPORT_TOO_LARGE_FOR_XLSX) from error
        raise
    return counter["rows"]


# Text cells of up to this many characters have their XML kept for reuse, up to this many
# distinct texts at a time (codes, statuses, labels repeat on every row): memory stays flat.
_TEXT_CACHE_CHARS = 100
_TEXT_CACHE_SIZE = 20_000


# Deflate level of the export zips (the CSV zip and the XLSX parts). zlib's default is 6;
# level 1 compressed a 36 MB sheet (10,000 responses) 4 times faster (0.14 against 0.56 s of
# CPU) into a file 40% larger (5.9 against 4.2 MB): at 100,000 responses some 4 s of an XLSX.
EXPORT_ZIP_LEVEL = 1

_WORKBOOK_CLASS = None


def _workbook_class():
    """xlsxwriter.Workbook, zipping its parts at EXPORT_ZIP_LEVEL: XlsxWriter has no option
    for the level, so its module's ZipFile is swapped for the time the file is zipped."""
    global _WORKBOOK_CLASS
    if _WORKBOOK_CLASS is None:
        import functools

        import xlsxwriter
        import xlsxwriter.workbook as module

        class Workbook(xlsxwriter.Workbook):
            def _store_workbook(self) -> None:
                original = module.ZipFile
                module.ZipFile = functools.partial(original, compresslevel=EXPORT_ZIP_LEVEL)
                try:
                    super()._store_workbook()
                finally:
                    module.ZipFile = original

        _WORKBOOK_CLASS = Workbook
    return _WORKBOOK_CLASS


def _write_sheet_rows(sheet, source: Iterable[Iterable]) -> None:
    """Write rows to a constant-memory XlsxWriter sheet, one `<row>` element at a time.

    XlsxWriter's own path costs some 6 microseconds a cell (argument checks, a cell tuple in
    a per-row dict, then a type dispatch and an attribute list per cell when the row is
    flushed): at 100,000 responses of a few hundred columns that was 80 of an export's 100
    seconds. This writes the same XML XlsxWriter writes for unformatted number and inline
    string cells (tests/exports/test_xlsx_rows.py compares the two byte for byte) and keeps
    the sheet's dimensions and flushed-row mark as XlsxWriter would, so the workbook closes
    as usual. Empty cells (None, "") are not written. A cell's XML after its reference is
    worked out once per distinct short text or whole number and reused: the per-text work
    (illegal characters, formula-injection `neutralize`, XML escaping, whitespace) was half
    of the writer's time."""
    from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name

    if not sheet.constant_memory:
        raise ValueError("_write_sheet_rows writes constant_memory sheets only")
    names: list[str] = []
    escape_controls, escape = sheet._escape_control_characters, sheet._escape_data
    write, check = sheet.fh.write, sheet._check_dimensions
    texts: dict[str, str] = {}
    whole: dict[int, str] = {}

    def text_tail(text: str) -> str:
        text = escape_controls(_xlsx_cell(text))
        space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return f'" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    for r, row in enumerate(source):
        if not isinstance(row, list | tuple):
            row = list(row)
        while len(names) < len(row):
            names.append(xl_col_to_name(len(names)))
        number = r + 1
        cells = []
        first = last = -1
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is str:
                tail = texts.get(value)
                if tail is None:
                    tail = text_tail(value)
                    if len(value) <= _TEXT_CACHE_CHARS:
                        if len(texts) >= _TEXT_CACHE_SIZE:
                            texts.clear()
                        texts[value] = tail
            elif kind is int:
                tail = whole.get(value)
                if tail is None:
                    tail = whole[value] = f'"><v>{value:.16G}</v></c>'
                    if len(whole) >= _TEXT_CACHE_SIZE:
                        whole.clear()
            elif kind is bool:
                tail = f'"><v>{int(value)}</v></c>'
            elif kind is Decimal or (kind is float and math.isfinite(value)):
                tail = f'"><v>{value:.16G}</v></c>'
            else:
                tail = text_tail(str(value))
            cells.append(f'<c r="{names[c]}{number}{tail}')
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
