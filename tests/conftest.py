"""Shared fixtures: a real database (an SQLite file, or PostgreSQL when
SAFE_FUTURE_TEST_DB is set, as `.ci/run` does), a fixed clock and the shipped workflow."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import structlog
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.crypto import create_key_file
from engine.logs import configure_logging
from engine.settings import Settings
from engine.states import Workflow
from engine.store import create_schema
from engine.store._tables import metadata
from tests.support import CaseDriver


def _for_this_worker(url: str | None) -> str | None:
    """Each pytest-xdist worker empties the database of every test it runs, so each has its
    own: `<database>_<worker id>` (`test_gw0`, `test_gw1`, …) beside the one named."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _for_this_worker(os.environ.get("SAFE_FUTURE_TEST_DB"))


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """This worker's PostgreSQL database, created when missing."""
    assert POSTGRES_URL
    parsed = make_url(POSTGRES_URL)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = "SELECT 1 FROM pg_database WHERE datname = :name"
        if conn.execute(text(found), {"name": parsed.database}).scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return POSTGRES_URL


@pytest.fixture(autouse=True)
def _quiet_logs() -> Iterator[None]:
    """Each test starts with warnings-only logs and leaves structlog as it found it."""
    configure_logging("WARNING")
    yield
    structlog.reset_defaults()


@pytest.fixture(scope="session")
def workflow() -> Workflow:
    """The shipped workflow, loaded and checked once."""
    return Workflow.load()


@pytest.fixture
def db_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database for one test."""
    if POSTGRES_URL:
        url = request.getfixturevalue("postgres_url")
        engine = create_engine(url)
        metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
        yield url
    else:
        yield f"sqlite:///{tmp_path / 'safe_future.db'}"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A key file with one fresh key, where `init-db` would make it for the SQLite test
    database (beside it), so a second bootstrap of the same URL finds it too."""
    path = tmp_path / "safe_future.db.keys"
    create_key_file(path, "k1")
    return path


@pytest.fixture
def settings(db_url: str, key_file: Path) -> Settings:
    """Settings for the test database and its key file."""
    return Settings(db=db_url, key_file=key_file)


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at Monday 5 January 2026, 09:00 UTC, moved only by the test."""
    return FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(settings: Settings, clock: FixedClock, workflow: Workflow) -> Iterator[App]:
    """The engine wired to the test database, the fixed clock and the shipped workflow."""
    built = bootstrap(settings, clock=clock, workflow=workflow, configure_logs=False)
    create_schema(built.db)
    yield built
    built.db.dispose()


@pytest.fixture
def case(app: App, clock: FixedClock) -> CaseDriver:
    """A driver for one case on the test database."""
    return CaseDriver(app, clock)
