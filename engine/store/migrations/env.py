"""Alembic's environment: migrations run on the connection `engine.store.migrate` passes in
(there is no alembic.ini; the database URL comes from the engine's own settings)."""

from __future__ import annotations

from alembic import context

from engine.store._tables import for_postgresql, metadata

connection = context.config.attributes["connection"]
if connection.dialect.name == "postgresql":
    for_postgresql()
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying a table
)
with context.begin_transaction():
    context.run_migrations()
