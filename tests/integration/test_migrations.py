"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike: a new database
gets exactly the tables the code expects, and running the upgrade again keeps every case."""

from __future__ import annotations

from engine import service
from engine.bootstrap import App
from engine.store import create_schema
from engine.store._migrations import current_revision, drift
from tests.support import CaseDriver


def test_the_migrations_build_exactly_the_schema_the_code_expects(app: App) -> None:
    """No table, column, index or type differs between the migrated database and the code
    (a change to the tables without a migration fails here)."""
    assert [] == drift(app.db)
    assert current_revision(app.db) is not None


def test_upgrading_again_keeps_every_case(case: CaseDriver) -> None:
    """`init-db` on a database in use changes nothing and loses nothing."""
    case.open()
    before = service.show(case.app, case.id, actor="t")
    revision = current_revision(case.app.db)
    assert revision == create_schema(case.app.db)
    assert before == service.show(case.app, case.id, actor="t")
