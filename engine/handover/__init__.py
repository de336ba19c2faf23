"""The hand-over to a partner organisation abroad: where an offer stands, pure rules shared
by the guards, the access policy and the service."""

from engine.handover._offer import (
    Status,
    consent_names,
    lapse_offer,
    offer_state,
    offered_to,
)

__all__ = ["Status", "consent_names", "lapse_offer", "offer_state", "offered_to"]
