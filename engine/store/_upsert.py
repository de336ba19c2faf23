"""The INSERT that can say ON CONFLICT, of the connection's database. SQLAlchemy has one per
dialect; PostgreSQL's module is imported only on PostgreSQL (on SQLite it cost ~15 ms of
every command's start, docs/performance.md, cold start)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


def insert_for(conn: Connection) -> Any:
    """`insert` of `sqlalchemy.dialects.postgresql` or `.sqlite`, as `conn` needs."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert
