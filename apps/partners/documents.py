"""A link's QR code (SVG, from the qrcode package) and its printable one-page flyer (PDF,
reportlab), with the text in English and Spanish on the same page."""

import io

import qrcode
import qrcode.image.svg
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

from apps.surveys.stated_time import survey_stated_range


def qr_svg(url: str) -> bytes:
    """The URL as a QR code in SVG (paths only, scales to any size)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _texts(language: str, name: str, ends_on, survey=None) -> dict:
    with translation.override(language):
        # The time the survey's landing page states, in this language.
        low, high = (survey_stated_range(survey) if survey is not None else None) or (0, 0)
        return {
            "title": _("Your work counts. Tell us what you do."),
            "body": (
                _(
                    "Take the %(minutes)s-minute survey for people who work with children and "
                    "youth outside school hours. Your answers help make the case for an "
                    "occupation code of our own. Anonymous; on a phone is fine."
                )
                % {"minutes": high}
                if high and low == high
                else _(
                    "Take the survey for people who work with children and youth outside "
                    "school hours (%(low)s to %(high)s minutes). Your answers help make the "
                    "case for an occupation code of our own. Anonymous; on a phone is fine."
                )
                % {"low": low, "high": high}
                if high
                else _(
                    "Take the survey for people who work with children and youth outside "
                    "school hours. Your answers help make the case for an occupation code of "
                    "our own. Anonymous; on a phone is fine."
                )
            ),
            "scan": _("Scan the code or type the address:"),
            "until": _("Open until %(date)s") % {"date": ends_on.isoformat()} if ends_on else "",
        }


def flyer_pdf(*, url: str, name: str, ends_on, survey=None) -> bytes:
    """One US Letter page: the QR code, the address, and the call in English and Spanish
    (with the time the survey's landing page states in each, when `survey` is given)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, pageCompression=1)
    pdf.setTitle(name)
    width, height = letter
    y = height - 0.9 * inch
    for language in ("en", "es"):
        texts = _texts(language, name, ends_on, survey)
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawCentredString(width / 2, y, texts["title"])
        y -= 0.35 * inch
        pdf.setFont("Helvetica", 12)
        for line in _wrap(texts["body"], 80):
            pdf.drawCentredString(width / 2, y, line)
            y -= 0.22 * inch
        y -= 0.25 * inch
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 3.2 * inch
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, (width - size) / 2, y - size)
    y -= size + 0.35 * inch
    pdf.setFont("Helvetica", 12)
    en, es = _texts("en", name, ends_on), _texts("es", name, ends_on)
    pdf.drawCentredString(width / 2, y, f"{en['scan']} / {es['scan']}")
    y -= 0.3 * inch
    pdf.setFont("Courier-Bold", 13)
    pdf.drawCentredString(width / 2, y, url)
    y -= 0.4 * inch
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(width / 2, y, name)
    if en["until"]:
        y -= 0.22 * inch
        pdf.drawCentredString(width / 2, y, f"{en['until']} / {es['until']}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines
