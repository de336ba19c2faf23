"""JSON from outside (an API body, the CLI's --data): parsed strictly, so that absurd input is
a clear error. A key given twice is refused by name (never "the last one wins"), and nesting
deeper than MAX_DEPTH is refused before anything deep is walked."""

from __future__ import annotations

import json
from typing import Any

from engine.errors import InvalidInput

MAX_DEPTH = 32
"""The deepest nesting taken: the deepest document is 5 levels, a request wraps it in 2."""


def loads(text: str | bytes, *, field: str = "body") -> Any:
    """The JSON value of `text`; InvalidInput naming `field` and the rule when it is not
    JSON, gives a key twice, or nests deeper than MAX_DEPTH."""
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
    if _depth(value) > MAX_DEPTH:
        raise _too_deep(field)
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


def _depth(value: Any) -> int:
    """How deep containers nest in `value` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep(field: str) -> InvalidInput:
    return InvalidInput("bad JSON", [f"{field}: nested more than {MAX_DEPTH} levels deep"])
