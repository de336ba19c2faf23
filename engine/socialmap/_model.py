"""One organisation on the social map, as the data file, a shelter's additions file and an
administrator's change give it. Only organisations: no contact persons, phone numbers or
e-mail addresses (personal data, and outdated within a year)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from engine.documents import Service
from engine.i18n import N_, _
from engine.socialmap._countries import is_country

SERVICES: tuple[str, ...] = get_args(Service)
KINDS = ("partner", "return_organisation", "network", "iom")
# What people read for each service and kind: the book's table rows, shortened.
# English msgids, shown with `engine.i18n.translate(label, lang)`.
SERVICE_LABELS: dict[str, str] = {
    "airport_pickup": N_("Airport pick-up"),
    "customs_police_assistance": N_("Help with customs, police or immigration"),
    "shelter": N_("Shelter"),
    "psychological": N_("Psychological help"),
    "medical": N_("Medical help"),
    "legal": N_("Legal help"),
    "skills_training": N_("Skills and training"),
    "job_income": N_("Work and income"),
    "financial": N_("Financial help"),
    "children": N_("Help for children and parenting"),
    "family_reunification": N_("Family reunification"),
    "other": N_("Other services"),
}
KIND_LABELS: dict[str, str] = {
    "partner": N_("Organisation on the ground"),
    "return_organisation": N_("Dutch return organisation"),
    "network": N_("Network"),
    "iom": N_("IOM"),
}
Kind = Literal["partner", "return_organisation", "network", "iom"]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"

# What would be contact data: an e-mail address, or a phone number (an international prefix,
# or 9+ digits with at most single separators; a year range such as 1995-2005 is not one).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+|\b00)\s?\(?\d|\d(?:[\s./()-]?\d){8,}")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Source(BaseModel):
    """Where an entry comes from: the book's Bijlage and line, or a shelter's file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bijlage: int | None = Field(default=None, ge=11, le=14)
    line: int | None = Field(default=None, ge=1)
    label: str | None = Field(default=None, max_length=200, description="the book's heading")
    file: str | None = Field(default=None, max_length=300, description="a shelter's file")


class Organisation(BaseModel):
    """An organisation that helps victims return and re-integrate, or a network of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, description="stable id, e.g. ng-cosudow")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: Kind
    country: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code; null for an international network"
    )
    serves: list[str] = Field(default=[], max_length=300, description="other countries served")
    worldwide: bool = False
    services: list[Service] = Field(default=[], description="what it offers (Bijlage 14's 12)")
    other_services: Text | None = None
    description: Text | None = None
    website: str | None = Field(default=None, pattern=r"^https?://[^\s/]+\.[^\s]+$")
    sources: list[Source] = Field(default=[], max_length=10)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not is_country(value):
            raise ValueError(_("{value} is not an ISO 3166-1 alpha-2 code", value=repr(value)))
        return value

    @field_validator("serves")
    @classmethod
    def _serves(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if not is_country(c)]
        if unknown:
            raise ValueError(_("not ISO 3166-1 alpha-2 codes: {items}", items=", ".join(unknown)))
        return sorted(set(value))

    @field_validator("services")
    @classmethod
    def _services(cls, value: list[str]) -> list[str]:
        return [s for s in SERVICES if s in value]  # the table's order, each once

    @field_validator("name", "other_services", "description")
    @classmethod
    def _no_contact_data(cls, value: str | None) -> str | None:
        if value is not None and (_EMAIL.search(value) or _PHONE.search(value)):
            raise ValueError(
                _(
                    "no e-mail addresses or phone numbers: the social map keeps organisations, "
                    "not contact persons' details"
                )
            )
        return value

    def works_in(self, code: str) -> bool:
        """Based in the country, serving it, or working worldwide (as `SocialMap.working_in`
        indexes it)."""
        return self.worldwide or self.country == code or code in self.serves

    def public(self) -> dict[str, Any]:
        """The item as the CLI's --json and the API give it."""
        data = self.model_dump(mode="json")
        data["source"] = data["sources"][0] if data["sources"] else None
        return data
