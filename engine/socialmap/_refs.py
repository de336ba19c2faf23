"""Checking the social-map ids a case names (the local organisation of a departure without
support, the organisations of the return funds): pure functions of the map."""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import _
from engine.socialmap._countries import country_name
from engine.socialmap._map import SocialMap


def wrong_references(
    smap: SocialMap, named: Iterable[tuple[str, str]], country: str | None = None
) -> list[str]:
    """Why each named id (field, id) cannot be used: not on the map, retired, or, when her
    country of origin is known and `country` given, not working there. Empty when all can."""
    reasons: list[str] = []
    for field, org_id in named:
        if org_id not in smap:
            reasons.append(
                _(
                    "{field}: {org_id} is not on the social map (`safe-future socialmap "
                    "search`); give the organisation's name instead when it is not on the map",
                    field=field,
                    org_id=repr(org_id),
                )
            )
            continue
        entry = smap.get(org_id)
        if entry.retired:
            reasons.append(
                _(
                    "{field}: {org_id} is retired from the social map",
                    field=field,
                    org_id=repr(org_id),
                )
            )
        elif country is not None and not entry.org.works_in(country):
            reasons.append(
                _(
                    "{field}: {org_id} does not work in her country of origin ({country}, "
                    "{country_name}); choose a local organisation there",
                    field=field,
                    org_id=repr(org_id),
                    country=country,
                    country_name=country_name(country),
                )
            )
    return reasons
