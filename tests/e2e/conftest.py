"""What the command-line tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from engine.crypto import create_key_file
from engine.store import create_schema
from tests.e2e.test_cli import Cli, base_env


@pytest.fixture
def ready(db_url: str, tmp_path: Path) -> Iterator[Cli]:
    """The command against the test database with its tables and key file created."""
    key_file = tmp_path / "cli.keys"
    create_key_file(key_file, "k1")
    engine = create_engine(db_url)
    create_schema(engine)
    engine.dispose()
    yield Cli(db_url, tmp_path, base_env(SAFE_FUTURE_KEY_FILE=str(key_file)))
