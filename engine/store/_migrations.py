"""Schema migrations with Alembic: `migrate` brings a database to the newest schema, from
empty or from any earlier release, in one transaction where the database allows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from engine.store._tables import metadata

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where it is used: a command that does not migrate (`case show`) starts
# about 90 ms sooner without it (bench/coldstart.py).


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "engine.store:migrations")
    return config


def migrate(engine: Engine, to: str = "head") -> str:
    """Upgrade the database to the newest revision, or to `to` (safe to run again); returns
    the revision reached."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, to)
    return to if to != "head" else str(ScriptDirectory.from_config(config).get_current_head())


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
