"""Every evidence block says where its figures come from: the dashboard view with the same
filters (a link a reader can follow to the same figure) and when they were computed, with
the data stamp, on the staff page, the version page, the public draft, the DOCX and the PDF;
the crosswalk's fit column is labelled with its own scale."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import docx
import pytest
from django.test import Client

from apps.proposals import evidence, exporting, services
from apps.proposals.models import EvidenceBlock

from .test_exports import _pdf_text

pytestmark = pytest.mark.django_db

FILTERS = {"role": "frontline", "state": "CA"}


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def block(proposal, data, editor):
    section = proposal.sections.get(key="distinctness")
    return services.evidence_block_add(
        section=section, kind=EvidenceBlock.Kind.CROSSWALK, filters=FILTERS, options={}, by=editor
    )


def _dashboard_links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a href="([^"]+)" data-dashboard-link>', html)]


def _same_view(url: str) -> None:
    parts = urlsplit(url)
    assert parts.path == "/staff/insights/crosswalk/"
    assert dict(parse_qsl(parts.query)) == FILTERS


def test_block_links_to_the_dashboard_with_the_same_filters_everywhere(
    proposal, block, editor, client, django_capture_on_commit_callbacks
):
    stamp = evidence.short_stamp(block.data_stamp)
    assert len(stamp) == 12
    client.force_login(editor)
    staff = client.get(block.section.get_absolute_url()).content.decode()
    (link,) = _dashboard_links(staff)
    _same_view(link)
    assert stamp in staff and "Figures computed" in staff

    version = services.version_save(proposal=proposal, note="", by=editor)
    version_page = client.get(version.get_absolute_url()).content.decode()
    (link,) = _dashboard_links(version_page)
    _same_view(link)
    assert stamp in version_page

    services.version_publish(version=version, by=editor)
    public = Client().get(f"/proposal/draft/{version.number}/").content.decode()
    (link,) = _dashboard_links(public)
    _same_view(link)
    assert stamp in public

    # Following the link shows the same figure the block holds.
    dashboard = unescape(client.get(link).content.decode())
    first = block.snapshot["tables"][0]["rows"][0]
    assert first[0] in dashboard and f">{first[1]}<" in dashboard

    for fmt in ("docx", "pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            job = exporting.proposal_export_request(version=version, format=fmt, by=editor)
        job.refresh_from_db()
        path = exporting.proposal_export_file(job)
        if fmt == "docx":
            text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        else:
            text = _pdf_text(path)
        assert "http://" in text and "/staff/insights/crosswalk/?" in text, fmt
        assert "role=frontline" in text and "state=CA" in text, fmt
        assert stamp in text and "figures computed" in text, fmt


def test_crosswalk_fit_is_labelled_with_its_own_scale(block, editor, client):
    assert block.snapshot["tables"][0]["scales"] == {"fit": [1, 4]}
    assert evidence.column_label("fit", block.snapshot["tables"][0]) == "Mean fit (1–4)"
    client.force_login(editor)
    page = client.get(block.section.get_absolute_url()).content.decode()
    assert "Mean fit (1–4)" in page and "1–5" not in page
    dashboard = client.get("/staff/insights/crosswalk/").content.decode()
    assert "How well it fits (mean, 1–4)" in dashboard


def test_blocks_round_like_the_dashboards(proposal, build, editor, client):
    """A mean importance of 3.925 (157 / 40) is 3.93 on the dashboard, in its CSV and in the
    block (rounding the binary float, as the blocks did, gave 3.92)."""
    assert f"{157 / 40:.2f}" == "3.92"  # the old way
    for i in range(40):
        build(ratings={"T05": (True, 4 if i < 37 else 3, 5)})
    section = proposal.sections.get(key="tasks")
    block = services.evidence_block_add(
        section=section, kind=EvidenceBlock.Kind.TASKS, filters={}, options={}, by=editor
    )
    row = next(r for r in block.snapshot["tables"][0]["rows"] if r[0].startswith("T05"))
    assert row[3].split(" ")[0] == "3.93"
    client.force_login(editor)
    duties = client.get("/staff/insights/duties/").content.decode()
    assert re.search(r"T05</a>.*?<td[^>]*>3\.93", duties, re.S)
    csv_text = client.get("/staff/insights/duties/", {"format": "csv"}).content.decode()
    t05 = next(line for line in csv_text.splitlines() if line.startswith("T05"))
    assert ",3.93," in t05


def test_spanish_readers_get_decimal_commas_in_blocks_and_codes_stay_as_they_are():
    from django.utils import translation

    from apps.proposals.templatetags.proposal_tags import localized_figures

    with translation.override("es"):
        assert localized_figures("3.93 (3.80–4.06)") == "3,93 (3,80–4,06)"
        assert localized_figures("66.996") == "66,996"
        assert localized_figures("<5") == "<5" and localized_figures("39-9011") == "39-9011"
        assert localized_figures("12") == "12"
    assert localized_figures("3.93 (3.80–4.06)") == "3.93 (3.80–4.06)"
