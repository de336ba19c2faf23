"""Every document field that takes a list or free text has a limit, every date field says
which plausibility rule it follows, and the fullest document the field limits allow stays
under the byte limit (issue 11 points 3 and 4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from engine.documents import (
    DOCUMENT_MODELS,
    MAX_DOCUMENT_BYTES,
    document_model,
    document_size,
    example,
    implausible_dates,
)

INTAKE = date(2026, 1, 5)


def _walk(schema: dict[str, Any], defs: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """Every (path, subschema) of a JSON Schema, following $ref."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].split("/")[-1]]
    yield path, schema
    for option in schema.get("anyOf", []):
        yield from _walk(option, defs, path)
    if "items" in schema:
        yield from _walk(schema["items"], defs, f"{path}[]")
    for name, sub in schema.get("properties", {}).items():
        yield from _walk(sub, defs, f"{path}.{name}")


def _fullest(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The heaviest value the schema's limits allow: every list full, every text longest."""
    if "$ref" in schema:
        return _fullest(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        options = [_fullest(o, defs) for o in schema["anyOf"] if o.get("type") != "null"]
        return max(options, key=lambda v: len(json.dumps(v)))
    if "enum" in schema:
        return max(schema["enum"], key=lambda v: len(str(v)))
    kind = schema.get("type")
    if kind == "array":
        return [_fullest(schema["items"], defs)] * schema["maxItems"]
    if kind == "object":
        return {k: _fullest(v, defs) for k, v in schema.get("properties", {}).items()}
    if kind == "string":
        return "2026-01-05" if schema.get("format") == "date" else "x" * schema.get("maxLength", 2)
    return {"boolean": True, "integer": schema.get("maximum", 0)}.get(str(kind))


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_every_list_and_text_field_has_a_limit(kind: str) -> None:
    """No list without maxItems, no text without maxLength (or a closed set or pattern)."""
    schema = document_model(kind).model_json_schema()
    unbounded = [
        path for path, sub in _walk(schema, schema.get("$defs", {}), kind)
        if (sub.get("type") == "array" and "maxItems" not in sub)
        or (sub.get("type") == "string" and not {"maxLength", "enum", "format", "pattern",
                                                   "const"} & set(sub))
        or (sub.get("type") == "integer" and "maximum" not in sub)
    ]  # fmt: skip
    assert [] == unbounded


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_the_fullest_document_stays_under_the_byte_limit(kind: str) -> None:
    """Every list full and every text at its longest: still under MAX_DOCUMENT_BYTES."""
    schema = document_model(kind).model_json_schema()
    assert document_size(_fullest(schema, schema.get("$defs", {}))) < MAX_DOCUMENT_BYTES


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_every_date_field_names_its_rule(kind: str) -> None:
    """Each date field says whether it is the day the thing was made, a planned day, or a
    past day that may precede the intake (x-date in the JSON Schema)."""
    schema = document_model(kind).model_json_schema()
    found = list(_walk(schema, schema.get("$defs", {}), kind))
    dates = {path for path, sub in found if sub.get("format") == "date"}
    ruled = {path for path, sub in found if "x-date" in sub}
    assert set() == dates - ruled


def test_the_date_rules_field_by_field() -> None:
    """The rule each date field follows, as listed in the report to the security officer."""
    rules = {}
    for kind in sorted(DOCUMENT_MODELS):
        schema = document_model(kind).model_json_schema()
        for path, sub in _walk(schema, schema.get("$defs", {}), kind):
            if "x-date" in sub:
                rules[path] = sub["x-date"]
    assert {
        "action_plan.made_on": "made", "action_plan.goals[].when": "planned",
        "client_profile.youngest_child_born_on": "past",
        "consent.given_on": "made", "consent.withdrawn_on": "made",
        "contact.took_place_on": "made", "counselling_info.held_on": "made",
        "evaluation.held_on": "made", "overview1.scored_on": "made", "overview2.made_on": "made",
        "return_plan.drawn_up_on": "made",
        "return_plan.appointments.appointments[].on": "planned",
        "risk_analysis.assessed_on": "made", "risk_update.updated_on": "made",
        "safety_plan.agreed_on": "made", "safety_plan.review_on": "planned",
        "strengths_inventory.held_on": "made",
        "health_checklist.checked_on": "made", "return_funds.agreed_on": "made",
        "legal_questions.reviewed_on": "made", "reint_agreement.agreed_on": "made",
        "reint_agreement.next_steps[].by": "planned", "resources_plan.made_on": "made",
    } == rules  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_an_example_made_on_a_day_fits_a_case_taken_in_that_day(kind: str) -> None:
    """`example(kind, day)` moves the example's dates so that it is made on `day`."""
    doc = document_model(kind).model_validate(example(kind, INTAKE))
    assert [] == implausible_dates(kind, doc, intake_on=INTAKE, on=INTAKE)
