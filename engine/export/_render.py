"""Render an exported document: the form's Jinja2 template filled from the document, as HTML
for the screen and, from the very same HTML, as PDF/A-3b through WeasyPrint. Nothing is
fetched: the style sheet is in the page, fonts are the machine's, and a page asking for any
URL stops the rendering."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from engine.documents import document_model
from engine.domain import short_id
from engine.export._registry import MEDIA_TYPES, form
from engine.export._words import Answers
from engine.i18n import gettext

TEMPLATES = pathlib.Path(__file__).parent / "templates"
PDF_VARIANT = "pdf/a-3b"  # PDF/A-3 level B: archivable, fonts embedded


@dataclass(frozen=True)
class Exported:
    """A rendered export: its bytes, media type and a file name without the client's
    reference."""

    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Source:
    """What an export is filled from: the document as recorded and where it belongs."""

    kind: str
    version: int
    data: dict[str, Any]
    case_id: str
    recorded_on: date
    client_ref: str | None = None  # only on the client's own copy


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV  # built on first use, not at import
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_html(source: Source, lang: str, *, redact: str | None = None) -> str:
    """The filled form as one HTML page (its style inside). `redact` is blanked out of free
    text: the client's reference, in an export that is not her own copy."""
    spec = form(source.kind)
    document = document_model(source.kind).model_validate(source.data)
    answers = Answers(lang, redact=None if source.client_ref else redact)
    template = _env().get_template(spec.template)
    return template.render(
        doc=document,
        a=answers,
        _=gettext(lang),
        lang=lang,
        title=spec.title(lang),
        form_source=spec.source,
        source=source,
        short_id=short_id(source.case_id),
    )


def render(source: Source, fmt: str, lang: str, *, redact: str | None = None) -> Exported:
    """The export in `fmt` (html or pdf)."""
    html = render_html(source, lang, redact=redact)
    copy = "-client-copy" if source.client_ref else ""
    name = f"{source.kind}-{short_id(source.case_id)}-v{source.version}-{lang}{copy}.{fmt}"
    content = html.encode() if fmt == "html" else pdf_of(html)
    return Exported(content=content, media_type=MEDIA_TYPES[fmt], filename=name)


def pdf_of(html: str) -> bytes:
    """The HTML as PDF/A-3b, with no base URL and a fetcher that refuses every URL."""
    from importlib.resources import files

    import weasyprint  # heavy: loaded only when a PDF is made
    from weasyprint.css import ColorProfile
    from weasyprint.urls import URLFetcher

    class _Refuse(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"an export fetches nothing: {url[:80]}")

    # PDF/A needs an output intent. WeasyPrint's own sRGB one leaves its ICC file open (a
    # ResourceWarning on every PDF), so the same profile is read here and closed.
    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        srgb = ColorProfile(icc, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))
    page = weasyprint.HTML(string=html, base_url=None, url_fetcher=_Refuse(fail_on_errors=True))
    pdf: bytes = page.write_pdf(
        pdf_variant=PDF_VARIANT, output_intent=_INTENT, color_profiles={_INTENT: srgb}
    )
    return pdf


_INTENT = "export-srgb"
