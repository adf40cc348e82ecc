"""Paper responses typed into a CSV template by staff, validated row by row like the web form."""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .forms import SurveyPageForm, task_field
from .models import Question, Response, SurveyVersion, Task
from .selectors import Structure, version_structure
from .services import response_page_save, response_start, response_submit

MULTI_SEPARATOR = ";"
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
            if q.type == Question.Type.STATE_ZIP:
                columns += [f"{q.key}__state", f"{q.key}__zip3"]
            elif q.type == Question.Type.TIME_USE:
                columns += [f"{q.key}__{c.value}" for c in q.choice_list]
            elif q.type == Question.Type.TASK_MATRIX:
                for task in tasks:
                    columns += [task_field(task, p) for p in ("rel", "imp", "freq")]
            else:
                columns.append(q.key)
                if any(c.is_other for c in q.choice_list):
                    columns.append(f"{q.key}__other")
    return columns


def _row_data(row: dict[str, str], structure: Structure) -> MultiValueDict:
    data = MultiValueDict()
    multi = {q.key for q in structure.questions.values() if q.type == Question.Type.MULTI_CHOICE}
    for column, raw in row.items():
        if column is None:
            continue
        value = (raw or "").strip()
        if column in multi:
            data.setlist(column, [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()])
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


def import_paper_responses(*, version: SurveyVersion, file, by, request=None) -> ImportReport:
    """Import a CSV of paper responses. Each row is all-or-nothing; the report lists rejections."""
    report = ImportReport()
    if file.size > settings.SURVEY_IMPORT_MAX_BYTES:
        report.error = _("The file is larger than %(mb)s MB. Split it into smaller files.") % {
            "mb": settings.SURVEY_IMPORT_MAX_BYTES // 1_000_000
        }
        return report
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error = _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        return report
    reader = csv.DictReader(io.StringIO(text))
    structure = version_structure(version)
    tasks = list(Task.objects.filter(is_active=True).order_by("order"))
    if not reader.fieldnames or LANGUAGE_COLUMN not in reader.fieldnames:
        report.error = _("The first line must be the template's column names.")
        return report
    unknown = set(reader.fieldnames) - set(template_columns(structure, tasks))
    if unknown:
        report.error = _("Unknown columns: %(names)s") % {"names": ", ".join(sorted(unknown))}
        return report
    try:
        for number, row in enumerate(reader, start=2):
            if number - 1 > settings.SURVEY_IMPORT_MAX_ROWS:
                report.error = _("Only the first %(n)s rows were read.") % {
                    "n": settings.SURVEY_IMPORT_MAX_ROWS
                }
                break
            try:
                with transaction.atomic():
                    problems = _import_row(row, structure, tasks, by)
                    if problems:
                        raise _RowRejected(problems)
            except _RowRejected as rejected:
                report.rejected.append((number, rejected.problems))
            else:
                report.accepted += 1
    except csv.Error as error:
        report.error = _("The file could not be read as CSV: %(error)s") % {"error": error}
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
