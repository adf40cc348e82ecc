"""Exporters of survey data: one row per response (with its codebook), respondent contacts.

Registered with the exporter framework (`apps.core.exporting.register`); the exports app runs them.
"""

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.csvsafe import neutralize
from apps.core.exporting import Column, Exporter, register, streaming_reads
from apps.core.roles import Role as StaffRole

from .conditions import condition_met
from .models import (
    Answer,
    Collector,
    Question,
    RespondentContact,
    Response,
    Role,
    SurveyVersion,
    Task,
    TaskRating,
)
from .qtypes import qtype
from .qtypes.base import slug as _slug
from .scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES, state_names_en
from .selectors import AnswerRow, Structure, version_structure

CHUNK = 2000
STATUS_CODES = (
    ("complete", "complete"),
    ("in_progress", "started, not submitted"),
    ("screened_out", "ended at the eligibility questions"),
)
FIXED_COLUMNS = 18


def _responses(options: dict) -> QuerySet[Response]:
    """The responses the figures count under the export's filters."""
    from apps.surveys.filters import filtered_responses

    return filtered_responses(options.get("filters") or {})


def _all_matching(options: dict) -> QuerySet[Response]:
    """Every response matching the export's filters, counted in the figures or not (the
    status, excluded, flag and counted columns say which and why)."""
    from apps.surveys.filters import matching_responses

    return matching_responses(options.get("filters") or {})


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _bit(value: bool | None):
    return None if value is None else int(value)


def _values_text(pairs) -> str:
    return "; ".join(f"{code} = {label}" for code, label in pairs)


def _by_response(rows) -> Iterator[tuple[int, list[tuple]]]:
    """(response id, its rows) from rows ordered by response id (the first item of each)."""
    for response_id, group in itertools.groupby(rows, key=itemgetter(0)):
        yield response_id, list(group)


class _Follower:
    """Walks rows ordered by response id in step with the responses (merge join)."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self._rows = rows
        self._groups = _by_response(rows)
        self._next = next(self._groups, None)

    def close(self) -> None:
        """Close the database cursor now, even when the responses ran out first."""
        self._groups.close()
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def take(self, response_id: int) -> list[tuple]:
        while self._next is not None and self._next[0] < response_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == response_id:
            rows = self._next[1]
            self._next = next(self._groups, None)
            return rows
        return []


@dataclass
class _Col:
    name: str
    signature: tuple
    question: str = ""
    type: str = ""
    values: dict = field(default_factory=dict)
    notes: str = ""
    versions: set = field(default_factory=set)


@dataclass
class _Item:
    """Where one question of one version writes its answers in the row."""

    question: Question
    main: int | None = None  # single choice, scale, yes/no, number, text; state for state_zip
    other: int | None = None  # "other, please specify" text; ZIP3 for state_zip
    by_choice: dict[int, int] = field(default_factory=dict)  # multi choice, time use
    fill: Callable | None = None  # the type's export_fill (apps/surveys/qtypes)


class _Fill(NamedTuple):
    """What a type's export_fill needs beside the answers: see QuestionType.export_fill."""

    labels: bool
    choices: dict
    is_shown: Callable


@dataclass
class _Plan:
    """One version's items, and what filling a row needs of its structure, worked out once
    per export instead of once per response: each question's key and condition-value
    function (what `answer_values` looks up per answer), the pages without a condition and
    those with one, and each item's fill function and question id."""

    structure: Structure
    items: list[_Item] = field(default_factory=list)
    value_of: dict[int, tuple] = field(default_factory=dict)
    open_pages: frozenset = frozenset()
    conditional_pages: list[tuple] = field(default_factory=list)
    steps: list[tuple] = field(default_factory=list)

    def prepare(self) -> None:
        structure = self.structure
        self.value_of = {
            qid: (q.key, qtype(q).condition_value, q) for qid, q in structure.question_by_id.items()
        }
        self.open_pages = frozenset(p.pk for p in structure.pages if not p.condition)
        self.conditional_pages = [(p.pk, p.condition) for p in structure.pages if p.condition]
        self.steps = [(item.fill, item, item.question.pk) for item in self.items]

    def values(self, answers: list[AnswerRow]) -> dict[str, set[str]]:
        """`selectors.answer_values(answers, structure)`, with the lookups done beforehand."""
        values: dict[str, set[str]] = {}
        value_of, choice_by_id = self.value_of, self.structure.choice_by_id
        for answer in answers:
            spec = value_of.get(answer.question_id)
            if spec is None:
                continue
            value = spec[1](spec[2], answer, choice_by_id)
            if value is not None:
                values.setdefault(spec[0], set()).add(value)
        return values


class _Layout:
    """The union of the columns of every version in the export, in page order, each column
    keeping its place whatever the skip logic; and where each version's answers go."""

    def __init__(self, versions: list[SurveyVersion], *, labels: bool) -> None:
        self.labels = labels
        self.cols: dict[str, _Col] = {}
        self.position: dict[str, int] = {}
        self.plans: dict[int, _Plan] = {}
        self.task_positions: dict[int, tuple[int, int, int]] = {}
        self._tasks: list[Task] | None = None
        self.version_numbers = sorted({v.number for v in versions})
        self._fixed_columns()
        for version in versions:
            self._add_version(version)

    @property
    def width(self) -> int:
        return len(self.position)

    def add(self, name: str, signature: tuple, version: int | None = None, **meta) -> int:
        """The position of column `name`, created on first use. A column of the same name
        that means something else (same key, other type in another version) gets a suffix."""
        candidate, n = name, 1
        while candidate in self.cols and self.cols[candidate].signature != signature:
            n += 1
            candidate = f"{name}_v{version}" if n == 2 else f"{name}_v{version}_{n}"
        col = self.cols.get(candidate)
        if col is None:
            values = meta.pop("values", {})
            col = self.cols[candidate] = _Col(candidate, signature, values=dict(values), **meta)
            self.position[candidate] = len(self.position)
        else:
            for code, label in meta.get("values", {}).items():
                col.values.setdefault(code, label)
        if version is not None:
            col.versions.add(version)
        return self.position[candidate]

    def columns(self) -> list[Column]:
        out = []
        for col in self.cols.values():
            notes = col.notes
            if col.versions and col.versions != set(self.version_numbers):
                asked = ", ".join(str(n) for n in sorted(col.versions))
                only = f"asked in survey version(s) {asked} only"
                notes = f"{notes}; {only}" if notes else only
            out.append(
                Column(
                    name=col.name,
                    question=col.question,
                    type=col.type,
                    values=_values_text(col.values.items()),
                    notes=notes,
                )
            )
        return out

    # --- building ---

    def _fixed_columns(self) -> None:
        fixed = [
            ("response_id", "Response number (internal id)", "integer", {}, ""),
            ("version", "Survey version the response answered", "integer", {}, ""),
            ("collector", "Partner link the respondent came by", "text", {}, "blank = no link"),
            ("channel", "Distribution channel", "code", dict(Collector.Channel.choices), ""),
            ("language", "Language the survey was taken in", "code", {"en": "English", "es": "Spanish"}, ""),  # noqa: E501
            ("submitted_at", "When the response was submitted", "date-time (ISO 8601)", {}, ""),
            ("duration_seconds", "Seconds from start to submission", "integer", {}, ""),
            ("flag_too_fast", "Flag: completed too fast", "0/1", {1: "yes", 0: "no"}, ""),
            ("flag_duplicate", "Flag: possible duplicate", "0/1", {1: "yes", 0: "no"}, ""),
            ("flag_staff_entered", "Entered by staff from paper", "0/1", {1: "yes", 0: "no"}, ""),
            ("profile_role", "Main role (copied from the answers, for filtering)", "code",
             {r.slug: r.label_en for r in Role.objects.order_by("order", "slug")}, ""),
            ("profile_setting", "Main setting (copied from the answers, for filtering)", "code",
             {}, "see the setting question"),
            ("profile_state", "State (copied from the answers, for filtering)", "code",
             state_names_en(), ""),
            ("status", "Status of the response", "code", dict(STATUS_CODES),
             "only complete responses are counted in the figures"),
            ("started_at", "When the response was started", "date-time (ISO 8601)", {},
             "unfinished responses are dated by this, complete ones by submitted_at"),
            ("last_page", "Key of the last page the respondent saved", "text", {},
             "pages are matched across survey versions by this key (completion funnel)"),
            ("excluded", "Excluded by staff", "0/1", {1: "yes", 0: "no"},
             "excluded responses are never counted in the figures"),
            ("counted", "Counted in the figures under this export's filters", "0/1",
             {1: "yes", 0: "no"},
             "1 = status complete, excluded 0, not a volunteer (the eligibility answer "
             "'volunteer': the SOC covers paid work), and flag_too_fast and flag_duplicate 0 "
             "unless the export included flagged responses; the completion funnel also counts "
             "in_progress rows that are not excluded and not of a volunteer (and not flagged, "
             "the same way)"),
        ]  # fmt: skip
        for name, question, kind, values, notes in fixed:
            sig = ("fixed", name)
            self.add(name, sig, question=question, type=kind, values=values, notes=notes)

    def _tasks_list(self) -> list[Task]:
        if self._tasks is None:
            self._tasks = list(Task.objects.order_by("order", "code"))
        return self._tasks

    def _add_version(self, version: SurveyVersion) -> None:
        structure = version_structure(version)
        plan = self.plans[version.pk] = _Plan(structure=structure)
        n = version.number
        for page in structure.pages:
            for q in page.question_list:
                handler = qtype(q)
                item = _Item(question=q, fill=handler.export_fill)
                if not handler.export_columns(self, q, item, n):
                    continue
                plan.items.append(item)
        plan.prepare()

    def _task_columns(self, n: int) -> None:
        for task in self._tasks_list():
            retired = "" if task.is_active else "; task no longer in use"
            code = _slug(task.code)
            self.task_positions[task.pk] = (
                self.add(
                    f"{code}_relevant",
                    ("task", task.code, "relevant"),
                    n,
                    question=f"{task.text_en} [part of the job?]",
                    type="0/1",
                    values={1: "part of the job", 0: "not part of the job"},
                    notes=f"blank = not rated (task not shown or left unrated){retired}",
                ),
                self.add(
                    f"{code}_importance",
                    ("task", task.code, "importance"),
                    n,
                    question=f"{task.text_en} [importance]",
                    type="number",
                    values=dict(IMPORTANCE_CHOICES),
                    notes=f"blank unless relevant = 1{retired}",
                ),
                self.add(
                    f"{code}_frequency",
                    ("task", task.code, "frequency"),
                    n,
                    question=f"{task.text_en} [frequency]",
                    type="number",
                    values=dict(FREQUENCY_CHOICES),
                    notes=f"blank unless relevant = 1{retired}",
                ),
            )

    # --- filling ---

    def fill_answers(self, row: list, plan: _Plan, answers: list[AnswerRow]) -> None:
        values = plan.values(answers)
        shown: list[frozenset] = []

        def is_shown(q) -> bool:
            # The pages shown on this response's path, worked out on first use only.
            if not shown:
                conditional = plan.conditional_pages
                shown.append(
                    plan.open_pages.union(pk for pk, c in conditional if condition_met(c, values))
                )
            return q.page_id in shown[0] and condition_met(q.condition, values)

        by_question: dict[int, list[AnswerRow]] = {}
        for answer in answers:
            by_question.setdefault(answer.question_id, []).append(answer)
        fill = _Fill(labels=self.labels, choices=plan.structure.choice_by_id, is_shown=is_shown)
        get = by_question.get
        for fill_item, item, question_id in plan.steps:
            fill_item(row, item, get(question_id), fill)

    def fill_ratings(self, row: list, ratings: list[tuple]) -> None:
        for _response_id, task_id, is_relevant, importance, frequency in ratings:
            positions = self.task_positions.get(task_id)
            if positions is None:
                continue
            row[positions[0]] = int(is_relevant)
            row[positions[1]] = importance
            row[positions[2]] = frequency


_RESPONSE_FIELDS = (
    "pk",
    "version_id",
    "version__number",
    "collector__name",
    "channel",
    "language",
    "submitted_at",
    "duration_seconds",
    "is_too_fast",
    "is_duplicate",
    "is_staff_entered",
    "role__slug",
    "setting",
    "state",
    "status",
    "started_at",
    "last_page_key",
    "is_excluded",
    "is_eligible_paid",
)


@register
class ResponsesExporter(Exporter):
    """One row per response, every column of its survey version whatever the skip logic,
    with a codebook; no contact details. Three streamed queries, whatever the row count."""

    identifier = "responses"
    verbose_name = _("Survey responses (one row per response, without free text or ZIP3)")
    # Record-level data: Administrators only, every request and download audited. Reviewers
    # get the aggregate figures (dashboards and their CSVs) through the disclosure layer.
    requires_role = StaffRole.ADMINISTRATOR
    includes_personal_data = True
    # Quasi-identifiers (free text such as the employer's name, "other" answers, ZIP3) go
    # in the separate opt-in file (ResponseIdentifiersExporter), never in this one. (None:
    # every column in one file, for tests of the layout only; no registered exporter.)
    quasi_identifiers: bool | None = False
    # The CSV rows built by PostgreSQL (csv_rows); False keeps the Python path (tests).
    sql_csv: bool = True

    def __init__(self) -> None:
        self._layout: _Layout | None = None
        self._keep: list[int] | None = None
        self.sql_plan = None  # the SQL path's plan, once csv_rows made one

    def layout(self, options: dict) -> _Layout:
        if self._layout is None:
            self._layout = _Layout(self._versions(options), labels=bool(options.get("labels")))
        return self._layout

    def _kept(self, layout: _Layout) -> list[int]:
        """Positions of the columns this file holds: everything but the quasi-identifiers,
        or (the opt-in file) the response number and the quasi-identifiers only."""
        if self._keep is None:
            self._keep = [
                index
                for index, col in enumerate(layout.cols.values())
                if self.quasi_identifiers is None
                or index == 0
                or is_quasi_identifier(col) == self.quasi_identifiers
            ]
        return self._keep

    def _versions(self, options: dict) -> list[SurveyVersion]:
        ids = _all_matching(options).order_by().values("version_id").distinct()
        versions = list(
            SurveyVersion.objects.filter(pk__in=ids).select_related("survey").order_by("number")
        )
        if not versions:
            # Nothing matches: still give the columns of the version asked for, or of the
            # published ones, so the empty file has its usual header.
            wanted = (options.get("filters") or {}).get("version")
            found = SurveyVersion.objects.select_related("survey").order_by("number")
            published = found.filter(status=SurveyVersion.Status.PUBLISHED)
            versions = list(found.filter(pk=wanted) if wanted else published)
        return versions

    def columns(self, options: dict) -> list[Column]:
        layout = self.layout(options)
        columns = layout.columns()
        return [columns[i] for i in self._kept(layout)]

    def count(self, options: dict) -> int:
        return _all_matching(options).count()

    def rows(self, options: dict) -> Iterator[list]:
        layout = self.layout(options)
        keep = self._kept(layout)
        for row in self._all_rows(options, layout):
            yield [row[i] for i in keep]

    def csv_rows(self, options: dict) -> Iterator[list] | None:
        """On PostgreSQL: the rows built by the database (apps/surveys/export_sql.py), the
        same cells `rows` gives after the CSV writer's formatting; None elsewhere, or when
        the layout holds something the SQL path does not reproduce."""
        from django.db import connection

        from . import export_sql

        if connection.vendor != "postgresql" or not self.sql_csv:
            return None
        layout = self.layout(options)
        keep = self._kept(layout)
        sql_plan = self.sql_plan = export_sql.plan(layout, keep, options, FIXED_COLUMNS)
        if sql_plan is None:
            return None
        flagged = bool((options.get("filters") or {}).get("flagged"))
        sql_plan.python_row = lambda alias, pk: self._python_row(layout, alias, pk, flagged)
        names = list(layout.cols)
        header = [neutralize(names[i]) for i in keep]
        matching = _all_matching(options).filter(version_id__in=list(layout.plans)).order_by()
        return export_sql.rows(sql_plan, header, matching.values_list(*_RESPONSE_FIELDS), options)

    def _python_row(self, layout: _Layout, alias: str, pk: int, flagged: bool) -> list:
        """One response's row the Python way (`_rows`), as the CSV writer formats it
        (`_csv_row`), read on `alias` (the SQL path's snapshot)."""
        from apps.core.exporting import _csv_row

        record = Response.objects.using(alias).filter(pk=pk).values_list(*_RESPONSE_FIELDS)
        answers = (
            Answer.objects.using(alias)
            .filter(response_id=pk)
            .order_by("response_id", "id")
            .values_list("response_id", *AnswerRow._fields)
        )
        ratings = (
            TaskRating.objects.using(alias)
            .filter(response_id=pk)
            .order_by("response_id", "id")
            .values_list("response_id", "task_id", "is_relevant", "importance", "frequency")
        )
        rows = self._rows(
            layout, iter(list(record)), _Follower(iter(list(answers))),
            _Follower(iter(list(ratings))), flagged,
        )  # fmt: skip
        row = next(rows)
        return _csv_row([row[i] for i in self._kept(layout)])

    def _all_rows(self, options: dict, layout: _Layout) -> Iterator[list]:
        yield list(layout.cols)
        with streaming_reads() as alias:
            matching = (
                _all_matching(options)
                .using(alias)
                .filter(version_id__in=list(layout.plans))
                .order_by()
            )
            ids = matching.values("pk")
            responses = (
                matching.order_by("pk").values_list(*_RESPONSE_FIELDS).iterator(chunk_size=CHUNK)
            )
            answers = _Follower(
                Answer.objects.using(alias)
                .filter(response_id__in=ids)
                .order_by("response_id", "id")
                .values_list("response_id", *AnswerRow._fields)
                .iterator(chunk_size=CHUNK)
            )
            ratings = _Follower(
                TaskRating.objects.using(alias)
                .filter(response_id__in=ids)
                .order_by("response_id", "id")
                .values_list("response_id", "task_id", "is_relevant", "importance", "frequency")
                .iterator(chunk_size=CHUNK)
            )
            flagged = bool((options.get("filters") or {}).get("flagged"))
            try:
                yield from self._rows(layout, responses, answers, ratings, flagged)
            finally:
                answers.close()
                ratings.close()
                responses.close()

    @staticmethod
    def _rows(layout, responses, answers, ratings, flagged: bool) -> Iterator[list]:
        from apps.surveys.filters import is_counted

        width = layout.width
        for record in responses:
            (pk, version_id, number, collector, channel, language, submitted, duration,
             too_fast, duplicate, staff, role, setting, state, status, started, last_page,
             excluded, paid) = record  # fmt: skip
            counted = is_counted(
                status=status,
                is_excluded=excluded,
                is_flagged=too_fast or duplicate,
                flagged=flagged,
                is_volunteer=paid is False,
            )
            row = [None] * width
            row[:FIXED_COLUMNS] = [
                pk, number, collector, channel, language, _iso(submitted), duration,
                int(too_fast), int(duplicate), int(staff), role, setting, state,
                status, _iso(started), last_page, int(excluded), int(counted),
            ]  # fmt: skip
            layout.fill_answers(
                row, layout.plans[version_id], [AnswerRow(*a[1:]) for a in answers.take(pk)]
            )
            layout.fill_ratings(row, ratings.take(pk))
            yield row


def is_quasi_identifier(col: _Col) -> bool:
    """Free text typed by the respondent (names such as the employer's, job titles, "other"
    answers, open answers) and the ZIP3: with a role and a state they single people out."""
    return bool(col.signature) and col.signature[0] == "q" and col.type == "text"


@register
class ResponseIdentifiersExporter(ResponsesExporter):
    """The opt-in second file: response number, free text and ZIP3 (Administrators)."""

    identifier = "responses_identifiers"
    verbose_name = _("Survey responses: free text and ZIP3 (quasi-identifiers, opt-in file)")
    quasi_identifiers = True


@register
class ContactsExporter(Exporter):
    """Email addresses respondents left, with their response number (Administrators only)."""

    identifier = "contacts"
    verbose_name = _("Respondent contacts (email addresses)")
    requires_role = StaffRole.ADMINISTRATOR
    includes_personal_data = True

    def _contacts(self, options: dict) -> QuerySet[RespondentContact]:
        return RespondentContact.objects.filter(response_id__in=_responses(options).values("pk"))

    def columns(self, options: dict) -> list[Column]:
        return [
            Column("response_id", "Response number (internal id)", "integer"),
            Column("email", "Email address the respondent gave", "text", notes="personal data"),
            Column(
                "wants_follow_up",
                "Agreed to be contacted for follow-up",
                "0/1",
                values=_values_text([(1, "yes"), (0, "no")]),
            ),
        ]

    def count(self, options: dict) -> int:
        return self._contacts(options).count()

    def rows(self, options: dict) -> Iterator[list]:
        yield [column.name for column in self.columns(options)]
        contacts = (
            self._contacts(options)
            .order_by("response_id")
            .values_list("response_id", "email", "wants_follow_up")
            .iterator(chunk_size=CHUNK)
        )
        for response_id, email, wants_follow_up in contacts:
            yield [response_id, email, _bit(wants_follow_up)]
