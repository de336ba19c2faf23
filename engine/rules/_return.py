"""Guards of the ways home: an early return (L2327-2329), the silent drum (L2913-2918) and the
health checklist a departure needs when the return plan records complaints (Bijlage 6)."""

from __future__ import annotations

from engine.documents import document_model
from engine.i18n import _
from engine.rules._registry import GuardContext, NoParams, guard

_CARE_KINDS = ("physical", "mental")
_COMPLAINTS = {
    ("physical",): _("physical health complaints"),
    ("mental",): _("mental health complaints"),
    ("physical", "mental"): _("physical and mental health complaints"),
}


@guard("early_return_stated")
def early_return_stated(ctx: GuardContext, _p: NoParams) -> list[str]:
    """Before the provisional decision (step 8) the client goes to the PAT only when she wishes
    to return from the start (L2327-2329, L2391-2395): the counsellor says so (early: true)."""
    if not ctx.trigger or ctx.data.get("early") is True:  # judged without data: case show
        return []
    return [
        _(
            "before the provisional decision (step 8), choosing to return is an early return, "
            "for a client who wishes to return from the start (L2327-2329): say so with "
            "early: true"
        )
    ]


@guard("local_contact_given")
def local_contact_given(ctx: GuardContext, _p: NoParams) -> list[str]:
    """A client who leaves without support always gets a local organisation's contact details
    (L2916-2918): one on the social map (local_organisation) or, when it is not on the map,
    its name (local_organisation_name)."""
    if not ctx.trigger:  # judged without data: case show
        return []
    on_map = ctx.data.get("local_organisation")
    named = ctx.data.get("local_organisation_name")
    if on_map and named:
        return [
            _(
                "local_organisation / local_organisation_name: give one of them, not both "
                "(the name only for an organisation that is not on the social map)"
            )
        ]
    if on_map or named:
        return []
    return [
        _(
            "local_organisation: the client always gets the contact details of a local "
            "organisation, in case she wants support later (L2917-2918); give its social-map "
            "id (local_organisation) or, when it is not on the map, its name "
            "(local_organisation_name)"
        )
    ]


def complaints(ctx: GuardContext) -> list[str]:
    """The kinds of health complaints (physical, mental) the return plan's section 7 records."""
    health = (ctx.document("return_plan") or {}).get("health") or {}
    return [kind for kind in _CARE_KINDS if (health.get(kind) or {}).get("complaints")]


@guard("health_checklist_for_complaints")
def health_checklist_for_complaints(ctx: GuardContext, _p: NoParams) -> list[str]:
    """When the return plan records health complaints (PAT section 7), the health checklist
    (Bijlage 6) is recorded and complete before departure: medicines and care available,
    accessible and affordable, a network, capacity to decide, hand-over between doctors
    (L2696-2699, L3212-3217, L4441-4504)."""
    kinds = complaints(ctx)
    if not kinds:
        return []
    found = ctx.case.documents.get("health_checklist")
    if found is None:
        return [
            _(
                "the return plan records {complaints} (PAT section 7): check with the health "
                "checklist (Bijlage 6) that the care she needs is available, accessible and "
                "affordable in her country, and record it (health_checklist) before departure",
                complaints=_COMPLAINTS[tuple(kinds)],
            )
        ]
    return document_model("health_checklist").model_validate(found.data).gaps()


def follow_up_call_reasons(ctx: GuardContext) -> list[str]:
    """Why a follow-up call cannot be recorded: only after leaving without support with a
    call agreed (L2916)."""
    if ctx.case.facts.get("follow_up_call_on"):
        return []
    return [
        _(
            "no follow-up call was agreed: it is agreed when the client leaves without support "
            "(depart_unassisted with follow_up_call_on)"
        )
    ]


@guard("return_funds_programme_fits")
def return_funds_programme_fits(ctx: GuardContext, _p: NoParams) -> list[str]:
    """IOM's REAN programme is in principle not for EU citizens; victims of trafficking are
    the exception (L2938-2939). Judged when return funds are recorded."""
    if ctx.data.get("programme") != "iom_rean":
        return []
    profile = ctx.document("client_profile") or {}
    if profile.get("citizenship") == "eu" and ctx.case.kind != "trafficking":
        return [
            _(
                "programme iom_rean: IOM's REAN programme is not for EU citizens, except "
                "victims of trafficking (L2938-2939); choose another programme"
            )
        ]
    return []
