"""Counters of failed sign-ins per key and window (the SQL behind engine/throttle.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from engine.store._tables import auth_failures
from engine.store._upsert import insert_for


class ThrottleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def failures(self, keys: list[str], since: datetime) -> dict[tuple[str, datetime], int]:
        """The counts of `keys` in the windows that start at or after `since`."""
        t = auth_failures.c
        query = select(t.key, t.window_start, t.failures).where(
            t.key.in_(keys), t.window_start >= since
        )
        return {(k, start): n for k, start, n in self.conn.execute(query)}

    def count(self, keys: list[str], window_start: datetime, forget_before: datetime) -> None:
        """One more failure for each key in this window (atomic on every backend, so
        several processes count together); windows before `forget_before` are deleted."""
        insert = insert_for(self.conn)
        for key in keys:
            add = insert(auth_failures).values(key=key, window_start=window_start, failures=1)
            self.conn.execute(
                add.on_conflict_do_update(
                    index_elements=[auth_failures.c.key, auth_failures.c.window_start],
                    set_={"failures": auth_failures.c.failures + 1},
                )
            )
        self.conn.execute(delete(auth_failures).where(auth_failures.c.window_start < forget_before))
