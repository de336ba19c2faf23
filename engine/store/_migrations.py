"""Schema migrations with Alembic: `migrate` brings a database to the newest schema, from
empty or from any earlier release, in one transaction where the database allows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from engine.store._tables import metadata

if TYPE_CHECKING:
    from alembic.config import Config

    from engine.store._codec import Codec

# Alembic is imported where it is used: a command that does not migrate (`case show`) starts
# about 90 ms sooner without it (bench/coldstart.py).


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "engine.store:migrations")
    return config


def migrate(engine: Engine, to: str = "head", codec: Codec | None = None) -> str:
    """Upgrade the database to the newest revision, or to `to` (safe to run again); returns
    the revision reached. A migration that replaced client data in clear (sealing it) asks
    for `purge`: the old values are then wiped from the files, not just unlinked."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _config()
    config.attributes["codec"] = codec
    with engine.connect() as conn:
        # SQLite: batch mode copies a table; foreign keys are switched off (only possible
        # outside a transaction) and checked as a whole before the commit instead.
        driver: Any = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if driver is not None:
                    conn.exec_driver_sql("PRAGMA secure_delete=ON")  # freed pages are zeroed
                config.attributes["connection"] = conn
                command.upgrade(config, to)
                if driver is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration broke a foreign key; nothing was changed")
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")
    if config.attributes.get("purge"):
        purge(engine)
    return to if to != "head" else str(ScriptDirectory.from_config(config).get_current_head())


def purge(engine: Engine) -> None:
    """Rewrite the files so that replaced values leave no trace: VACUUM and an emptied WAL on
    SQLite; VACUUM FULL of the sealed tables on PostgreSQL (old row versions hold them).
    Neither runs inside a transaction, so this takes a bare driver connection."""
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        if engine.dialect.name == "sqlite":  # in autocommit mode (make_engine)
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            driver.autocommit = True
            try:
                driver.execute("VACUUM FULL cases, events, documents")
            finally:
                driver.autocommit = False
    finally:
        raw.close()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it was never migrated)."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def drift(engine: Engine) -> list[object]:
    """Differences between the database and the tables the code expects (empty when none)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))
