"""The draft as a file to keep: plain text (UTF-8) or a Word document."""

import io

from docx import Document
from docx.shared import Pt


def as_txt(text: str) -> bytes:
    # Windows line ends and a byte-order mark, so Notepad shows accents and lines correctly.
    return "\ufeff".encode() + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def as_docx(text: str, *, title: str) -> bytes:
    """One paragraph per line group; list lines stay separate paragraphs."""
    document = Document()
    document.core_properties.title = title
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = block.split("\n")
        if not any(line.strip() for line in lines):
            continue
        paragraph = document.add_paragraph()
        for i, line in enumerate(lines):
            run = paragraph.add_run(_xml_safe(line))
            if i < len(lines) - 1:
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xml_safe(value: str) -> str:
    """Drop the control characters XML cannot hold (Word would refuse the file)."""
    return "".join(
        c
        for c in value
        if c in "\t\n"
        or ord(c) >= 32
        and not 0xD800 <= ord(c) <= 0xDFFF
        and c not in "\ufffe\uffff"
    )
