"""The database engine and the unit of work around one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from engine.errors import InvalidInput
from engine.store._access import AccessRepository
from engine.store._migrations import migrate
from engine.store._outbox import OutboxRepository
from engine.store._repository import CaseRepository
from engine.store._throttle import ThrottleRepository


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite files get WAL, foreign keys, a busy timeout and
    `BEGIN IMMEDIATE`, so a second writer waits for the first instead of failing half-way."""
    parsed = _supported(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    # hide_parameters: a database error must never print client data into a log or traceback.
    engine = create_engine(parsed, connect_args={"timeout": 30}, hide_parameters=True)
    on_disk = parsed.database not in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_conn: Any, _: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the sqlite3 module, issue BEGIN (SQLAlchemy's pysqlite recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if on_disk:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: Engine) -> str:
    """Bring the database to the newest schema with the Alembic migrations (idempotent);
    returns the revision it is at."""
    return migrate(engine)


class UnitOfWork:
    """One transaction: everything done through `cases` commits together or not at all."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[CaseRepository]:
        with self.engine.begin() as conn:
            yield CaseRepository(conn)

    @contextmanager
    def access(self) -> Iterator[AccessRepository]:
        with self.engine.begin() as conn:
            yield AccessRepository(conn)

    @contextmanager
    def outbox(self) -> Iterator[OutboxRepository]:
        with self.engine.begin() as conn:
            yield OutboxRepository(conn)

    @contextmanager
    def throttle(self) -> Iterator[ThrottleRepository]:
        with self.engine.begin() as conn:
            yield ThrottleRepository(conn)


_DRIVERS = {"sqlite": "sqlite", "sqlite+pysqlite": "sqlite", "postgresql": "postgresql+psycopg",
            "postgresql+psycopg": "postgresql+psycopg"}  # fmt: skip


def _supported(url: str) -> URL:
    """The URL of a database the engine runs on (SQLite, PostgreSQL through psycopg 3); any
    other is refused by name, never half-loaded."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    driver = _DRIVERS.get(parsed.drivername) if parsed is not None else None
    if parsed is None or driver is None:
        scheme = url.split(":", 1)[0][:40] if ":" in url else "(none)"
        raise InvalidInput(
            "unsupported database URL",
            [
                f"db: the scheme {scheme!r} is not supported; use sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST/NAME"
            ],
        )
    return parsed.set(drivername=driver)
