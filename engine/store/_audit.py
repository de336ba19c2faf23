"""The audit trail's only writer. Every audit row, of a case or of anything else (account
actions under `accounts`), goes through `append_audit`: it numbers the row within its case_id
and chains its hash to the previous row, under a lock on that case_id's chain head."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, insert, select, text, update

from engine.store._chain import GENESIS, audit_hash
from engine.store._tables import audit, audit_heads
from engine.store._upsert import insert_for

# Rows per statement when many case_ids are audited at once (SQLite allows 32,766 values).
_CHUNK = 500


class AuditEntry(NamedTuple):
    case_id: str
    actor: str
    action: str
    at: datetime


_INSERT = insert(audit)
_ROW = ("case_id", "actor", "action", "at", "seq", "hash")  # an audit row's columns
_MOVE_HEAD = (
    update(audit_heads)
    .where(audit_heads.c.case_id == bindparam("head_case"))
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)
# On PostgreSQL the rows and their heads' moves in one statement, however many: arrays
# unnested, so that the statement is the same for one row and for a page of a hundred.
_INSERT_AND_MOVE = text("""
    WITH moved AS (
        UPDATE audit_heads SET seq = h.seq, hash = h.hash
          FROM unnest(CAST(:head_case_list AS varchar[]), CAST(:head_seq_list AS integer[]),
                      CAST(:head_hash_list AS varchar[])) AS h(case_id, seq, hash)
         WHERE audit_heads.case_id = h.case_id)
    INSERT INTO audit (case_id, actor, action, at, seq, hash)
    SELECT * FROM unnest(CAST(:case_id_list AS varchar[]), CAST(:actor_list AS varchar[]),
                         CAST(:action_list AS varchar[]), CAST(:at_list AS timestamptz[]),
                         CAST(:seq_list AS integer[]), CAST(:hash_list AS varchar[]))
""")
# The heads, locked until the commit on PostgreSQL (SQLite's writers already take turns:
# BEGIN IMMEDIATE), in case_id order, so two writers never wait on each other in a cycle.
_HEADS = (
    select(audit_heads.c.case_id, audit_heads.c.seq, audit_heads.c.hash)
    .where(audit_heads.c.case_id.in_(bindparam("ids", expanding=True)))
    .order_by(audit_heads.c.case_id)
    .with_for_update()
)


def append_audit(
    conn: Connection,
    entries: Sequence[AuditEntry],
    locked: dict[str, tuple[int, str]] | None = None,
) -> None:
    """Append the entries to their case_ids' chains, in the caller's transaction. `locked`
    holds heads the transaction has already locked and read (a case's save); they are
    moved on with the rows written."""
    by_case: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        by_case.setdefault(entry.case_id, []).append(entry)
    ids = sorted(by_case)
    for start in range(0, len(ids), _CHUNK):
        _append(conn, ids[start : start + _CHUNK], by_case, locked if locked is not None else {})


def _append(
    conn: Connection,
    ids: list[str],
    by_case: dict[str, list[AuditEntry]],
    locked: dict[str, tuple[int, str]],
) -> None:
    heads = {c: locked[c] for c in ids if c in locked}
    unlocked = [c for c in ids if c not in heads]
    if unlocked:
        heads.update(_locked_heads(conn, unlocked))
    rows, moved = [], []
    for case_id in ids:
        seq, digest = heads[case_id]
        for entry in by_case[case_id]:
            seq += 1
            row = {**entry._asdict(), "seq": seq}
            digest = audit_hash(digest, row)
            rows.append({**row, "hash": digest})
        moved.append({"head_case": case_id, "head_seq": seq, "head_hash": digest})
        if case_id in locked:
            locked[case_id] = (seq, digest)
    if conn.dialect.name == "postgresql":
        arrays = {f"{k}_list": [r[k] for r in rows] for k in _ROW}
        arrays.update({f"{k}_list": [m[k] for m in moved] for k in moved[0]})
        conn.execute(_INSERT_AND_MOVE, arrays)
        return
    conn.execute(_INSERT, rows)
    conn.execute(_MOVE_HEAD, moved)


def _locked_heads(conn: Connection, ids: list[str]) -> dict[str, tuple[int, str]]:
    """The seq and hash of each case_id's head, locked; a case_id's first row creates it."""
    heads = {c: (seq, digest) for c, seq, digest in conn.execute(_HEADS, {"ids": ids})}
    missing = [c for c in ids if c not in heads]
    if missing:
        new = [{"case_id": c, "seq": 0, "hash": GENESIS} for c in missing]
        conn.execute(insert_for(conn)(audit_heads).on_conflict_do_nothing(), new)
        found = conn.execute(_HEADS, {"ids": missing})
        heads.update({c: (seq, digest) for c, seq, digest in found})
    return heads
