"""The audit trail's only writer. Every audit row, of a case or of anything else (account
actions under `accounts`), goes through `append_audit`: it numbers the row within its case_id
and chains its hash to the previous row, under a lock on that case_id's chain head."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.store._chain import GENESIS, audit_hash
from engine.store._tables import audit, audit_heads

# Rows per statement when many case_ids are audited at once (SQLite allows 32,766 values).
_CHUNK = 500


class AuditEntry(NamedTuple):
    case_id: str
    actor: str
    action: str
    at: datetime


_INSERT = insert(audit)
_MOVE_HEAD = (
    update(audit_heads)
    .where(audit_heads.c.case_id == bindparam("head_case"))
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)


@functools.cache
def _lock_heads(dialect: str, n: int) -> Any:
    """Create the heads of `n` case_ids that have none, lock all of them and return their
    seq and hash, in one statement. The upsert locks each head row until the commit on
    PostgreSQL; SQLite's writers already take turns (BEGIN IMMEDIATE)."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {"case_id": bindparam(f"c{i}", type_=audit_heads.c.case_id.type), "seq": 0,
         "hash": GENESIS}
        for i in range(n)
    ]  # fmt: skip
    statement = dialect_insert(audit_heads).values(rows)
    return statement.on_conflict_do_update(
        index_elements=[audit_heads.c.case_id], set_={"seq": audit_heads.c.seq}
    ).returning(audit_heads.c.case_id, audit_heads.c.seq, audit_heads.c.hash)


def append_audit(conn: Connection, entries: Sequence[AuditEntry]) -> None:
    """Append the entries to their case_ids' chains, in the caller's transaction. Heads are
    locked in case_id order, so two writers never wait on each other in a cycle."""
    by_case: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        by_case.setdefault(entry.case_id, []).append(entry)
    ids = sorted(by_case)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        locked = conn.execute(
            _lock_heads(conn.dialect.name, len(chunk)), {f"c{i}": c for i, c in enumerate(chunk)}
        )
        heads = {case_id: (seq, digest) for case_id, seq, digest in locked}
        rows, moved = [], []
        for case_id in chunk:
            seq, digest = heads[case_id]
            for entry in by_case[case_id]:
                seq += 1
                row = {**entry._asdict(), "seq": seq}
                digest = audit_hash(digest, row)
                rows.append({**row, "hash": digest})
            moved.append({"head_case": case_id, "head_seq": seq, "head_hash": digest})
        conn.execute(_INSERT, rows)
        conn.execute(_MOVE_HEAD, moved)
