"""The keys a database knows: each key that sealed data here is registered with a check value,
so a wrong or missing key is a clear error at first use instead of garbage. A key is retired
once `keys rotate` has moved every value off it; only then may it leave the key ring."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select, update

from engine.crypto import Keyring, check_value
from engine.errors import KeyProblem
from engine.store._tables import encryption_keys
from engine.store._upsert import insert_for


def check_keys(conn: Connection, ring: Keyring, now: datetime) -> bool:
    """Compare the ring with the keys registered in the database and register new ones.
    False when the database has no key table yet (not migrated: nothing to check)."""
    if not inspect(conn).has_table("encryption_keys"):
        return False
    known = {row.id: row for row in conn.execute(select(encryption_keys))}
    wrong = [
        f"key {k.id}: is not the key {k.id} this database was sealed with ({ring.source})"
        for k in ring.keys
        if k.id in known and known[k.id].check_value != check_value(k)
    ]
    if wrong:
        raise KeyProblem("wrong encryption key", wrong)
    ids = {k.id for k in ring.keys}
    missing = sorted(i for i, row in known.items() if row.retired_at is None and i not in ids)
    if missing:
        raise KeyProblem(
            "missing encryption key",
            [f"key {i}: data in this database is sealed with it; add it to {ring.source}"
             for i in missing],
        )  # fmt: skip
    new = [{"id": k.id, "check_value": check_value(k), "added_at": now}
           for k in ring.keys if k.id not in known]  # fmt: skip
    if new:  # another process starting with the same new key may register it first
        stmt = insert_for(conn)(encryption_keys).on_conflict_do_nothing(index_elements=["id"])
        conn.execute(stmt, new)
    return True


def registered_keys(engine: Engine) -> list[dict[str, Any]]:
    """The keys registered in the database (none when it has no key table yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("encryption_keys"):
            return []
        rows = conn.execute(select(encryption_keys).order_by(encryption_keys.c.added_at))
        return [dict(r) for r in rows.mappings()]


def retire_all_but(conn: Connection, key_id: str, now: datetime) -> list[str]:
    """Mark every other live key retired (nothing is sealed with them any more)."""
    query = (
        update(encryption_keys)
        .where(encryption_keys.c.id != key_id, encryption_keys.c.retired_at.is_(None))
        .values(retired_at=now)
        .returning(encryption_keys.c.id)
    )
    return sorted(conn.execute(query).scalars())
