"""Who gets reminders: organisations' inboxes and regions' care coordinators.

Read from a YAML file (`SAFE_FUTURE_DIRECTORY`) that a shelter's administrator keeps::

    organisations:
      shelter-north: {region: noord, inbox: {email: begeleiding@shelter-north.example}}
    regions:
      noord: {coordinator: {email: zorgcoordinator@regio-noord.example,
                            webhook: "https://coordination.example/hooks/safe-future"}}

A role without an address is reminded through the log channel, so nothing is dropped.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from engine.errors import InvalidInput


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Model):
    email: str | None = None
    webhook: str | None = None


class Organisation(_Model):
    region: str | None = None
    inbox: Contact = Contact()


class Region(_Model):
    coordinator: Contact = Contact()


class Directory(_Model):
    organisations: dict[str, Organisation] = {}
    regions: dict[str, Region] = {}

    @classmethod
    def load(cls, path: Path | None) -> Directory:
        if path is None:
            return cls()
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise InvalidInput(f"cannot read the directory {path}", [f"directory: {exc}"]) from exc

    def addresses(self, organisation: str, role: str) -> list[tuple[str, str]]:
        """(channel, recipient) pairs for a role at an organisation; the log when none."""
        org = self.organisations.get(organisation, Organisation())
        if role == "coordinator":
            contact = self.regions.get(org.region or "", Region()).coordinator
        else:  # counsellor, organisation: the organisation's inbox until cases name a counsellor
            contact = org.inbox
        found = [
            (ch, to) for ch, to in (("email", contact.email), ("webhook", contact.webhook)) if to
        ]
        return found or [("log", f"{role}@{organisation}")]

    def channels(self) -> set[str]:
        """The channels this directory's addresses need."""
        contacts = [o.inbox for o in self.organisations.values()]
        contacts += [r.coordinator for r in self.regions.values()]
        return {
            ch for c in contacts for ch, to in (("email", c.email), ("webhook", c.webhook)) if to
        }
