"""Which documents leave the system: one entry per kind, naming its template and the book's
form it follows. Another kind is one more template in `templates/` and one more entry here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from engine.errors import InvalidInput, NotFound
from engine.i18n import LANGS as CATALOG_LANGS
from engine.i18n import N_, translate

Format = Literal["pdf", "html"]
FORMATS: tuple[str, ...] = get_args(Format)
LANGS: tuple[str, ...] = tuple(sorted(CATALOG_LANGS))  # every language with a catalog
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Form:
    """An exportable document kind: its template and its title in English and Dutch."""

    kind: str
    template: str
    title_en: str  # the catalogs' msgid
    source: str  # the book's form, for the reader and the footer

    def title(self, lang: str) -> str:
        return translate(self.title_en, lang)


FORMS: dict[str, Form] = {
    form.kind: form
    for form in (
        Form(
            kind="return_plan",
            template="return_plan.html",
            title_en=N_("Personal Return Action Plan (PAT)"),
            source="Safe Future, Bijlage 5",
        ),
        Form(
            kind="risk_update",
            template="risk_update.html",
            title_en=N_("Updated Risk Analysis"),
            source="Safe Future, Bijlage 7",
        ),
        Form(
            kind="health_checklist",
            template="health_checklist.html",
            title_en=N_("Checklist for health complaints"),
            source="Safe Future, Bijlage 6",
        ),
    )
}
KINDS: tuple[str, ...] = tuple(FORMS)


def form(kind: str) -> Form:
    """The form of an exportable kind; `NotFound` naming the kinds that can be exported."""
    try:
        return FORMS[kind]
    except KeyError:
        raise NotFound(
            "no such export",
            [f"kind: {kind!r} cannot be exported; one of {', '.join(KINDS)}"],
        ) from None


def check_options(fmt: str, lang: str) -> None:
    """`InvalidInput` naming each bad option and the values it takes."""
    reasons = []
    if fmt not in FORMATS:
        reasons.append(f"format: {fmt!r} is not a format; one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        reasons.append(f"lang: {lang!r} is not a language of the export; one of {', '.join(LANGS)}")
    if reasons:
        raise InvalidInput("bad export options", reasons)


def client_copy(copy: str | None) -> bool:
    """The HTTP option `copy=client` asks for the client's own copy; nothing else is a copy."""
    if copy not in (None, "client"):
        raise InvalidInput("bad export options", [f"copy: {copy!r} is not a copy; only client"])
    return copy == "client"


def attachment_headers(filename: str) -> dict[str, str]:
    """How an export is sent over HTTP: a download named without the client's reference,
    kept by no cache."""
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
