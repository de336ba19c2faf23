"""The database engine and the unit of work around one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from engine.crypto import Cipher
from engine.errors import InvalidInput
from engine.store._access import AccessRepository
from engine.store._codec import Codec
from engine.store._keys import check_keys
from engine.store._migrations import migrate
from engine.store._outbox import OutboxRepository
from engine.store._repository import CaseRepository
from engine.store._rotation import Progress, Rotation, count_stale, rotate
from engine.store._socialmap import SocialMapRepository
from engine.store._tables import for_postgresql
from engine.store._throttle import ThrottleRepository


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite files get WAL, foreign keys, a busy timeout and
    `BEGIN IMMEDIATE`, so a second writer waits for the first instead of failing half-way."""
    parsed = _supported(url)
    if parsed.get_backend_name() != "sqlite":
        for_postgresql()
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


def create_schema(engine: Engine, codec: Codec | None = None) -> str:
    """Bring the database to the newest schema with the Alembic migrations (idempotent);
    returns the revision it is at. `codec` seals the rows of a database from before
    encryption at rest (not needed for a new one)."""
    return migrate(engine, codec=codec)


class UnitOfWork:
    """One transaction: everything done through `cases` commits together or not at all.
    The keys are read at the first transaction (`load_cipher`), which also checks them
    against the keys the database knows: a missing or wrong key fails there, clearly."""

    def __init__(
        self, engine: Engine, load_cipher: Callable[[], Cipher], now: Callable[[], datetime]
    ) -> None:
        self.engine = engine
        self._load_cipher = load_cipher
        self._cipher: Cipher | None = None
        self._codec: Codec | None = None
        self._now = now
        self._keys_checked = False

    @property
    def cipher(self) -> Cipher:
        """The key ring's cipher, read on first use."""
        if self._cipher is None:
            self._cipher = self._load_cipher()
        return self._cipher

    @property
    def codec(self) -> Codec:
        if self._codec is None:
            self._codec = Codec(self.cipher)
        return self._codec

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        ring = self.cipher.ring
        with self.engine.begin() as conn:
            if not self._keys_checked:
                self._keys_checked = check_keys(conn, ring, self._now())
            yield conn

    def check_keys(self) -> None:
        """Check the keys now (at start), not at the first read."""
        with self._connection():
            pass

    def rotate(self, *, batch: int, progress: Progress | None = None) -> Rotation:
        """Re-seal everything with the newest key, `batch` rows per transaction."""
        self.check_keys()
        cipher = self.cipher
        return rotate(self.engine, self.codec, cipher.newest_header, cipher.ring.newest.id,
                      self._now, batch=batch, progress=progress)  # fmt: skip

    def stale(self) -> int:
        """How many rows hold a value not sealed with the newest key."""
        self.check_keys()
        return count_stale(self.engine, self.cipher.newest_header)

    @contextmanager
    def begin(self) -> Iterator[CaseRepository]:
        with self._connection() as conn:
            yield CaseRepository(conn, self.codec)

    @contextmanager
    def access(self) -> Iterator[AccessRepository]:
        with self._connection() as conn:
            yield AccessRepository(conn)

    @contextmanager
    def outbox(self) -> Iterator[OutboxRepository]:
        with self._connection() as conn:
            yield OutboxRepository(conn, self.codec)

    @contextmanager
    def socialmap(self) -> Iterator[SocialMapRepository]:
        """The social map's changes; no keys needed (organisations, no client data)."""
        with self.engine.begin() as conn:
            yield SocialMapRepository(conn)

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
