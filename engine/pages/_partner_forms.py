"""The partner's document forms: what each re-integration step's form asks, and how a posted
form becomes the document's data (the service then validates it like any other input).
Pure: a form's fields in, a document out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from engine.documents._departure import ContactAbout, FundsUse, Outcome, ReintegrationResult
from engine.documents._fields import LifeDomain, Role
from engine.documents._reintegration import FirstNeed, LegalTopic, ResourceKind
from engine.i18n import N_

Form = Mapping[str, str]
# field name -> every value posted (checkboxes repeat a name)
Lists = Mapping[str, Sequence[str]]

CHOICES: dict[str, tuple[str, ...]] = {
    "first_needs": get_args(FirstNeed),
    "legal_topics": get_args(LegalTopic),
    "resource_kinds": get_args(ResourceKind),
    "roles": get_args(Role),
    "domains": get_args(LifeDomain),
    "abouts": get_args(ContactAbout),
    "outcomes": get_args(Outcome),
    "results": get_args(ReintegrationResult),
    "funds": get_args(FundsUse),
}
GOAL_ROWS = 3  # goals the action plan's form offers at once
# Each choice as people read it (translated where shown), and the reasons to decline.
CHOICE_WORDS: dict[str, str] = {
    "arrival_confirmation": N_("arrival confirmation"),
    "as_agreed": N_("as agreed"),
    "child_protection": N_("child protection"),
    "children_parenting": N_("children and parenting"),
    "client": N_("the client"),
    "client_and_counsellor": N_("the client and her counsellor"),
    "compensation": N_("compensation"),
    "concerns": N_("concerns"),
    "contact_1_month": N_("contact after 1 month"),
    "counsellor": N_("the counsellor"),
    "custody_and_guardianship": N_("custody and guardianship"),
    "domestic_violence_rights": N_("rights of victims of domestic violence"),
    "emergency_needs": N_("emergency needs"),
    "ended": N_("ended"),
    "ex_partner": N_("the ex-partner"),
    "family_or_network": N_("family or network"),
    "family_relations": N_("family relations"),
    "finances": N_("finances"),
    "follow_up_call": N_("follow-up call"),
    "free_legal_advice": N_("free legal advice"),
    "free_legal_representation": N_("free legal representation"),
    "health": N_("health"),
    "health_self_care": N_("health and self-care"),
    "help_with_forms": N_("help with forms"),
    "hospital_treatment": N_("hospital treatment"),
    "housing_daily_life": N_("housing and daily life"),
    "inner": N_("inner"),
    "institutional": N_("institutional"),
    "iom": N_("IOM"),
    "lawyer": N_("a lawyer"),
    "legal_procedures": N_("legal procedures"),
    "leisure": N_("leisure"),
    "livelihood": N_("livelihood"),
    "meaning": N_("meaning in life"),
    "measures_against_offenders": N_("measures against offenders"),
    "mental_wellbeing": N_("mental wellbeing"),
    "near_future_plans": N_("plans for the near future"),
    "no_capacity": N_("no capacity"),
    "no_contact": N_("no contact"),
    "no_funds": N_("no funds"),
    "no_services_in_region": N_("no services in the region"),
    "not_as_agreed": N_("not as agreed"),
    "not_used_yet": N_("not used yet"),
    "ok": N_("ok"),
    "on_track": N_("on track"),
    "other": N_("other"),
    "outside_mandate": N_("outside our mandate"),
    "partly_as_agreed": N_("partly as agreed"),
    "partly_on_track": N_("partly on track"),
    "partner_organisation": N_("the partner organisation"),
    "police": N_("the police"),
    "procedure_after_report": N_("the procedure after a police report"),
    "protection_as_witness": N_("protection as a witness"),
    "reflection_period": N_("reflection period"),
    "relational": N_("relational"),
    "report_12_months": N_("report after 12 months"),
    "report_6_months": N_("report after 6 months"),
    "restraining_order": N_("restraining order"),
    "return_organisation": N_("the return organisation"),
    "safe_shelter_during_procedure": N_("safe shelter during the procedure"),
    "safety": N_("safety"),
    "safety_concerns": N_("safety concerns"),
    "shelter": N_("the shelter"),
    "social_relations": N_("social relations"),
    "socio_economic": N_("socio-economic"),
    "stalled": N_("stalled"),
    "victim_status_rights": N_("rights as a victim"),
    "where_to_report": N_("where to report"),
    "work_learning": N_("work and learning"),
}


def _text(form: Form, name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _agreement(form: Form, lists: Lists) -> dict[str, Any]:
    step = {k: _text(form, f"next_{k}") for k in ("what", "who", "by")}
    return {
        "agreed_on": _text(form, "agreed_on"),
        "needs_discussed": list(lists.get("needs_discussed", [])),
        "further_help_wanted": form.get("further_help_wanted") == "yes",
        "next_steps": [step] if step["what"] else [],
        "safety_plan_agreed": "safety_plan_agreed" in form,
        "expectations_explained": "expectations_explained" in form,
        "contact_details_given": "contact_details_given" in form,
        "note": _text(form, "note"),
    }


def _legal(form: Form, _: Lists) -> dict[str, Any]:
    return {
        "reviewed_on": _text(form, "reviewed_on"),
        "for_victim_of": _text(form, "for_victim_of"),
        "questions": [
            {"topic": topic, "status": form[f"status_{topic}"]}
            for topic in CHOICES["legal_topics"]
            if form.get(f"status_{topic}")
        ],
        "explained_in_her_language": "explained_in_her_language" in form,
    }


def _resources(form: Form, _: Lists) -> dict[str, Any]:
    kinds = CHOICES["resource_kinds"]
    return {
        "made_on": _text(form, "made_on"),
        "actions": [
            {
                "resource": r,
                "action": form[f"action_{r}"].strip(),
                "who": _text(form, f"who_{r}"),
                "status": "planned",
            }
            for r in kinds
            if _text(form, f"action_{r}")
        ],
        "nothing_needed": [r for r in kinds if f"nothing_{r}" in form],
        "autonomy_and_safety": _text(form, "autonomy_and_safety"),
    }


def _strengths(form: Form, _: Lists) -> dict[str, Any]:
    data: dict[str, Any] = {"held_on": _text(form, "held_on")}
    for domain in CHOICES["domains"]:
        if f"not_relevant_{domain}" in form:
            data[domain] = {"not_relevant": True}
            continue
        entry = {k: _text(form, f"{k}_{domain}") for k in ("wishes", "strengths", "resources")}
        if any(entry.values()):
            data[domain] = {k: v for k, v in entry.items() if v}
    return data


def _goals(form: Form, _: Lists) -> dict[str, Any]:
    goals = []
    for i in range(GOAL_ROWS):
        row = {k: _text(form, f"{k}_{i}") for k in ("goal", "action", "who", "when")}
        if row["goal"]:
            goals.append({**row, "country": "country_of_origin"})
    return {"made_on": _text(form, "made_on"), "goals": goals}


def _contact(form: Form, _: Lists) -> dict[str, Any]:
    report = form.get("about", "").startswith("report_")
    data = {
        "about": _text(form, "about"),
        "took_place_on": _text(form, "took_place_on"),
        "by": "partner",
        "outcome": _text(form, "outcome"),
        "note": _text(form, "note"),
    }
    if report:
        data |= {k: _text(form, k) for k in ("reintegration_result", "funds_use", "funds_note")}
    return data


# The kinds the partner's pages have a form for, in the order of the steps.
FORMS: dict[str, Callable[[Form, Lists], dict[str, Any]]] = {
    "reint_agreement": _agreement,
    "legal_questions": _legal,
    "strengths_inventory": _strengths,
    "action_plan": _goals,
    "resources_plan": _resources,
    "contact": _contact,
}


def document_from(kind: str, form: Form, lists: Lists) -> dict[str, Any]:
    """The document a posted form describes, without the fields left empty."""
    data = FORMS[kind](form, lists)
    return {k: v for k, v in data.items() if v is not None}
