"""JSON from outside (an API body, the CLI's --data): parsed strictly, so that absurd input is
a clear error. A key given twice is refused by name (never "the last one wins"), nesting
deeper than MAX_DEPTH is refused before anything deep is walked, and so is a NUL character
(`\u0000`), which no text field takes and PostgreSQL cannot store."""

from __future__ import annotations

import json
from typing import Any

from engine.documents import MAX_DOCUMENT_BYTES
from engine.errors import InvalidInput

MAX_BODY_BYTES = 4 * MAX_DOCUMENT_BYTES
"""1 MiB: the most JSON taken at once (an API body, `--data`): a few documents of the largest
size allowed, with room for the request around them."""

MAX_DEPTH = 32
"""The deepest nesting taken: the deepest document is 5 levels, a request wraps it in 2."""


def loads(text: str | bytes, *, field: str = "body") -> Any:
    """The JSON value of `text`; InvalidInput naming `field` and the rule when it is not
    JSON, gives a key twice, nests deeper than MAX_DEPTH or holds a NUL character."""
    try:
        value = json.loads(text, object_pairs_hook=_unique)
    except RecursionError:
        raise _too_deep(field) from None
    except _DuplicateKey as dup:
        raise InvalidInput(
            "bad JSON", [f"{field}: the key {dup.key!r} is given twice; give each key once"]
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("bad JSON", [f"{field}: not valid JSON ({exc})"]) from None
    _check(value, field)
    return value


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _check(value: Any, field: str) -> None:
    """Refuse nesting past MAX_DEPTH and NUL characters, walking without recursion."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            texts: list[Any] = list(item)
            children = list(item.values())
        elif isinstance(item, list):
            texts, children = [], item
        else:
            texts, children = [item], []
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise InvalidInput("bad JSON", [f"{field}: holds a NUL character (\\u0000)"])
        if isinstance(item, dict | list) and level > MAX_DEPTH:
            raise _too_deep(field)
        stack.extend((child, level + 1) for child in children)


def _too_deep(field: str) -> InvalidInput:
    return InvalidInput("bad JSON", [f"{field}: nested more than {MAX_DEPTH} levels deep"])
