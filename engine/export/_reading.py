"""A recorded document as a person reads it on the screen: each field's label (its description
from the document model, in the catalog's language) with its answer in words, nested parts
indented. The CLI (`case document`) and the pages (the document view, the partner's view)
print the same lines; the printed forms of `_render` lay out only the book's forms."""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from engine.documents import document_model
from engine.export._words import EMPTY, VOCABULARIES, YES_NO, literal_of
from engine.i18n import N_, translate

# Words for a value of any closed list, where neither its vocabulary nor the caller has one.
COMMON = {"other": N_("other")}
# Computed values have no `Field(description=...)` the catalogs extract: their labels here.
COMPUTED_LABELS = {"totals": N_("Totals per side, computed from the scores")}


@dataclass(frozen=True)
class Line:
    """One line of a document as read: `depth` parts deep, a label, and its answer in words
    (`None` for the heading of a part or a list of parts; `empty` when not answered)."""

    depth: int
    label: str
    text: str | None
    empty: bool = False


def readable(
    kind: str, data: dict[str, Any], lang: str, words: Mapping[str, str] | None = None
) -> list[Line]:
    """The lines of a document of `kind` as recorded (`data`, its JSON), in `lang`. A closed
    list's values read as the words of its vocabulary (`VOCABULARIES`), else as `words` has
    them (catalog texts: e.g. the workflow's deadline labels for a contact's `about`)."""
    return _Reader(lang, words or {}).model(document_model(kind), data, 0)


def day_in_words(day: date, lang: str) -> str:
    """A day as a person writes it: 2 September 2026, 2 september 2026."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=lang)


class _Reader:
    def __init__(self, lang: str, words: Mapping[str, str]) -> None:
        self.lang = lang
        self.words = {**COMMON, **words}

    def model(self, model: type[BaseModel], data: dict[str, Any], depth: int) -> list[Line]:
        lines: list[Line] = []
        for name, info in model.model_fields.items():
            label = (info.description or name).rstrip(".")
            lines += self.value(translate(label, self.lang), info.annotation, data.get(name), depth)
        for name, computed in model.model_computed_fields.items():
            if name in data:
                label = translate(COMPUTED_LABELS.get(name, name), self.lang)
                lines += self.value(label, computed.return_type, data[name], depth)
        for name in sorted(set(data) - set(model.model_fields) - set(model.model_computed_fields)):
            lines += self.value(name, None, data[name], depth)  # of an older model: as stored
        return lines

    def value(self, label: str, annotation: Any, value: Any, depth: int) -> list[Line]:
        if value is None or value in ([], {}):
            return [Line(depth, label, translate(EMPTY, self.lang), empty=True)]
        part = _part_of(annotation)
        if isinstance(value, dict):
            return [Line(depth, label, None), *self.mapping(annotation, part, value, depth + 1)]
        if isinstance(value, list) and (part or any(isinstance(v, dict) for v in value)):
            lines = [Line(depth, label, None)]
            for n, item in enumerate(value, 1):
                lines += self.value(f"{n}.", part, item, depth + 1)
            return lines
        items = value if isinstance(value, list) else [value]
        vocab = literal_of(annotation)
        return [Line(depth, label, ", ".join(self.word(item, annotation, vocab) for item in items))]

    def mapping(
        self, annotation: Any, part: type[BaseModel] | None, value: dict[str, Any], depth: int
    ) -> list[Line]:
        if part is not None and not _is_dict(annotation):
            return self.model(part, value, depth)
        keys, inner = _dict_args(annotation)
        vocab = literal_of(keys)
        lines: list[Line] = []
        for key, item in value.items():
            words = VOCABULARIES.get(vocab, {}) if vocab is not None else {}
            word = translate(words[key], self.lang) if key in words else key
            lines += self.value(word, inner, item, depth)
        return lines

    def word(self, value: Any, annotation: Any, vocab: frozenset[str] | None) -> str:
        if isinstance(value, bool):
            return translate(YES_NO[value], self.lang)
        if vocab is not None and str(value) in VOCABULARIES.get(vocab, {}):
            return translate(VOCABULARIES[vocab][str(value)], self.lang)
        if vocab is not None and str(value) in self.words:
            return translate(self.words[str(value)], self.lang)
        if _is_date(annotation) and isinstance(value, str):
            try:
                return day_in_words(date.fromisoformat(value), self.lang)
            except ValueError:
                return value
        return str(value)


def _inner(annotation: Any) -> list[Any]:
    """The types inside `X | None` and `list[X]`."""
    if get_origin(annotation) in (Union, types.UnionType, list):
        return [t for t in get_args(annotation) if t is not type(None)]
    return [annotation]


def _part_of(annotation: Any) -> type[BaseModel] | None:
    """The model of a part (`Part`, `Part | None`, `list[Part]`, `dict[K, Part]`), if any."""
    for t in _inner(annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        if get_origin(t) in (list, Union, types.UnionType):
            found = _part_of(t)
            if found is not None:
                return found
        if _is_dict(t):
            return _part_of(_dict_args(t)[1])
    return None


def _is_dict(annotation: Any) -> bool:
    return any(get_origin(t) is dict for t in _inner(annotation))


def _dict_args(annotation: Any) -> tuple[Any, Any]:
    for t in _inner(annotation):
        if get_origin(t) is dict:
            keys, values = get_args(t)
            return keys, values
    return None, None


def _is_date(annotation: Any) -> bool:
    return any(t is date for t in _inner(annotation))
