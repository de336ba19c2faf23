"""The partner's document forms: what each re-integration step's form asks, and how a posted
form becomes the document's data (the service then validates it like any other input).
Pure: a form's fields in, a document out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from engine.documents._departure import ContactAbout, FundsUse, Outcome, ReintegrationResult
from engine.documents._fields import LifeDomain, Role
from engine.documents._reintegration import FirstNeed, LegalTopic, ResourceKind

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
