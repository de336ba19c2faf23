"""encryption at rest: client references, case facts, event data and document contents sealed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Each value becomes AES-GCM ciphertext naming its key (engine/crypto, engine/store/_codec.py);
a client reference gets a keyed hash beside it, and the index "one open case per client and
organisation" moves to the hash. Rows already there are sealed here, in the migration's one
transaction, with the newest key of the ring `init-db` runs with; afterwards `migrate` wipes
the old values from the files (VACUUM). The key table registers each key's check value.
Downgrading opens the values again with the same ring.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 500
_UTC = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "encryption_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("check_value", sa.String(length=32), nullable=False),
        sa.Column("added_at", _UTC, nullable=False),
        sa.Column("retired_at", _UTC, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("client_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("client_ref_sealed", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("facts_sealed", sa.LargeBinary(), nullable=True))
    for table in ("events", "documents"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("data_sealed", sa.LargeBinary(), nullable=True))
    _seal_existing()
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("uq_cases_open_client")
        batch.drop_column("client_ref")
        batch.drop_column("facts")
        batch.alter_column("client_ref_sealed", new_column_name="client_ref", nullable=False)
        batch.alter_column("facts_sealed", new_column_name="facts", nullable=False)
        batch.alter_column("client_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_index(
            "uq_cases_open_client", ["organisation", "client_hash"], unique=True,
            postgresql_where=sa.text("NOT closed"), sqlite_where=sa.text("NOT closed"),
        )  # fmt: skip
    for table in ("events", "documents"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("data")
            batch.alter_column("data_sealed", new_column_name="data", nullable=False)


def _seal_existing() -> None:
    """Seal the rows in clear, a batch at a time (one transaction: the migration's)."""
    conn = op.get_bind()
    tables = ("cases", "events", "documents")
    if not any(
        conn.execute(sa.select(1).select_from(sa.table(t)).limit(1)).first() for t in tables
    ):
        return
    codec = context.config.attributes.get("codec")
    if codec is None:
        from engine.errors import KeyProblem

        raise KeyProblem(
            "cannot seal the existing rows", ["keys: run `safe-future init-db` with the keys"]
        )
    context.config.attributes["purge"] = True
    for row in _rows(conn, "SELECT id, organisation, client_ref, facts FROM cases", "id"):
        facts = _json(row.facts)
        conn.execute(
            sa.text("UPDATE cases SET client_hash = :h, client_ref_sealed = :r, "
                    "facts_sealed = :f WHERE id = :id"),
            {"id": row.id, "h": codec.client_hash(row.organisation, row.client_ref),
             "r": codec.client_ref(row.id, row.client_ref), "f": codec.facts(row.id, facts)},
        )  # fmt: skip
    for row in _rows(conn, "SELECT id, case_id, seq, data FROM events", "id"):
        sealed = codec.event_data(row.case_id, row.seq, _json(row.data))
        conn.execute(sa.text("UPDATE events SET data_sealed = :d WHERE id = :id"),
                     {"id": row.id, "d": sealed})  # fmt: skip
    for row in _rows(conn, "SELECT id, case_id, kind, version, data FROM documents", "id"):
        sealed = codec.document(row.case_id, row.kind, row.version, _json(row.data))
        conn.execute(sa.text("UPDATE documents SET data_sealed = :d WHERE id = :id"),
                     {"id": row.id, "d": sealed})  # fmt: skip


def _rows(conn: sa.Connection, query: str, key: str) -> Iterator[Any]:
    """The rows of `query` in batches by `key`, so a large table is not held in memory."""
    last: Any = None
    while True:
        where = "" if last is None else f" WHERE {key} > :last"
        batch = conn.execute(
            sa.text(f"{query}{where} ORDER BY {key} LIMIT {_BATCH}"), {"last": last}
        ).all()
        yield from batch
        if len(batch) < _BATCH:
            return
        last = getattr(batch[-1], key)


def _json(value: Any) -> Any:
    """A JSON column's value (SQLite hands back text, PostgreSQL's JSONB a parsed value)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def downgrade() -> None:
    codec: Any = context.config.attributes.get("codec")
    conn = op.get_bind()
    if codec is None and conn.execute(sa.text("SELECT 1 FROM cases LIMIT 1")).first():
        raise RuntimeError("downgrading sealed rows needs the keys (pass the codec)")
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("client_ref_plain", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("facts_plain", _JSON, nullable=True))
    for table in ("events", "documents"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("data_plain", _JSON, nullable=True))
    for row in _rows(conn, "SELECT id, client_ref, facts FROM cases", "id"):
        conn.execute(
            sa.text("UPDATE cases SET client_ref_plain = :r, facts_plain = :f WHERE id = :id"),
            {"id": row.id, "r": codec.client_ref_of(row.id, row.client_ref),
             "f": json.dumps(codec.facts_of(row.id, row.facts))},
        )  # fmt: skip
    for row in _rows(conn, "SELECT id, case_id, seq, data FROM events", "id"):
        data = json.dumps(codec.event_data_of(row.case_id, row.seq, row.data))
        conn.execute(sa.text("UPDATE events SET data_plain = :d WHERE id = :id"),
                     {"id": row.id, "d": data})  # fmt: skip
    for row in _rows(conn, "SELECT id, case_id, kind, version, data FROM documents", "id"):
        data = json.dumps(codec.document_of(row.case_id, row.kind, row.version, row.data))
        conn.execute(sa.text("UPDATE documents SET data_plain = :d WHERE id = :id"),
                     {"id": row.id, "d": data})  # fmt: skip
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("uq_cases_open_client")
        batch.drop_column("client_ref")
        batch.drop_column("facts")
        batch.drop_column("client_hash")
        batch.alter_column("client_ref_plain", new_column_name="client_ref", nullable=False)
        batch.alter_column("facts_plain", new_column_name="facts", nullable=False)
    with op.batch_alter_table("cases") as batch:  # on the renamed column, once it is there
        batch.create_index(
            "uq_cases_open_client", ["organisation", "client_ref"], unique=True,
            postgresql_where=sa.text("NOT closed"), sqlite_where=sa.text("NOT closed"),
        )  # fmt: skip
    for table in ("events", "documents"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("data")
            batch.alter_column("data_plain", new_column_name="data", nullable=False)
    op.drop_table("encryption_keys")
