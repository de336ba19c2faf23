"""How much one document may weigh once serialised.

The field limits (notes of 500 characters, labels of 120, lists of MANY parts) already keep
the book's forms small: the fullest document they allow, a return plan with every list full
of the longest notes, weighs about 150 kB; all fourteen kinds at their fullest together
about 270 kB, the most a case read ever loads (only the latest version of each is read).
The byte limit is the backstop: a document is read whole with every read of its case, so its
weight is what every reader of that case pays. 256 KiB reads back in a few milliseconds and
is still some fifty times what a real form holds (2-5 kB)."""

from __future__ import annotations

import json
from typing import Any

from engine.i18n import _

MAX_DOCUMENT_BYTES = 256 * 1024


def document_size(data: Any) -> int:
    """The document's size as stored: compact JSON in UTF-8."""
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def too_big(kind: str, data: Any) -> list[str]:
    """Why the document is too big to record; empty when it is not."""
    size = document_size(data)
    if size <= MAX_DOCUMENT_BYTES:
        return []
    return [
        _(
            "{kind}: {size} bytes, more than the limit of {limit} bytes",
            kind=kind,
            size=size,
            limit=MAX_DOCUMENT_BYTES,
        )
    ]
