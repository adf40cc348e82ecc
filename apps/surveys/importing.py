"""Paper responses typed into a CSV template by staff, validated row by row like the web form."""

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from apps.core.csvsafe import neutralize
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .forms import SurveyPageForm
from .models import Response, SurveyVersion, Task
from .qtypes import qtype
from .selectors import Structure, version_structure
from .services import response_page_save, response_start, response_submit

LANGUAGE_COLUMN = "language"


@dataclass
class ImportReport:
    accepted: int = 0
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)
    error: str = ""


def template_columns(structure: Structure, tasks: list[Task]) -> list[str]:
    """The CSV template's header: the same names as the web form's fields."""
    columns = [LANGUAGE_COLUMN]
    for page in structure.pages:
        for q in page.question_list:
            columns += qtype(q).import_columns(q, tasks)
    return columns


def _row_data(row: dict[str, str], structure: Structure) -> MultiValueDict:
    data = MultiValueDict()
    for column, raw in row.items():
        if column is None:
            continue
        value = (raw or "").strip()
        question = structure.questions.get(column)
        if question is not None:
            value = qtype(question).import_cell(value)
        if isinstance(value, list):
            data.setlist(column, value)
        else:
            data[column] = value
    return data


def _import_row(row, structure, tasks, by) -> list[str]:
    """Save one row as a complete, staff-entered response, or return why it was refused."""
    language = (row.get(LANGUAGE_COLUMN) or "en").strip().lower()
    if language not in dict(settings.LANGUAGES):
        return [_("language: use en or es")]
    data = _row_data(row, structure)
    response = response_start(version=structure.version, language=language)
    Response.objects.filter(pk=response.pk).update(is_staff_entered=True, entered_by=by)
    values: dict[str, set[str]] = {}
    from .conditions import condition_met

    for page in structure.pages:
        if not condition_met(page.condition, values):
            continue
        form = SurveyPageForm(data, page=page, saved_values=values, other_tasks=tasks)
        if not form.is_valid():
            return [
                f"{name}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            ]
        response = response_page_save(response=response, form=form)
        values = {**values, **form.page_values()}
    response = response_submit(response=response, structure=structure)
    return []


def file_too_large_message() -> str:
    return _("The file is larger than %(size)s. Split it into smaller files.") % {
        "size": filesizeformat(settings.SURVEY_IMPORT_MAX_BYTES)
    }


@contextmanager
def _field_size_limit(chars: int):
    """csv's cell-size limit for this parse only (a cell past it is a csv.Error)."""
    previous = csv.field_size_limit(chars)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _formula_cells(row: dict[str, str]) -> list[str]:
    """Cells a spreadsheet would run as a formula (=, +, -, @, tab): refused, not stored."""
    return [
        _("%(column)s: starts like a spreadsheet formula; remove the first character")
        % {"column": column}
        for column, value in row.items()
        if value and neutralize(value) != value and not _is_number(value.strip())
    ]


def _read_rows(text: str, columns: list[str]) -> tuple[list[str], list[list[str]], str]:
    """Header, rows and an error message ("" when the file can be imported)."""
    with _field_size_limit(settings.SURVEY_IMPORT_MAX_CELL_CHARS):
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [name.strip() for name in next(reader, [])]
            if not header or LANGUAGE_COLUMN not in header:
                return [], [], _("The first line must be the template's column names.")
            unknown = sorted(set(header) - set(columns))
            if unknown:
                names = ", ".join(name[:40] for name in unknown[:10])
                return [], [], _("Unknown columns: %(names)s") % {"names": names}
            if len(header) > len(columns):
                return (
                    [],
                    [],
                    _("The file has %(n)s columns; the template has %(max)s.")
                    % {
                        "n": len(header),
                        "max": len(columns),
                    },
                )
            if len(set(header)) != len(header):
                return [], [], _("A column name appears twice in the first line.")
            rows = []
            for record in reader:
                if len(rows) >= settings.SURVEY_IMPORT_MAX_ROWS:
                    return (
                        [],
                        [],
                        _("The file has more than %(n)s rows. Split it into smaller files.")
                        % {"n": settings.SURVEY_IMPORT_MAX_ROWS},
                    )
                rows.append(record)
        except csv.Error:
            return (
                [],
                [],
                _(
                    "Line %(line)s could not be read as CSV: a quote may be left open, or a cell "
                    "is longer than %(n)s characters."
                )
                % {"line": reader.line_num, "n": settings.SURVEY_IMPORT_MAX_CELL_CHARS},
            )
    return header, rows, ""


def _decode(raw: bytes) -> tuple[str, str]:
    """The text of the file and an error message ("" when it is readable)."""
    if b"\x00" in raw:
        return "", _(
            "The file contains NUL bytes, so it is not plain text (a spreadsheet file?). "
            "Save it as “CSV UTF-8” and try again."
        )
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")


def import_paper_responses(*, version: SurveyVersion, file, by, request=None) -> ImportReport:
    """Import a CSV of paper responses. Each row is all-or-nothing; the report lists rejections.

    The file is refused whole (nothing imported) when it is too large (checked before it is
    read, and never more than the limit is read), not UTF-8 text, not CSV, has too many rows
    or columns, or cells past the size limit."""
    report = ImportReport()
    max_bytes = settings.SURVEY_IMPORT_MAX_BYTES
    raw = file.read(max_bytes + 1) if file.size <= max_bytes else b""
    if not raw and file.size > max_bytes or len(raw) > max_bytes:
        report.error = file_too_large_message()
        return report
    text, report.error = _decode(raw)
    if report.error:
        return report
    structure = version_structure(version)
    tasks = list(Task.objects.filter(is_active=True).order_by("order"))
    header, records, report.error = _read_rows(text, template_columns(structure, tasks))
    if report.error:
        return report
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) > len(header):
            report.rejected.append((number, [_("This row has more cells than the first line.")]))
            continue
        row = dict(zip(header, record, strict=False))
        problems = _formula_cells(row)
        if problems:
            report.rejected.append((number, problems))
            continue
        try:
            with transaction.atomic():
                problems = _import_row(row, structure, tasks, by)
                if problems:
                    raise _RowRejected(problems)
        except _RowRejected as rejected:
            report.rejected.append((number, rejected.problems))
        else:
            report.accepted += 1
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=version,
        details={
            "paper_import": True,
            "accepted": report.accepted,
            "rejected": len(report.rejected),
        },
        request=request,
    )
    return report


class _RowRejected(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems
