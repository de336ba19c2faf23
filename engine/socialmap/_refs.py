"""Checking the social-map ids a case names (the local organisation of a departure without
support, the organisations of the return funds): pure functions of the map."""

from __future__ import annotations

from collections.abc import Iterable

from engine.socialmap._countries import country_name
from engine.socialmap._map import SocialMap


def wrong_references(
    smap: SocialMap, named: Iterable[tuple[str, str]], country: str | None = None
) -> list[str]:
    """Why each named id (field, id) cannot be used: not on the map, retired, or, when her
    country of origin is known and `country` given, not working there. Empty when all can."""
    reasons = []
    for field, org_id in named:
        if org_id not in smap:
            reasons.append(
                f"{field}: {org_id!r} is not on the social map (`safe-future socialmap search`); "
                "give the organisation's name instead when it is not on the map"
            )
            continue
        entry = smap.get(org_id)
        if entry.retired:
            reasons.append(f"{field}: {org_id!r} is retired from the social map")
        elif country is not None and not entry.org.works_in(country):
            reasons.append(
                f"{field}: {org_id!r} does not work in her country of origin "
                f"({country}, {country_name(country)}); choose a local organisation there"
            )
    return reasons
