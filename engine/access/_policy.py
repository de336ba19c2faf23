"""The scope rules, pure: a principal, a case and the case organisation's region in; what the
principal may do with that case out.

- counsellor: the cases of her own organisation, read and change;
- coordinator: the cases of the organisations in her region, read only;
- partner: only cases handed over to it with the client's valid consent, only the documents
  she consented to share, and it may record its monitoring contacts and reports;
- admin: organisations, people and tokens; no case contents.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from engine.access._principal import Principal
from engine.domain import Case

# What a partner may record on a case handed to it: its contacts and progress reports.
PARTNER_RECORDS = frozenset({"contact"})


class Scope(Enum):
    FULL = "full"  # read and change
    READ = "read"  # read only
    PARTNER = "partner"  # the consented documents; record contacts


def scope_of(principal: Principal, case: Case, case_region: str | None) -> Scope | None:
    """What `principal` may do with `case`; None means the case does not exist for her."""
    if principal.role == "counsellor" and case.organisation == principal.organisation:
        return Scope.FULL
    if principal.role == "coordinator" and case_region == principal.organisation:
        return Scope.READ
    if principal.role == "partner" and _handed_to(case, principal):
        return Scope.PARTNER
    return None


def visible_documents(principal: Principal, case: Case, scope: Scope) -> frozenset[str] | None:
    """The document kinds the principal may read (None: all of them)."""
    if scope is not Scope.PARTNER:
        return None
    consent = _consent(case)
    return frozenset(consent.get("share_documents", [])) | PARTNER_RECORDS


def _handed_to(case: Case, principal: Principal) -> bool:
    """Handed over at departure to this partner, with a consent naming it still standing.
    Both name the partner by its organisation id, compared exactly: a display name, however
    alike, opens nothing."""
    consent = _consent(case)
    return (
        case.facts.get("handover_partner") == principal.organisation
        and bool(consent.get("handover_to_partner"))
        and not consent.get("withdrawn")
        and consent.get("partner_organisation") == principal.organisation
    )


def _consent(case: Case) -> dict[str, Any]:
    doc = case.documents.get("consent")
    return doc.data if doc is not None else {}
