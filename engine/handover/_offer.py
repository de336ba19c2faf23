"""Where a hand-over offer stands (step 12, L3368-3393). Pure: case facts and the client's
consent in, a verdict out; no I/O.

The counsellor offers the case to the partner organisation the client consented to
(L2976-2979, L3268-3270); the partner accepts or declines. Her consent carries the offer:
once it no longer names that organisation (withdrawn or changed), the offer has lapsed, at
once, and a new consent needs a new offer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Status = Literal["offered", "accepted", "declined", "lapsed"]
# The case facts the workflow's hand-over triggers set.
OFFERED_TO = "handover_offered_to"
STATUS = "handover_status"


def consent_names(consent: Mapping[str, Any] | None, organisation: str) -> bool:
    """Her standing consent hands the case over to `organisation` (by id, compared exactly)."""
    consent = consent or {}
    return (
        bool(consent.get("handover_to_partner"))
        and not consent.get("withdrawn")
        and consent.get("partner_organisation") == organisation
    )


def offer_state(
    facts: Mapping[str, Any], consent: Mapping[str, Any] | None
) -> tuple[str | None, Status | None]:
    """To whom the case is offered and where the offer stands; (None, None) if never offered."""
    partner, status = facts.get(OFFERED_TO), facts.get(STATUS)
    if partner is None or status is None:
        return None, None
    if status in ("offered", "accepted") and not consent_names(consent, str(partner)):
        return str(partner), "lapsed"
    return str(partner), status


def lapse_offer(facts: dict[str, Any], consent: Mapping[str, Any] | None) -> bool:
    """Mark an offer whose consent no longer stands as lapsed (after a consent is recorded),
    so that a later consent does not revive it; True when it did."""
    _, status = offer_state(facts, consent)
    if status == "lapsed" and facts.get(STATUS) != "lapsed":
        facts[STATUS] = "lapsed"
        return True
    return False


def offered_to(facts: Mapping[str, Any], consent: Mapping[str, Any] | None, org: str) -> bool:
    """The case stands offered to `org` (awaiting its answer, or accepted) with her consent."""
    partner, status = offer_state(facts, consent)
    return partner == org and status in ("offered", "accepted")
