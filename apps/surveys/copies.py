"""The copy of their own answers a respondent keeps: a PDF built with reportlab."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Response
from .selectors import CopyPage


def _text(value: str) -> str:
    """Escape for reportlab's mini-markup; the standard fonts cover Latin-1 (Spanish too)."""
    safe = str(value).encode("cp1252", "replace").decode("cp1252")
    return escape(safe).replace("\n", "<br/>")


def answers_pdf_bytes(response: Response, pages: list[CopyPage]) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buffer = BytesIO()
    title = response.version.survey.tr("title")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        title=f"{_('My answers')}: {title}",
        author=settings.SITE_NAME,
        lang=(response.language or "en")[:2],
    )
    when = response.submitted_at or timezone.now()
    story = [
        Paragraph(_text(_("My answers")), styles["Title"]),
        Paragraph(_text(title), styles["Heading2"]),
        Paragraph(
            _text(
                _("Sent on %(date)s. Your email address is not part of this copy.")
                % {"date": formats.date_format(timezone.localtime(when), "DATE_FORMAT")}
            ),
            styles["BodyText"],
        ),
        Spacer(1, 0.2 * inch),
    ]
    for page in pages:
        story.append(Paragraph(_text(page.title), styles["Heading3"]))
        for item in page.items:
            story.append(Paragraph(f"<b>{_text(item.question)}</b>", styles["BodyText"]))
            story.append(Paragraph(_text("; ".join(item.answers)), styles["BodyText"]))
            story.append(Spacer(1, 0.08 * inch))
    doc.build(story)
    return buffer.getvalue()
