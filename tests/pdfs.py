"""Reading exported PDFs back, as a reader would: their text, their pages as PNG images (kept
in tests/artifacts/ to look at), and the PDF/A claim in their metadata."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pypdfium2 as pdfium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def pdf_text(content: bytes) -> str:
    """All pages' text, with every run of white space (line breaks too) made one space.
    PDFium gives a hyphen it may break a line at as U+FFFE; it is a hyphen again here."""
    doc = pdfium.PdfDocument(content)
    try:
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return " ".join(text.replace("\ufffe", "-").split())


def save_pages(content: bytes, stem: str, scale: float = 1.5) -> list[Path]:
    """Each page as `tests/artifacts/<stem>-page<N>.png`; the paths, in page order."""
    ARTIFACTS.mkdir(exist_ok=True)
    doc = pdfium.PdfDocument(content)
    paths = []
    try:
        for i in range(len(doc)):
            path = ARTIFACTS / f"{stem}-page{i + 1}.png"
            doc[i].render(scale=scale).to_pil().save(path)
            paths.append(path)
    finally:
        doc.close()
    return paths


def pdfa_claim(content: bytes) -> tuple[str, str] | None:
    """(part, conformance) from the XMP metadata, e.g. ("3", "B"), when the file also has
    the PDF/A output intent it needs; None otherwise."""
    streams = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    everything = b"\n".join(streams)
    part = re.search(rb'pdfaid:part(?:="|>)(\w+)', everything)
    level = re.search(rb'pdfaid:conformance(?:="|>)(\w+)', everything)
    if part is None or level is None or b"/GTS_PDFA1" not in everything:
        return None
    return part.group(1).decode(), level.group(1).decode()
