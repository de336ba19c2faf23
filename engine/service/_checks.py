"""Checks of the organisations a change names: registered partner organisations by id, and
entries on the social map."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from engine.bootstrap import App
from engine.documents import SOCIALMAP_ID
from engine.domain import Case
from engine.errors import InvalidInput
from engine.i18n import _
from engine.store import CaseRepository

# The documents that name a partner organisation, and where (trigger data declares its own
# with `type: organisation`).
_PARTNER_FIELDS = {"consent": ["partner_organisation"]}


def _partners_check(
    data: Mapping[str, Any], fields: list[str]
) -> Callable[[CaseRepository, Case], None] | None:
    """Once organisations are registered, a partner a case names is a registered partner
    organisation, by id: never a display name, never a look-alike."""
    named = [(f, data[f]) for f in fields if isinstance(data.get(f), str)]
    return _registered_check(named, partner=True)


# The documents whose parts name an organisation by id (registered or on the social map).
_ORGANISATION_PARTS = {"return_funds": ["returned_through", "paid_to"]}


def _named_ids(kind: str, data: Mapping[str, Any], field: str) -> list[tuple[str, str]]:
    """(where, id) of each `field` in the document's organisation parts."""
    found = []
    for part in _ORGANISATION_PARTS.get(kind, []):
        value = data[part].get(field) if isinstance(data.get(part), dict) else None
        if isinstance(value, str):
            found.append((f"{kind}.{part}.{field}", value))
    return found


def _socialmap_ids(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return _named_ids(kind, data, "socialmap_id")


def _registered_check(
    named: list[tuple[str, str]], *, partner: bool = False
) -> Callable[[CaseRepository, Case], None] | None:
    """Once organisations are registered, an organisation named by its registered id is one
    (a partner organisation, with `partner`)."""
    if not named:
        return None
    what = "partner organisation" if partner else "organisation"

    def unknown(kind: str | None) -> bool:
        return kind != "partner" if partner else kind is None

    def check(repo: CaseRepository, _case: Case) -> None:
        if not repo.registry_in_use():
            return
        reasons = [
            _(
                "{where}: {value} is not the id of a registered {what} (`safe-future org list`)",
                where=where,
                value=repr(value),
                what=what,
            )
            for where, value in named
            if unknown(repo.organisation_kind(value))
        ]
        if reasons:
            raise InvalidInput(_("unknown {what}", what=what), reasons)

    return check


def _socialmap_check(
    app: App, named: list[tuple[str, str]], *, local: bool = True
) -> Callable[[CaseRepository, Case], None] | None:
    """The social-map ids a case names are on the map as it stands, not retired, and (for a
    local organisation) working in her country of origin when her profile gives it."""
    named = [(f, v) for f, v in named if isinstance(v, str) and re.fullmatch(SOCIALMAP_ID, v)]
    if not named:
        return None

    def check(repo: CaseRepository, case: Case) -> None:
        from engine import socialmap  # only when a document names an organisation

        smap = socialmap.compose(app.settings.socialmap_file, repo.socialmap_changes())
        documents = {kind: d.data for kind, d in case.documents.items()}
        country = socialmap.country_from(documents) if local else None
        reasons = socialmap.wrong_references(smap, named, country)
        if reasons:
            raise InvalidInput(_("unknown organisation on the social map"), reasons)

    return check


def _checks(
    *checks: Callable[[CaseRepository, Case], None] | None,
) -> Callable[[CaseRepository, Case], None] | None:
    """The given registry checks, one after the other; None when there are none."""
    present = [c for c in checks if c is not None]
    if not present:
        return None

    def check(repo: CaseRepository, case: Case) -> None:
        for one in present:
            one(repo, case)

    return check
