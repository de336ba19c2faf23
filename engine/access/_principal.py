"""A principal: the person or system behind a request, by id and role only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["counsellor", "coordinator", "partner", "admin", "privacy_officer"]
ROLES: tuple[str, ...] = get_args(Role)
Kind = Literal["person", "system"]


@dataclass(frozen=True)
class Principal:
    """`organisation` is a shelter for counsellors, a region for coordinators, a partner
    organisation for partners. `organisation_name` is for display only: access goes by id."""

    user_id: str
    role: Role
    organisation: str
    kind: Kind = "person"
    organisation_name: str = ""

    @property
    def actor(self) -> str:
        """How the principal appears in the event log and the audit trail."""
        return f"{self.kind}:{self.user_id}"
