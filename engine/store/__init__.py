"""Persistence: tables, the case repository and the unit of work."""

from engine.store._access import AccessRepository
from engine.store._database import UnitOfWork, create_schema, make_engine
from engine.store._keys import registered_keys
from engine.store._outbox import OutboxRepository
from engine.store._repository import CaseRepository

__all__ = [
    "AccessRepository",
    "CaseRepository",
    "OutboxRepository",
    "UnitOfWork",
    "create_schema",
    "make_engine",
    "registered_keys",
]
