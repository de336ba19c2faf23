"""The OpenAPI schema as the API really answers: each trigger's data and each document kind as
components (as GET /schema/… gives them), and the errors as problem+json (`Problem`, see
_problems.py) with the statuses each operation can answer, instead of FastAPI's default
`422 HTTPValidationError`, a shape this API never sends."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from engine.api._problems import MEDIA_TYPE
from engine.documents import DOCUMENT_MODELS
from engine.states import Workflow, trigger_schema

REF = "#/components/schemas/"

PROBLEM: dict[str, Any] = {
    "title": "Problem",
    "description": "An error, as RFC 9457 problem details with the engine's code and reasons.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "reasons"],
    "properties": {
        "type": {"type": "string", "description": "a URI naming the kind of problem"},
        "title": {"type": "string", "description": "what went wrong, in short"},
        "status": {"type": "integer", "description": "the HTTP status"},
        "detail": {"type": "string", "description": "the reasons joined, or the title"},
        "code": {
            "type": "string",
            "description": "the stable id machines read: invalid_input, trigger_refused, "
            "concurrent_change, case_not_found, not_found, unauthenticated, forbidden, "
            "not_configured, too_many_attempts, too_large, …",
        },
        "reasons": {
            "type": "array",
            "items": {"type": "string"},
            "description": "each unmet rule of a refused trigger, or `field: what is wrong`",
        },
    },
}

WHY = {
    401: "no valid token (missing, unknown, expired or revoked)",
    403: "the caller's role may not do this",
    404: "no such item within the caller's scope (a case outside it is not found either)",
    409: "refused now: a trigger's unmet rules, a concurrent change, or a missing setting",
    413: "the request body is larger than the limit",
    422: "invalid input: each reason names the field and the rule",
    429: "too many attempts: try again after Retry-After seconds",
    502: "the mail server did not take the message",
}
# Operations any signed-in role may call: no role is refused.
_ANY_ROLE = {
    ("get", "/me"),
    ("get", "/workflow/diagram"),
    ("get", "/socialmap"),
    ("get", "/socialmap/{org_id}"),
    ("get", "/schema/documents"),
    ("get", "/schema/documents/{kind}"),
    ("get", "/schema/triggers"),
    ("get", "/schema/triggers/{trigger}"),
}
FIRE = "/cases/{case_id}/triggers/{trigger}"
_OPEN = {("get", "/health")}  # needs no token
_MAIL = {("post", "/users/{user_id}/enrolment")}


def install(api: FastAPI, workflow: Workflow) -> None:
    """Make `api.openapi()` answer the documented schema (built once)."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = get_openapi(
                title=api.title,
                version=api.version,
                description=api.description,
                routes=api.routes,
            )
            document(schema, workflow)
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def document(schema: dict[str, Any], workflow: Workflow) -> None:
    """Add the data components and the problem answers to FastAPI's schema, in place."""
    components: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
    for default in ("HTTPValidationError", "ValidationError"):
        components.pop(default, None)
    components["Problem"] = PROBLEM
    triggers = _trigger_components(components, workflow)
    documents = _document_components(components)
    _describe_bodies(components, triggers, documents)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            _errors(method, path, operation)
    fire = schema.get("paths", {}).get(FIRE, {}).get("post")
    if fire is not None:
        fire["description"] = _fire_description(workflow, triggers)


def errors_of(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer. Every request passes the body limit and the
    URL check (413, 422); every one but the health check is signed in, and sign-ins are
    rate-limited (401, 429); a path naming an item may not find it (404); a role may be
    refused (403); a change may be refused now (409)."""
    key = (method, path)
    codes = {413, 422}
    if key not in _OPEN:
        codes |= {401, 429}
    if "{" in path:
        codes.add(404)
    if operation.get("security") and key not in _ANY_ROLE:
        codes.add(403)
    if operation.get("security") and method != "get":
        codes.add(409)
    if key in _MAIL:
        codes.add(502)
    return codes


def _errors(method: str, path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in [s for s in responses if s.startswith(("4", "5"))]:
        del responses[status]
    for code in sorted(errors_of(method, path, operation)):
        responses[str(code)] = {
            "description": WHY[code],
            "content": {MEDIA_TYPE: {"schema": {"$ref": f"{REF}Problem"}}},
        }


def _trigger_components(components: dict[str, Any], workflow: Workflow) -> dict[str, str]:
    """A component per trigger's data; answers the component name by trigger."""
    names = {}
    for trigger in workflow.spec.triggers:
        name = "".join(part.title() for part in trigger.split("_")) + "Data"
        _add(components, name, trigger_schema(workflow, trigger))
        names[trigger] = name
    return names


def _document_components(components: dict[str, Any]) -> dict[str, str]:
    """A component per document kind (and the parts they share); answers the name by kind."""
    models = [(model, "validation") for _kind, model in sorted(DOCUMENT_MODELS.items())]
    refs, defs = models_json_schema(models, ref_template=REF + "{model}")  # type: ignore[arg-type]
    for name, part in defs.get("$defs", {}).items():
        _add(components, name, part)
    return {
        kind: refs[(model, "validation")]["$ref"].removeprefix(REF)
        for kind, model in DOCUMENT_MODELS.items()
    }


def _add(components: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in components and components[name] != schema:
        raise RuntimeError(f"OpenAPI component {name} would be defined twice")
    components[name] = schema


def _describe_bodies(
    components: dict[str, Any], triggers: dict[str, str], documents: dict[str, str]
) -> None:
    fire = components["FireTrigger"]["properties"]
    fire["data"] = {
        "description": "the trigger's data: the schema of the trigger named in the path "
        "(one of these; GET /schema/triggers/{trigger})",
        "anyOf": [{"$ref": REF + name} for name in triggers.values()],
    }
    fire["documents"] = {
        "description": fire["documents"]["description"],
        "type": "object",
        "additionalProperties": False,
        "properties": {kind: {"$ref": REF + name} for kind, name in sorted(documents.items())},
    }
    components["RecordDocument"]["properties"]["data"] = {
        "description": "the document: the schema of the kind named in the path (one of "
        "these; GET /schema/documents/{kind})",
        "anyOf": [{"$ref": REF + name} for _kind, name in sorted(documents.items())],
    }


def _fire_description(workflow: Workflow, triggers: dict[str, str]) -> str:
    """The fire operation's description: each trigger with its label and its data's schema."""
    lines = [
        "`data` is the data of the trigger in the path; `documents` are recorded first, in "
        "the same transaction (none when the trigger is refused or one is invalid). "
        "The triggers and the schema of their data:",
        "",
    ]
    for name, spec in workflow.spec.triggers.items():
        lines.append(
            f"- `{name}` ({spec.track}): {spec.label}; data `{triggers[name]}`, "
            f"`GET /schema/triggers/{name}`"
        )
    return "\n".join(lines)
