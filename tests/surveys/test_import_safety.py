"""Paper-response CSV imports are size-limited and parsed safely; nothing half-imported."""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.surveys.importing import import_paper_responses
from apps.surveys.models import Response, SurveyVersion

pytestmark = pytest.mark.django_db

GOOD = {
    "language": "es",
    "consent": "yes",
    "eligibility": "volunteer",
    "role": "tutor",
    "job_title": "Tutora",
    "supervises": "no",
    "quote_consent": "internal",
}


@pytest.fixture
def columns(client, survey, administrator):
    client.force_login(administrator)
    reply = client.get(reverse("surveys:paper_template", kwargs={"slug": survey.slug}))
    return next(csv.reader(io.StringIO(reply.content.decode())))


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue().encode()


def _import(survey, administrator, content: bytes):
    version = SurveyVersion.objects.get(survey=survey, status="published")
    upload = SimpleUploadedFile("paper.csv", content, content_type="text/csv")
    return import_paper_responses(version=version, file=upload, by=administrator)


def _post(client, survey, content: bytes, **extra):
    url = reverse("surveys:paper_import", kwargs={"slug": survey.slug})
    upload = SimpleUploadedFile("paper.csv", content, content_type="text/csv")
    return client.post(url, {"file": upload}, **extra)


def test_a_good_file_imports(client, survey, administrator, columns):
    report = _import(survey, administrator, _csv(columns, [GOOD, GOOD]))
    assert (report.accepted, report.rejected, report.error) == (2, [], "")
    assert Response.objects.filter(is_staff_entered=True).count() == 2


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client, survey, administrator, columns, settings
):
    content = _csv(columns, [GOOD] * 5)
    settings.SURVEY_IMPORT_MAX_BYTES = len(content) - 1

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the file was read")

    upload = SimpleUploadedFile("paper.csv", content)
    upload.file = Unreadable(content)
    version = SurveyVersion.objects.get(survey=survey, status="published")
    report = import_paper_responses(version=version, file=upload, by=administrator)
    assert report.error.startswith("The file is larger than")
    assert not Response.objects.exists()


def test_the_upload_itself_stops_at_the_limit_with_a_message_in_the_users_language(
    survey, administrator, columns, settings
):
    settings.SURVEY_IMPORT_MAX_BYTES = 1000
    big = _csv(columns, [{**GOOD, "job_title": "x" * 200}] * 40)
    assert len(big) > 10_000
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(administrator)
    client.cookies["django_language"] = "es"
    reply = _post(client, survey, big)
    assert reply.status_code == 413
    html = reply.content.decode()
    assert "El archivo pesa más de" in html
    # Far past the limit: refused from the request's length, the body is never read.
    huge = _post(client, survey, big * 20)
    assert huge.status_code == 413
    assert "El archivo pesa más de" in huge.content.decode()
    assert not Response.objects.exists()


def test_the_paper_import_still_checks_the_csrf_token(survey, administrator, columns):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    reply = _post(client, survey, _csv(columns, [GOOD]))
    assert reply.status_code == 403
    assert not Response.objects.exists()


def test_nul_bytes_are_refused_with_a_clear_message(survey, administrator, columns):
    report = _import(survey, administrator, _csv(columns, [GOOD]) + b"\x00\x00")
    assert "NUL bytes" in report.error
    assert not Response.objects.exists()


def test_text_that_is_not_utf8_is_refused(survey, administrator, columns):
    content = _csv(columns, [{**GOOD, "job_title": "Maestra de niños"}]).decode()
    report = _import(survey, administrator, content.encode("cp1252"))
    assert "not UTF-8" in report.error
    assert not Response.objects.exists()


def test_a_huge_cell_is_refused_by_the_csv_field_limit(survey, administrator, columns, settings):
    settings.SURVEY_IMPORT_MAX_CELL_CHARS = 500
    report = _import(survey, administrator, _csv(columns, [GOOD, {**GOOD, "job_title": "y" * 600}]))
    assert "Line 3 could not be read as CSV" in report.error
    assert "longer than 500 characters" in report.error
    assert not Response.objects.exists()
    assert csv.field_size_limit() == 131072  # the process-wide limit is restored


def test_an_open_quote_is_refused_not_a_server_error(survey, administrator, columns):
    content = _csv(columns, [GOOD]) + b'es,"yes\n' + b"x" * 200_000
    report = _import(survey, administrator, content)
    assert "could not be read as CSV" in report.error
    assert not Response.objects.exists()


def test_too_many_rows_refuses_the_whole_file(survey, administrator, columns, settings):
    settings.SURVEY_IMPORT_MAX_ROWS = 3
    report = _import(survey, administrator, _csv(columns, [GOOD] * 4))
    assert report.error == "The file has more than 3 rows. Split it into smaller files."
    assert not Response.objects.exists()


def test_too_many_columns_and_extra_cells_are_refused(survey, administrator, columns):
    report = _import(survey, administrator, _csv(columns + ["language"] * len(columns), []))
    assert report.error.startswith(f"The file has {2 * len(columns)} columns")
    report = _import(survey, administrator, _csv(columns + ["spam"], [GOOD]))
    assert report.error == "Unknown columns: spam"
    row = _csv(columns, [GOOD]).decode().splitlines()[1] + ",extra,cells"
    content = _csv(columns, [GOOD]) + row.encode() + b"\n"
    report = _import(survey, administrator, content)
    assert report.accepted == 1
    assert report.rejected == [(3, ["This row has more cells than the first line."])]


def test_formula_looking_cells_are_refused_and_numbers_are_not(survey, administrator, columns):
    rows = [
        {**GOOD, "job_title": '=HYPERLINK("http://evil.example","x")'},
        {**GOOD, "job_title": "@SUM(A1)"},
        {**GOOD, "job_title": "\tTutor"},
        GOOD,
    ]
    report = _import(survey, administrator, _csv(columns, rows))
    assert report.accepted == 1
    assert [number for number, _problems in report.rejected] == [2, 3, 4]
    assert all("spreadsheet formula" in p[0] for _n, p in report.rejected)
    assert not Response.objects.filter(answers__text_value__startswith="=").exists()
    assert AuditEvent.objects.get(details__paper_import=True).details["rejected"] == 3


def test_the_report_escapes_what_the_file_contains(client, survey, administrator, columns):
    reply = _post(client, survey, _csv(columns + ["<script>x</script>"], [GOOD]))
    html = reply.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html


def test_upload_memory_limits_are_sane():
    # Form bodies past this are refused before any view; files past the other go to disk.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    # The paper import's own limit is what a staff member meets first.
    assert settings.SURVEY_IMPORT_MAX_BYTES <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert csv.field_size_limit() > settings.SURVEY_IMPORT_MAX_CELL_CHARS
