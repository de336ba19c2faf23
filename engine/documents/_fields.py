"""Field types shared by the documents: bounded text, answers, scores and roles.

Everything here is special-category personal data: free text is optional and short, and its
description says it must not hold names or contact details.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""Bounded free text: no names, phone numbers or addresses."""

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
"""A short label: an organisation's name, a role, a task. Never a person's name."""

ORGANISATION_ID = r"^[a-z0-9][a-z0-9._-]{0,63}$"
OrganisationId = Annotated[str, StringConstraints(pattern=ORGANISATION_ID)]
"""A registered organisation's id (as `safe-future org add` made it), never its display name."""

SOCIALMAP_ID = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"
SocialMapId = Annotated[str, StringConstraints(pattern=SOCIALMAP_ID)]
"""An organisation's id on the social map (`engine.socialmap`'s ID_PATTERN), e.g. ng-cosudow."""

Answer = Literal["yes", "no", "unknown"]
"""An answer to a yes/no question; `unknown` when the client does not know or will not say."""

Score = Literal["--", "-", "+", "++"]
"""How the client sees a factor in Overview 1: very negative, negative, positive, very positive."""

Country = Literal["netherlands", "country_of_origin"]

Role = Literal[
    "client",
    "counsellor",
    "client_and_counsellor",
    "shelter",
    "partner_organisation",
    "return_organisation",
    "iom",
    "lawyer",
    "police",
    "family_or_network",
    "other",
]
"""Who does something, as a role or kind of organisation, never a person's name."""

LifeDomain = Literal[
    "safety",
    "housing_daily_life",
    "finances",
    "children_parenting",
    "ex_partner",
    "social_relations",
    "work_learning",
    "leisure",
    "health_self_care",
    "meaning",
]
"""The 10 life domains of Krachtwerk (footnote 91, L2406-2410)."""

ShareableKind = Literal[
    "risk_analysis",
    "safety_plan",
    "strengths_inventory",
    "action_plan",
    "overview1",
    "overview2",
    "return_plan",
    "risk_update",
    "health_checklist",
    "return_funds",
]
"""Document kinds the client may consent to hand over to a partner organisation."""

Service = Literal[
    "airport_pickup",
    "customs_police_assistance",
    "shelter",
    "psychological",
    "medical",
    "legal",
    "skills_training",
    "job_income",
    "financial",
    "children",
    "family_reunification",
    "other",
]
"""Services of a return or re-integration organisation (the social map, Bijlage 11-14)."""

MANY = 50
"""The most items a list of parts may hold (measures, goals, tasks, appointments, …): the
book's forms list a handful; 50 is room for a long stay, and caps what one document weighs."""

CHOICES = 20
"""The most items a list of choices may hold (roles, services, document kinds)."""
