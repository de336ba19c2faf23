"""The message catalogs and the `Message` text that can be translated after the fact."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANG = "nl"
COMPILED = "messages.json"
"""Beside each `messages.po`: its translations as `catalog` returns them, with the digest of
the `.po` they were read from. Made at first use and remade when the `.po` changes (the `.po`
stays the source); reading it is some twenty times quicker than parsing the `.po`."""


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
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    compiled = path.with_name(COMPILED)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads(compiled.read_bytes())
        if stored["po_sha256"] == digest and isinstance(stored["messages"], dict):
            return dict(stored["messages"])
    messages = _read_po(source, lang)
    _write_compiled(compiled, {"po_sha256": digest, "messages": messages})
    return messages


def _read_po(source: bytes, lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    po = read_po(io.BytesIO(source), locale=lang)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def _write_compiled(path: Path, content: dict[str, Any]) -> None:
    """Write `content` to `path` whole or not at all (a process reading it at the same time
    sees the old file or the new one); where the package cannot be written, nothing is kept
    and each process reads the `.po`."""
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o644)  # translations, no secret: every user of the package reads it
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(content, fh, ensure_ascii=False)
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)


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
    from babel import Locale, UnknownLocaleError

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
