"""Suggestions where a counsellor refers (steps 2, 6, 10 and 12, and leaving without papers):
organisations in the client's country of origin that offer what her plan asks for. A hint
for the counsellor, never a requirement. Pure: the case's documents in, a list out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.i18n import _
from engine.socialmap._map import Entry, SocialMap
from engine.socialmap._model import SERVICES

LIMIT = 5
# Who fits best when several offer the same: an organisation on the ground before a network,
# IOM or a Dutch return organisation.
_KIND_ORDER = {"partner": 0, "iom": 1, "return_organisation": 2, "network": 3}


def needs_from(documents: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The services her return plan (PAT) asks for: section 5's help from an organisation in
    the country of origin and section 11's support areas."""
    plan = documents.get("return_plan") or {}
    safety = plan.get("safety") or {}
    organisations = plan.get("organisations") or {}
    asked = [*safety.get("origin_organisation_help", []), *organisations.get("support_areas", [])]
    return [s for s in SERVICES if s in asked]


def country_from(documents: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Her country of origin as her profile records it."""
    code = (documents.get("client_profile") or {}).get("country_of_origin")
    return str(code) if code else None


def suggest(smap: SocialMap, country: str | None, needs: Sequence[str]) -> dict[str, Any]:
    """Up to five organisations working in `country`, those offering most of `needs` first,
    each with what it offers of them and what not; `more` counts the rest."""
    if country is None:
        return {
            "country": None,
            "needs": list(needs),
            "organisations": [],
            "more": 0,
            "hint": _(
                "record her country of origin (client_profile.country_of_origin) to get "
                "suggestions from the social map"
            ),
        }
    found = sorted(
        smap.working_in(country),
        key=lambda e: _rank(e, country, needs),
    )
    return {
        "country": country,
        "needs": list(needs),
        "organisations": [_item(e, country, needs) for e in found[:LIMIT]],
        "more": max(0, len(found) - LIMIT),
        "hint": _("suggestions from the social map; the choice is the client's and yours"),
    }


def _rank(entry: Entry, country: str, needs: Sequence[str]) -> tuple[int, int, int, str]:
    org = entry.org
    lacking = sum(1 for s in needs if s not in org.services)
    here = 0 if org.country == country else 1
    return lacking, here, _KIND_ORDER[org.kind], org.name.casefold()


def _item(entry: Entry, country: str, needs: Sequence[str]) -> dict[str, Any]:
    org = entry.org
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "in_country": org.country == country,
        "offers": [s for s in needs if s in org.services],
        "lacks": [s for s in needs if s not in org.services],
        "services": list(org.services),
        "website": org.website,
    }
