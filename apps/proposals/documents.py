"""The submission document of a version, as DOCX (python-docx) or PDF (reportlab).

Both are built from the same pieces: a title page (title, notice citation and docket ID from
the data), each section's text (its sanitized Markdown turned into paragraphs, headings and
lists), the evidence tables exactly as frozen in the version, and a methods note. The
document is in English, the language the SOC Policy Committee reads.
"""

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.text import render_markdown
from apps.insights import formatting
from apps.insights.disclosure import MAX_NOISE

from . import evidence
from .models import EvidenceBlock, ProposalVersion

Run = tuple[str, bool, bool]  # text, bold, italic


class _Blocks(HTMLParser):
    """Sanitized HTML (from render_markdown) to a flat list of (kind, runs) paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[Run]]] = []
        self.kind = "p"
        self.runs: list[Run] = []
        self.bold = self.italic = 0
        self.lists: list[str] = []

    def _flush(self) -> None:
        text = "".join(r[0] for r in self.runs).strip()
        if text:
            self.blocks.append((self.kind, self.runs))
        self.runs, self.kind = [], "p"

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"):
            self._flush()
            self.kind = {"h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h"}.get(tag, tag)
            if tag == "li":
                self.kind = "ol" if self.lists and self.lists[-1] == "ol" else "ul"
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br":
            self.runs.append(("\n", False, False))
        elif tag in ("td", "th") and self.runs:
            self.runs.append((" | ", False, False))

    def handle_endtag(self, tag):
        if tag in ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"):
            self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data):
        if data.strip() or self.runs:
            self.runs.append((data, bool(self.bold), bool(self.italic)))

    def close(self):
        super().close()
        self._flush()


def markdown_blocks(text: str) -> list[tuple[str, list[Run]]]:
    parser = _Blocks()
    parser.feed(str(render_markdown(text)))
    parser.close()
    return parser.blocks


def methods_text(version: ProposalVersion) -> list[str]:
    """The methods note, paragraph by paragraph: in every document and on the public page."""
    m = version.content.get("methods", {})
    return [
        _(
            "Sample: %(n)s complete responses to the practitioner survey, submitted between "
            "%(first)s and %(last)s. Responses flagged as too fast or as possible duplicates "
            "are left out unless a table says otherwise."
        )
        % {
            "n": _cell(m.get("sample_size", "")),
            "first": m.get("first_on", ""),
            "last": m.get("last_on", ""),
        },
        _(
            "Suppression rule: no figure based on fewer than %(k)s respondents is shown. A "
            "hidden count appears as %(mark)s, whether it is under %(k)s or hidden so that "
            "another hidden count cannot be worked out from the total (such a count may be "
            "large); a statistic resting on fewer than %(k)s respondents appears as —."
        )
        % {"k": m.get("k", ""), "mark": formatting.HIDDEN_COUNT},
        _(
            "Noise: a count of %(k)s or more may differ from the exact count by up to "
            "%(noise)s, always the same way for the same group of respondents, so that no "
            "group under %(k)s can be worked out by subtracting one figure from another; "
            "percentages are of the counts shown, so the parts of a table may not add up "
            "exactly to its total. Means, medians and quartiles are moved slightly in the "
            "same way (an importance mean of 200 raters by at most 0.01)."
        )
        % {"k": m.get("k", ""), "noise": MAX_NOISE},
        _(
            "Volunteers: people who do this work only as volunteers answered a short form; "
            "their answers are kept but not counted, as the classification covers paid work."
        ),
        _(
            "Core tasks follow the O*NET rule: at least 67% of the respondents asked about a "
            "task say it is part of their job, and its mean importance is 3.0 or more on a 1–5 "
            "scale. Each respondent is asked about the tasks listed for their main role (and "
            "may add others), so a task's share is among those asked; a table filtered on one "
            "main role shows that role's figures."
        ),
    ]


def _title_lines(version: ProposalVersion) -> list[tuple[str, str]]:
    c = version.content
    lines = []
    if c.get("notice_citation"):
        lines.append((_("In response to"), c["notice_citation"]))
    if c.get("docket_id"):
        lines.append((_("Docket ID"), c["docket_id"]))
    if c.get("submitter"):
        lines.append((_("Submitted by"), c["submitter"]))
    lines.append((_("Version"), f"{version.number} ({version.created_at:%Y-%m-%d})"))
    return lines


def _block_caption(block: dict) -> str:
    label = str(EvidenceBlock.Kind(block["kind"]).label)
    filters = evidence.filters_description(block.get("filters") or {})
    if filters:
        label += " — " + "; ".join(f"{k}: {v}" for k, v in filters)
    else:
        label += " — " + _("all complete responses")
    return label


def _block_source(block: dict) -> str:
    """Where a block's figures come from: the dashboard view with the same filters (an
    absolute link), when they were computed and the data stamp (see evidence.py)."""
    from django.utils.dateparse import parse_datetime

    parts = []
    url = evidence.dashboard_url(block["kind"], block.get("filters") or {}, absolute=True)
    if url:
        parts.append(_("Dashboard view with the same filters: %(url)s") % {"url": url})
    taken = parse_datetime(block.get("taken_at") or "")
    if taken is not None:
        parts.append(_("figures computed %(when)s") % {"when": taken.strftime("%Y-%m-%d %H:%M %Z")})
    if block.get("data_stamp"):
        parts.append(
            _("data stamp %(stamp)s") % {"stamp": evidence.short_stamp(block["data_stamp"])}
        )
    return "; ".join(parts)


def _cell(text) -> str:
    """A written cell; a hidden count as the mark (also in evidence frozen as "<K")."""
    return formatting.HIDDEN_COUNT if formatting.is_hidden_mark(text) else str(text)


def _header(table: dict) -> list[str]:
    return [evidence.column_label(c, table) for c in table["columns"]]


def build_docx(version: ProposalVersion, dest: Path, on_progress: Callable[[int], None]) -> int:
    """Write the version as a Word document; returns the number of sections written."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    with translation.override("en"):
        doc = Document()
        doc.core_properties.title = version.content["title"]["en"]
        doc.add_heading(version.content["title"]["en"], level=0)
        doc.add_paragraph(_("Proposal for a new Standard Occupational Classification occupation"))
        for label, value in _title_lines(version):
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        done = 0
        for number, section in enumerate(version.sections, start=1):
            doc.add_heading(f"{number}. {section['heading_en']}", level=1)
            for kind, runs in markdown_blocks(section["body"]):
                style = {"h": "Heading 3", "ul": "List Bullet", "ol": "List Number"}.get(kind)
                p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
                for text, bold, italic in runs:
                    run = p.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
            for block in section["blocks"]:
                _docx_block(doc, block)
            done += 1
            on_progress(done)
        doc.add_heading(_("Methods note"), level=1)
        for text in methods_text(version):
            doc.add_paragraph(text)
        doc.save(str(dest))
    return done


def _small_font():
    from docx.shared import Pt

    return Pt(8)


def _docx_block(doc, block: dict) -> None:
    snapshot = block["snapshot"]
    doc.add_paragraph().add_run(_block_caption(block)).italic = True
    source = _block_source(block)
    if source:
        doc.add_paragraph().add_run(source).font.size = _small_font()
    if notice := evidence.too_few_text(snapshot):
        doc.add_paragraph(notice)
    for label, value in snapshot.get("facts", []):
        doc.add_paragraph(f"{_(label)}: {_cell(value)}")
    for table in snapshot.get("tables", []):
        if table.get("title"):
            doc.add_paragraph().add_run(_(table["title"])).bold = True
        grid = doc.add_table(rows=1, cols=len(table["columns"]))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, _header(table), strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table["rows"]:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = _cell(text)
        if table.get("total"):
            doc.add_paragraph(_("Total answering: %(n)s") % {"n": _cell(table["total"])})
    if snapshot.get("tables") or snapshot.get("facts"):
        legend = formatting.hidden_legend(snapshot.get("k"))
        doc.add_paragraph().add_run(legend).font.size = _small_font()
    for quote in snapshot.get("quotes", []):
        p = doc.add_paragraph(style="Quote")
        p.add_run(f"“{quote['text']}”")
        who = ", ".join(x for x in (quote.get("role"), quote.get("setting")) if x)
        if who:
            p.add_run(f" — {who}")


def _pdf_text(text: str) -> str:
    """Escape for reportlab's mini-markup, and keep to the standard fonts' character set."""
    from xml.sax.saxutils import escape

    safe = "".join(ch if _encodable(ch) else "?" for ch in str(text))
    return escape(safe).replace("\n", "<br/>")


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def build_pdf(version: ProposalVersion, dest: Path, on_progress: Callable[[int], None]) -> int:
    """Write the version as a PDF laid out like the DOCX; returns the sections written."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    with translation.override("en"):
        title = version.content["title"]["en"]
        story = [
            Spacer(1, 1.5 * inch),
            Paragraph(_pdf_text(title), styles["Title"]),
            Paragraph(
                _pdf_text(_("Proposal for a new Standard Occupational Classification occupation")),
                styles["Heading3"],
            ),
            Spacer(1, 0.3 * inch),
        ]
        for label, value in _title_lines(version):
            story.append(
                Paragraph(f"<b>{_pdf_text(label)}:</b> {_pdf_text(value)}", styles["BodyText"])
            )
        story.append(PageBreak())
        done = 0
        for number, section in enumerate(version.sections, start=1):
            story.append(
                Paragraph(_pdf_text(f"{number}. {section['heading_en']}"), styles["Heading1"])
            )
            for kind, runs in markdown_blocks(section["body"]):
                markup = "".join(_pdf_run(r) for r in runs)
                if kind in ("ul", "ol"):
                    story.append(
                        ListFlowable(
                            [ListItem(Paragraph(markup, styles["BodyText"]))],
                            bulletType="bullet" if kind == "ul" else "1",
                        )
                    )
                else:
                    style = styles["Heading3"] if kind == "h" else styles["BodyText"]
                    story.append(Paragraph(markup, style))
            for block in section["blocks"]:
                snapshot = block["snapshot"]
                story.append(
                    Paragraph(f"<i>{_pdf_text(_block_caption(block))}</i>", styles["BodyText"])
                )
                source = _block_source(block)
                if source:
                    story.append(Paragraph(_pdf_text(source), cell))
                if notice := evidence.too_few_text(snapshot):
                    story.append(Paragraph(_pdf_text(notice), styles["BodyText"]))
                for label, value in snapshot.get("facts", []):
                    story.append(
                        Paragraph(_pdf_text(f"{_(label)}: {_cell(value)}"), styles["BodyText"])
                    )
                for table in snapshot.get("tables", []):
                    if table.get("title"):
                        story.append(
                            Paragraph(f"<b>{_pdf_text(_(table['title']))}</b>", styles["BodyText"])
                        )
                    data = [[Paragraph(f"<b>{_pdf_text(h)}</b>", cell) for h in _header(table)]]
                    data += [
                        [Paragraph(_pdf_text(_cell(c)), cell) for c in row] for row in table["rows"]
                    ]
                    grid = Table(data, repeatRows=1)
                    grid.setStyle(
                        TableStyle(
                            [
                                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ]
                        )
                    )
                    story.append(grid)
                    if table.get("total"):
                        story.append(
                            Paragraph(
                                _pdf_text(
                                    _("Total answering: %(n)s") % {"n": _cell(table["total"])}
                                ),
                                cell,
                            )
                        )
                    story.append(Spacer(1, 6))
                if snapshot.get("tables") or snapshot.get("facts"):
                    legend = formatting.hidden_legend(snapshot.get("k"))
                    story.append(Paragraph(_pdf_text(legend), cell))
                for quote in snapshot.get("quotes", []):
                    who = ", ".join(x for x in (quote.get("role"), quote.get("setting")) if x)
                    text = f"“{quote['text']}”" + (f" — {who}" if who else "")
                    story.append(Paragraph(f"<i>{_pdf_text(text)}</i>", styles["BodyText"]))
            done += 1
            on_progress(done)
        story.append(Paragraph(_pdf_text(_("Methods note")), styles["Heading1"]))
        for text in methods_text(version):
            story.append(Paragraph(_pdf_text(text), styles["BodyText"]))
        SimpleDocTemplate(str(dest), pagesize=LETTER, title=title, author="ostportal").build(story)
    return done


def _pdf_run(run: Run) -> str:
    text, bold, italic = run
    markup = _pdf_text(text)
    if italic:
        markup = f"<i>{markup}</i>"
    if bold:
        markup = f"<b>{markup}</b>"
    return markup


BUILDERS = {"docx": build_docx, "pdf": build_pdf}
