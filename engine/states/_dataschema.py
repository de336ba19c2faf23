"""What a trigger takes: the JSON Schema of its data as the workflow file declares it, and a
valid example. `safe-future schema --trigger`, `GET /schema/triggers/{trigger}` and the
OpenAPI schema all show these."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.errors import NotFound
from engine.i18n import N_, Message, _, translate
from engine.states._schema import DataField
from engine.states._workflow import Workflow

_HAPPENED = N_("when not given: the day of happened_at (--at)")
_ORGANISATION = N_("a registered organisation's id (`safe-future org list`), never its name")
_SOCIALMAP = N_("the id of an organisation on the social map (`safe-future socialmap search`)")
_PAST = N_("not after the day it is recorded for")
_TRACKS = {"care": N_("care pathway"), "residence": N_("residence track")}


def trigger_names(workflow: Workflow) -> list[dict[str, str]]:
    """Each trigger with its track and its (English) label, in the workflow file's order."""
    return [
        {"trigger": name, "track": t.track, "label": t.label}
        for name, t in workflow.spec.triggers.items()
    ]


def trigger_schema(workflow: Workflow, trigger: str, lang: str = "en") -> dict[str, Any]:
    """The JSON Schema of `trigger`'s data, its texts in `lang`. A date that says when the
    trigger happened is not required: it defaults to the day the trigger is fired for."""
    spec = _spec(workflow, trigger)
    schema = workflow.data_models[trigger].model_json_schema()
    properties: dict[str, Any] = schema.get("properties", {})
    for name, field in spec.data.items():
        notes = [translate(n, lang) for n in (field.description, *_notes(field)) if n]
        if notes:
            properties[name]["description"] = "; ".join(notes)
        if lang != "en":  # the field's name in English words; its id is the key
            properties[name].pop("title", None)
    required = [n for n in schema.get("required", []) if not spec.data[n].happened]
    about = _("The data of the trigger {trigger} ({track}).", trigger=trigger,
              track=Message(_TRACKS[spec.track]))  # fmt: skip
    return {
        "title": f"{trigger}: {translate(spec.label, lang)}",
        "description": translate(about, lang),
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
        notes.append(_PAST)
    if field.not_before:
        notes.append(_("not before {day}", day=field.not_before))
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
