"""Who may see and do what: principals (people and systems with a role at an organisation),
the scope rules per role, and tokens."""

from engine.access._policy import (
    OWN_RECORDS,
    PARTNER_TRIGGERS,
    Scope,
    partner_may,
    scope_of,
    visible_documents,
)
from engine.access._principal import ROLES, Principal, Role

__all__ = [
    "OWN_RECORDS",
    "PARTNER_TRIGGERS",
    "ROLES",
    "Principal",
    "Role",
    "Scope",
    "partner_may",
    "scope_of",
    "visible_documents",
]
