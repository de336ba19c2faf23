"""Countries by ISO 3166-1 alpha-2 code, with their English and Dutch names (CLDR, through
Babel) and the other spellings counsellors and the book use ("Nigerië", "Wit-Rusland",
"Macedonië"), so a country can be asked for by code or by name in either language."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping

from babel import Locale

from engine.errors import InvalidInput
from engine.i18n import _

# CLDR's territory codes that are not countries (regions, groupings, unknown).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "ZZ", "XA", "XB"})

# Spellings besides CLDR's: the book's (Bijlagen 11-14) and common ones in both languages.
_ALIASES: Mapping[str, tuple[str, ...]] = {
    "BY": ("Wit-Rusland", "Witrusland", "White Russia", "Belarussia"),
    "CD": ("Congo-Kinshasa", "DR Congo", "DRC"),
    "CG": ("Congo-Brazzaville",),
    "CI": ("Ivory Coast",),
    "CZ": ("Czech Republic", "Tsjechische Republiek"),
    "GB": ("UK", "Great Britain", "Groot-Brittannië", "England", "Engeland"),
    "KR": ("Korea", "Republic of Korea"),
    "MD": ("Moldova", "Moldavië"),
    "MK": ("Macedonia", "Macedonië", "FYROM"),
    "NG": ("Nigerië",),
    "NL": ("Holland",),
    "PH": ("Filippijnen",),
    "RO": ("Roemenie",),
    "RU": ("Russia", "Russian Federation"),
    "SK": ("Slovak Republic",),
    "UA": ("Oekraine",),
    "US": ("USA", "United States of America", "Amerika", "America"),
    "VN": ("Vietnam",),
}


def fold(text: str) -> str:
    """A name as compared: accents, case, spaces and punctuation folded
    ("Nigerië" and "NIGERIE" alike, "Wit Rusland" and "Wit-Rusland" alike)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


@functools.cache
def _names() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Each code's names by language, and every folded spelling to its code."""
    en, nl = Locale("en").territories, Locale("nl").territories
    codes = [c for c in map(str, en) if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    names = {c: {"en": str(en[c]), "nl": str(nl.get(c, en[c]))} for c in codes}
    lookup: dict[str, str] = {}
    for code, by_lang in names.items():
        for spelling in (code, by_lang["en"], by_lang["nl"], *_ALIASES.get(code, ())):
            lookup.setdefault(fold(spelling), code)
    return names, lookup


def is_country(code: str) -> bool:
    """Whether `code` is a known ISO 3166-1 alpha-2 code (upper case), Kosovo's XK included."""
    return code in _names()[0]


def spellings(code: str) -> tuple[str, ...]:
    """Every name a country is known by here: CLDR's English and Dutch, and the aliases."""
    names = _names()[0][code]
    return (names["en"], names["nl"], *_ALIASES.get(code, ()))


def country_name(code: str, lang: str = "en") -> str:
    """The country's name in `lang` (CLDR's; English where CLDR lacks it)."""
    names = _names()[0][code]
    if lang in names:
        return names[lang]
    return str(Locale.parse(lang).territories.get(code, names["en"]))


def resolve_country(text: str, *, field: str = "country") -> str:
    """The code of a country given by code or by an English or Dutch name; an unknown one is
    refused with the rule and examples."""
    code = _names()[1].get(fold(text))
    if code is None:
        raise InvalidInput(
            _("unknown country"),
            [
                _(
                    "{field}: {text} is not a country; give an ISO 3166-1 alpha-2 code (NG) or "
                    "an English or Dutch name (Nigeria, Nigerië)",
                    field=field,
                    text=repr(text),
                )
            ],
        )
    return code
