"""Who gets reminders: organisations' inboxes and regions' care coordinators.

Read from a YAML file (`SAFE_FUTURE_DIRECTORY`) that a shelter's administrator keeps::

    organisations:
      shelter-north: {region: noord, language: nl,
                      inbox: {email: begeleiding@shelter-north.example}}
    regions:
      noord: {coordinator: {email: zorgcoordinator@regio-noord.example, digest: daily,
                            webhook: "https://coordination.example/hooks/safe-future"}}
    people:
      j.devries: {email: j.devries@shelter-north.example, language: en, digest: daily}

A case's counsellor (a user id under `people`) gets the counsellor's reminders; a case without
one, or one the directory does not know, sends them to the organisation's inbox. A role without
an address is reminded through the log channel, so nothing is dropped.

A reminder is written in its recipient's `language` (`nl` or `en`): the contact's own, else
its organisation's (for a counsellor or the inbox) or region's (for the coordinator), else
Dutch. A contact with `digest: daily` gets her e-mail reminders in one message a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from engine.errors import InvalidInput
from engine.i18n import LANGS, _


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
DEFAULT_LANGUAGE = "nl"


def _language(value: str | None) -> str | None:
    if value is not None and value not in LANGS:
        raise ValueError(f"one of {', '.join(LANGS)}")
    return value


class Contact(_Model):
    email: str | None = None
    webhook: str | None = None
    language: str | None = None
    digest: Literal["daily"] | None = None

    _check_language = field_validator("language")(_language)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("an e-mail address like name@example.org")
        return value

    @field_validator("webhook")
    @classmethod
    def _webhook(cls, value: str | None) -> str | None:
        """Reminders leave the machine only encrypted: https, or http to this machine."""
        if value is None:
            return value
        url = urlsplit(value)
        if not url.hostname or url.scheme not in ("https", "http"):
            raise ValueError("a URL like https://host/path")
        if url.scheme == "http" and url.hostname not in _LOOPBACK:
            raise ValueError("https is required except for this machine (localhost)")
        return value


class Organisation(_Model):
    region: str | None = None
    inbox: Contact = Contact()
    language: str | None = None

    _check_language = field_validator("language")(_language)


class Region(_Model):
    coordinator: Contact = Contact()
    language: str | None = None

    _check_language = field_validator("language")(_language)


@dataclass(frozen=True)
class Preferences:
    """How a recipient wants her reminders: in which language, and one by one or a daily digest."""

    language: str = DEFAULT_LANGUAGE
    digest: bool = False


class Directory(_Model):
    organisations: dict[str, Organisation] = {}
    regions: dict[str, Region] = {}
    people: dict[str, Contact] = {}

    @classmethod
    def load(cls, path: Path | None) -> Directory:
        if path is None:
            return cls()
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except ValidationError as exc:
            reasons = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            raise InvalidInput(
                _("cannot read the directory {path}", path=str(path)), reasons
            ) from None
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(
                _("cannot read the directory {path}", path=str(path)), [f"directory: {exc}"]
            ) from exc

    def addresses(
        self, organisation: str, role: str, counsellor: str | None = None
    ) -> list[tuple[str, str]]:
        """(channel, recipient) pairs for a role at an organisation; the log when none."""
        org = self.organisations.get(organisation, Organisation())
        if role == "coordinator":
            contact = self.regions.get(org.region or "", Region()).coordinator
        elif role == "counsellor" and counsellor in self.people:
            contact = self.people[counsellor]
        else:  # the organisation, or a counsellor the directory has no address for
            contact = org.inbox
        found = [
            (ch, to) for ch, to in (("email", contact.email), ("webhook", contact.webhook)) if to
        ]
        return found or [("log", f"{role}@{organisation}")]

    def preferences(self, organisation: str, channel: str, recipient: str) -> Preferences:
        """The language and digest wish of the contact that has `recipient` as its address
        for `channel` (for a case of `organisation`); the organisation's language for a role
        reminded through the log."""
        org = self.organisations.get(organisation, Organisation())
        region = self.regions.get(org.region or "", Region())
        found: list[tuple[Contact, str | None]] = [(p, org.language) for p in self.people.values()]
        found += [(o.inbox, o.language) for o in self.organisations.values()]
        found += [(r.coordinator, r.language) for r in self.regions.values()]
        for contact, fallback in found:
            if getattr(contact, channel, None) == recipient:
                language = contact.language or fallback or DEFAULT_LANGUAGE
                return Preferences(language, contact.digest == "daily")
        role = recipient.partition("@")[0]
        fallback = region.language if role == "coordinator" else org.language
        return Preferences(fallback or DEFAULT_LANGUAGE)

    def channels(self) -> set[str]:
        """The channels this directory's addresses need."""
        contacts = [o.inbox for o in self.organisations.values()]
        contacts += [r.coordinator for r in self.regions.values()]
        contacts += list(self.people.values())
        return {
            ch for c in contacts for ch, to in (("email", c.email), ("webhook", c.webhook)) if to
        }
