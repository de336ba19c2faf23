"""What a trigger takes: the JSON Schema of its data as the workflow file declares it, and a
valid example. `safe-future schema --trigger`, `GET /schema/triggers/{trigger}` and the
OpenAPI schema all show these."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.errors import NotFound
from engine.i18n import _
from engine.states._schema import DataField
from engine.states._workflow import Workflow

_HAPPENED = "when not given: the day of happened_at (--at)"
_ORGANISATION = "a registered organisation's id (`safe-future org list`), never its name"
_SOCIALMAP = "the id of an organisation on the social map (`safe-future socialmap search`)"


def trigger_names(workflow: Workflow) -> list[dict[str, str]]:
    """Each trigger with its track and its (English) label, in the workflow file's order."""
    return [
        {"trigger": name, "track": t.track, "label": t.label}
        for name, t in workflow.spec.triggers.items()
    ]


def trigger_schema(workflow: Workflow, trigger: str) -> dict[str, Any]:
    """The JSON Schema of `trigger`'s data. A date that says when the trigger happened is not
    required: it defaults to the day the trigger is fired for."""
    spec = _spec(workflow, trigger)
    schema = workflow.data_models[trigger].model_json_schema()
    properties: dict[str, Any] = schema.get("properties", {})
    for name, field in spec.data.items():
        notes = [n for n in (field.description, *_notes(field)) if n]
        if notes:
            properties[name]["description"] = "; ".join(notes)
    required = [n for n in schema.get("required", []) if not spec.data[n].happened]
    track = "care pathway" if spec.track == "care" else "residence track"
    return {
        "title": f"{trigger}: {spec.label}",
        "description": f"The data of the trigger {trigger} ({track}).",
        **{k: v for k, v in schema.items() if k not in ("title", "required")},
        **({"required": required} if required else {}),
    }


def trigger_example(workflow: Workflow, trigger: str, today: date) -> dict[str, Any]:
    """A valid example of `trigger`'s data for a trigger fired `today`: its required fields
    (organisation ids are placeholders to replace by real ones)."""
    spec = _spec(workflow, trigger)
    return {name: _value(f, today) for name, f in spec.data.items() if f.required}


def _spec(workflow: Workflow, trigger: str) -> Any:
    spec = workflow.spec.triggers.get(trigger)
    if spec is None:
        raise NotFound(
            _("unknown trigger {trigger}", trigger=repr(trigger)),
            [_("trigger: must be one of {known}", known=", ".join(workflow.spec.triggers))],
        )
    return spec


def _notes(field: DataField) -> list[str]:
    notes = []
    if field.happened:
        notes.append(_HAPPENED)
    if field.type == "organisation":
        notes.append(_ORGANISATION)
    if field.type == "socialmap":
        notes.append(_SOCIALMAP)
    if field.past:
        notes.append("not after the day it is recorded for")
    if field.not_before:
        notes.append(f"not before {field.not_before}")
    return notes


def _value(field: DataField, today: date) -> Any:
    values: dict[str, Any] = {
        "date": today.isoformat(),
        "string": "…",
        "boolean": False,
        "integer": 0,
        "organisation": "partner-organisation-id",
        "socialmap": "socialmap-organisation-id",
    }
    return field.values[0] if field.type == "enum" else values[field.type]
