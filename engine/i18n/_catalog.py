"""The message catalogs and the `Message` text that can be translated after the fact."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANG = "nl"


def _langs() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT_LANG, *(lang for lang in found if lang != DEFAULT_LANG))


LANGS: tuple[str, ...] = _langs()
"""The languages with a catalog, found in `locales/` (a translator adds a directory, no code
changes); Dutch first, the default for people in a Dutch shelter."""


class Message(str):
    """A text for people. As a `str` it is the English text with its parameters filled in;
    `msgid` and `params` let `translate` render it in another language."""

    msgid: str
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Message:
        text = str.__new__(cls, msgid.format(**params) if params else msgid)
        text.msgid = msgid
        text.params = params
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, dict(self.params)))


def _rebuild(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


def _(msgid: str, /, **params: Any) -> Message:
    """Mark `msgid` (English, with `{name}` placeholders) for translation and fill it in."""
    return Message(msgid, **params)


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark `msgid` for extraction only; translate it where it is shown."""
    return msgid


@functools.cache
def catalog(lang: str) -> Mapping[str, str]:
    """The translations of `lang`: msgid → text, without the untranslated and fuzzy ones."""
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return translate(value, lang)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Message) for v in value):
        return type(value)(_param(v, lang) for v in value)
    return value


def translate(text: str, lang: str) -> str:
    """`text` in `lang`. A `Message` is rendered from its msgid and parameters; a plain string
    is looked up as a msgid (labels, headings). Without a translation the English stays."""
    if isinstance(text, Message):
        found = catalog(lang).get(text.msgid, text.msgid)
        params = {k: _param(v, lang) for k, v in text.params.items()}
        return found.format(**params) if params else found
    return catalog(lang).get(text, text)


def label_map(text: str) -> dict[str, str]:
    """`text` in every language, by language code (the `{"nl": ..., "en": ...}` of the views
    and the API)."""
    return {lang: translate(text, lang) for lang in LANGS}


def gettext(lang: str) -> Callable[..., str]:
    """`_` for templates in `lang`: a msgid (English, `{name}` placeholders) and its
    parameters in, the translated text out; a text from elsewhere (a label, a reason) is
    translated as it is."""

    def say(text: str, /, **params: Any) -> str:
        return translate(Message(text, **params) if params else text, lang)

    return say


def negotiate(accept_language: str | None, default: str = LANGS[0]) -> str:
    """The language of `LANGS` a browser prefers most, by the q-weights of its
    Accept-Language header (RFC 9110 §12.5.4); `default` when it names none of them."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _sep, rest = part.strip().partition(";")
        q = 1.0
        for param in rest.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > 0:
            weighted.append((-q, position, tag.strip()))
    for _q, _pos, tag in sorted(weighted):
        if tag == "*":
            return default
        try:
            lang = Locale.parse(tag, sep="-").language
        except (ValueError, UnknownLocaleError):
            continue
        if lang in LANGS:
            return lang
    return default
