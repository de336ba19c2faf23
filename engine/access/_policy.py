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
from engine.handover import consent_names, offered_to

# What a partner may record on a case handed to it: its contacts and progress reports, and
# the documents of the re-integration steps it runs (chapter 7, L3529-3860).
PARTNER_RECORDS = frozenset(
    {
        "contact",
        "reint_agreement",
        "legal_questions",
        "strengths_inventory",
        "action_plan",
        "resources_plan",
    }
)
# Recorded by the partner in the re-integration steps, readable by it only from the
# hand-over on unless the client consented to share the Dutch versions too.
OWN_RECORDS = frozenset({"strengths_inventory", "action_plan"})
# What a partner may fire: answer an offer (step 12), work the re-integration steps.
PARTNER_TRIGGERS = frozenset({"accept_handover", "decline_handover", "complete"})


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
    """The document kinds the principal may read (None: all of them). For a partner: what the
    client consented to share and its own records; a kind both shelter and partner record
    (OWN_RECORDS) is read in the versions made since the hand-over (the service knows when)."""
    if scope is not Scope.PARTNER:
        return None
    consent = _consent(case)
    return frozenset(consent.get("share_documents", [])) | (PARTNER_RECORDS - OWN_RECORDS)


def _handed_to(case: Case, principal: Principal) -> bool:
    """Offered to this partner (awaiting its answer, or accepted) or handed over to it at
    departure, with a consent naming it still standing. Both name the partner by its
    organisation id, compared exactly: a display name, however alike, opens nothing. A
    declined offer or a withdrawn consent closes the case to it at once."""
    consent = _consent(case)
    org = principal.organisation
    handed = case.facts.get("handover_partner") == org or offered_to(case.facts, consent, org)
    return handed and consent_names(consent, org)


def partner_may(case: Case, action: str) -> bool:
    """Whether a partner (within its scope) may make this change: answer an offer, work the
    re-integration steps and record their documents and its contacts."""
    verb, _, what = action.partition(":")
    if verb == "record":
        return what in PARTNER_RECORDS and case.facts.get("handover_partner") is not None
    if verb == "fire" and what in ("accept_handover", "decline_handover"):
        return True
    if verb == "fire" and what == "complete":
        return case.state.startswith("reint_") and case.facts.get("handover_partner") is not None
    return False


def _consent(case: Case) -> dict[str, Any]:
    doc = case.documents.get("consent")
    return doc.data if doc is not None else {}
