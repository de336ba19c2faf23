"""The hash chain of a case's history, in one place: each event and each audit row carries
sha256 over a canonical serialisation of its content and the previous row's hash (of the same
case, in the same chain). An event's hash also covers the document rows written with it (a
record event and its document version share a `seq`), so a document edited in the database
breaks its record event's link.

Hashes are computed from the Python values the repository writes and reads (plain dicts,
aware datetimes), never from what the database stores: a column encrypted at rest, or
re-encrypted under a new key, hashes the same."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

# The hash before the first row of a chain.
GENESIS = "0" * 64

EVENT_FIELDS = ("case_id", "seq", "track", "trigger", "from_state", "to_state", "actor",
                "happened_at", "recorded_at", "data")  # fmt: skip
DOCUMENT_FIELDS = ("case_id", "kind", "version", "data", "seq", "actor", "happened_at",
                   "recorded_at")  # fmt: skip
AUDIT_FIELDS = ("case_id", "seq", "actor", "action", "at")


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: the chain hashes aware UTC datetimes only")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


def _digest(payload: object) -> str:
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    return hashlib.sha256(text.encode()).hexdigest()


def event_hash(
    previous: str, event: Mapping[str, Any], documents: Iterable[Mapping[str, Any]] = ()
) -> str:
    """The hash of an event row (with its `case_id`) and the documents written with it."""
    written = sorted(([d[f] for f in DOCUMENT_FIELDS] for d in documents), key=lambda d: d[1:3])
    return _digest([previous, [event[f] for f in EVENT_FIELDS], written])


def audit_hash(previous: str, row: Mapping[str, Any]) -> str:
    """The hash of an audit row (case_id, seq, actor, action, at)."""
    return _digest([previous, [row[f] for f in AUDIT_FIELDS]])
