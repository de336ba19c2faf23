"""Documents that leave the system: the return plan (PAT, Bijlage 5) and the updated risk
analysis (Bijlage 7) as HTML and PDF/A, in English and Dutch, laid out like the book's forms.

Pure rendering: the service decides who may export what and reads the document; this package
only fills the form. Add a kind with a template in `templates/` and an entry in `FORMS`."""

from engine.export._reading import Line, day_in_words, readable
from engine.export._registry import (
    FORMATS,
    FORMS,
    KINDS,
    LANGS,
    Form,
    attachment_headers,
    check_options,
    client_copy,
    form,
)
from engine.export._render import PDF_VARIANT, Exported, Source, render, render_html
from engine.export._words import VOCABULARIES, literal_of

__all__ = [
    "FORMATS",
    "FORMS",
    "KINDS",
    "LANGS",
    "PDF_VARIANT",
    "VOCABULARIES",
    "Exported",
    "Form",
    "Line",
    "Source",
    "attachment_headers",
    "check_options",
    "client_copy",
    "day_in_words",
    "form",
    "literal_of",
    "readable",
    "render",
    "render_html",
]
