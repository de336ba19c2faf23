"""The schema's PostgreSQL options are set apart (engine/store/_tables.py `for_postgresql`,
so SQLite never imports that dialect), yet the code's schema gives each database its own:
the one-open-case-per-client index is partial on both, and JSON is JSONB on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.schema import CreateIndex, CreateTable

from engine.store import make_engine
from engine.store._tables import cases, timers


def test_the_open_case_index_is_partial_and_json_native_on_the_test_database(
    db_url: str,
) -> None:
    """Made for the test database, the open-case index is created `WHERE NOT closed`, and a
    reminder's days are stored as JSONB on PostgreSQL, as JSON on SQLite."""
    engine = make_engine(db_url)
    index = next(i for i in cases.indexes if i.name == "uq_cases_open_client")
    ddl = str(CreateIndex(index).compile(dialect=engine.dialect))
    table = str(CreateTable(timers).compile(dialect=engine.dialect))
    json_type = "JSONB" if engine.dialect.name == "postgresql" else "JSON"
    remind_on = next(line.strip() for line in table.splitlines() if "remind_on" in line)
    assert (True, True) == (ddl.startswith("CREATE UNIQUE INDEX"), ddl.endswith("WHERE NOT closed"))
    assert f"remind_on {json_type} NOT NULL," == remind_on
    engine.dispose()
