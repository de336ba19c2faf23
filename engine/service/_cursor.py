"""The opaque cursors of the paged lists (the case list, the overdue list): the place where
the previous page ended, as URL-safe base64 of a JSON list."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar

from engine.errors import InvalidInput

T = TypeVar("T")


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, read: Callable[..., T], refusal: InvalidInput) -> T:
    """The place `cursor` holds, by `read` of its values; `refusal` when it is no cursor
    (not base64, not JSON, or values `read` refuses with ValueError or TypeError)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list):
            raise ValueError(cursor)
        return read(*values)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise refusal from None
