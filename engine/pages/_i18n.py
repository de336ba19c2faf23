"""The pages' language: which one a request reads, and its texts from the message catalogs
(engine/i18n). `engine.i18n.gettext(lang)` is the templates' `_`: they write
`{{ _("English text {name}", name=value) }}`; `say(text)` translates a text that arrives from
elsewhere (a label of the workflow file, a guard's reason)."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale
from fastapi import Request

from engine.i18n import LANGS, N_, negotiate

# Ids the views give, as people read them.
CASE_KINDS = {
    "trafficking": N_("Human trafficking"),
    "domestic_violence": N_("Domestic violence"),
    "honour_violence": N_("Honour-related violence"),
}
ORIGINS = {
    "book": N_("the book"),
    "shelter": N_("the shelter's own file"),
    "admin": N_("an administrator's change"),
}


PARTNER_PAGES = "/ui/partner"


def pick_lang(request: Request) -> str:
    """`?lang=` when it names a language of the catalogs, else the browser's most preferred
    one by the q-weights of its Accept-Language; when it prefers none of them, Dutch (the
    pages are for Dutch shelters), but English on the partner pages: a partner organisation
    abroad reads English unless its browser asks for a language of the catalogs."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    default = "en" if request.url.path.startswith(PARTNER_PAGES) else LANGS[0]
    return negotiate(request.headers.get("accept-language"), default=default)


Say = Callable[..., str]


def language_name(lang: str) -> str:
    """A language's name in itself ("Nederlands", "English"), for the language switch."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
