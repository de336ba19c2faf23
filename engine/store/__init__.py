"""Persistence: tables, the case repository and the unit of work."""

from engine.store._access import AccessRepository
from engine.store._audit import AuditEntry, append_audit
from engine.store._database import UnitOfWork, create_schema, make_engine
from engine.store._keys import registered_keys
from engine.store._listing import After, CaseFilter
from engine.store._outbox import OutboxRepository
from engine.store._repository import CaseRepository
from engine.store._socialmap import SOCIALMAP, SocialMapRepository
from engine.store._verify import Break, ChainReport

__all__ = [
    "SOCIALMAP",
    "AccessRepository",
    "After",
    "AuditEntry",
    "Break",
    "CaseFilter",
    "CaseRepository",
    "ChainReport",
    "OutboxRepository",
    "SocialMapRepository",
    "UnitOfWork",
    "append_audit",
    "create_schema",
    "make_engine",
    "registered_keys",
]
