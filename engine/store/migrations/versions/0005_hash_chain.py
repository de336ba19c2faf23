"""the hash chain: events and audit rows chained per case, and the chains' heads

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Rows already in the database are chained here, in the order they were written (events by
seq; audit rows by id, numbered from 1 per case_id), so that `audit verify` covers the whole
history, not only what comes after the upgrade. The hashes are computed from the values as
stored in the clear: this migration must run before any migration that encrypts those
columns in place.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from engine.store._chain import DOCUMENT_FIELDS, EVENT_FIELDS, GENESIS, audit_hash, event_hash
from engine.store._tables import Json, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 1000


def _column(name: str) -> sa.ColumnClause[Any]:
    types = {"data": Json, "seq": sa.Integer, "version": sa.Integer}
    return sa.column(name, types.get(name, UTCDateTime if name.endswith("_at") else sa.String))


# The tables as this revision reads them (not the code's tables, which may change later).
_events = sa.table(
    "events", sa.column("id", sa.Integer), sa.column("hash", sa.String),
    *(_column(f) for f in EVENT_FIELDS),
)  # fmt: skip
_documents = sa.table("documents", *(_column(f) for f in DOCUMENT_FIELDS))
_cases = sa.table("cases", sa.column("id", sa.String), sa.column("events_hash", sa.String))
_audit = sa.table(
    "audit", sa.column("id", sa.Integer), sa.column("case_id", sa.String),
    sa.column("actor", sa.String), sa.column("action", sa.String),
    sa.column("at", UTCDateTime), sa.column("seq", sa.Integer), sa.column("hash", sa.String),
)  # fmt: skip
_heads = sa.table(
    "audit_heads", sa.column("case_id", sa.String), sa.column("seq", sa.Integer),
    sa.column("hash", sa.String),
)  # fmt: skip


def upgrade() -> None:
    # Not null at once, with a default for the rows there until they are chained: SQLite
    # cannot copy `cases` (other tables' foreign keys point at it), so it keeps the default.
    op.add_column(
        "cases",
        sa.Column("events_hash", sa.String(length=64), nullable=False, server_default=GENESIS),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_heads",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    conn = op.get_bind()
    _chain_events(conn)
    _chain_audit(conn)
    if conn.dialect.name != "sqlite":
        op.alter_column("cases", "events_hash", server_default=None)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_case_seq", ["case_id", "seq"])


def _rows_by_case(conn: sa.Connection, query: Any) -> Iterator[tuple[str, list[Any]]]:
    rows = conn.execute(query).mappings()
    for case_id, group in itertools.groupby(rows, key=lambda r: r["case_id"]):
        yield case_id, list(group)


def _chain_events(conn: sa.Connection) -> None:
    written: dict[tuple[str, int], list[Any]] = {}
    for d in conn.execute(sa.select(_documents)).mappings():
        written.setdefault((d["case_id"], d["seq"]), []).append(d)
    hashes: list[dict[str, Any]] = []
    heads: list[dict[str, Any]] = []
    query = sa.select(_events).order_by(_events.c.case_id, _events.c.seq)
    for case_id, rows in list(_rows_by_case(conn, query)):
        digest = GENESIS
        for row in rows:
            digest = event_hash(digest, row, written.get((case_id, row["seq"]), ()))
            hashes.append({"b_id": row["id"], "b_hash": digest})
        heads.append({"b_case": case_id, "b_hash": digest})
    by_id = _events.c.id == sa.bindparam("b_id")
    _update(conn, _events.update().where(by_id).values(hash=sa.bindparam("b_hash")), hashes)
    by_case = _cases.c.id == sa.bindparam("b_case")
    _update(conn, _cases.update().where(by_case).values(events_hash=sa.bindparam("b_hash")), heads)


def _chain_audit(conn: sa.Connection) -> None:
    numbered: list[dict[str, Any]] = []
    heads: list[dict[str, Any]] = []
    query = sa.select(_audit).order_by(_audit.c.case_id, _audit.c.id)
    for case_id, rows in list(_rows_by_case(conn, query)):
        digest = GENESIS
        for seq, row in enumerate(rows, start=1):
            digest = audit_hash(digest, {**row, "seq": seq})
            numbered.append({"b_id": row["id"], "b_seq": seq, "b_hash": digest})
        heads.append({"case_id": case_id, "seq": len(rows), "hash": digest})
    chained: dict[str, Any] = {"seq": sa.bindparam("b_seq"), "hash": sa.bindparam("b_hash")}
    by_id = _audit.c.id == sa.bindparam("b_id")
    _update(conn, _audit.update().where(by_id).values(chained), numbered)
    for start in range(0, len(heads), _BATCH):
        conn.execute(_heads.insert(), heads[start : start + _BATCH])


def _update(conn: sa.Connection, statement: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        conn.execute(statement, rows[start : start + _BATCH])


def downgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_case_seq", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("seq")
    op.drop_table("audit_heads")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("hash")
    op.drop_column("cases", "events_hash")
