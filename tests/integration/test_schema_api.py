"""What to send, over HTTP: the JSON Schemas of document kinds and trigger data for any
signed-in role, and an OpenAPI schema that documents them and the real problem+json errors."""

from __future__ import annotations

from typing import Any

from engine.documents import document_model
from engine.states import Workflow
from tests.integration.test_api import Api, _open, _problem, world

__all__ = ["world"]  # the fixture, used here by name


def test_any_role_reads_a_triggers_data_schema(world: dict[str, Api]) -> None:
    """A coordinator, a partner and an administrator read what `withdraw` takes: its reason
    from a closed list; `report_to_police`'s date is not required (it defaults to the day)."""
    for user in ("zc", "px", "root", "anna"):
        withdraw = world[user].get("/schema/triggers/withdraw")
        assert 200 == withdraw.status_code, (user, withdraw.text)
        schema = withdraw.json()
        assert ["reason"] == schema["required"]
        assert "client_left" in schema["properties"]["reason"]["enum"]
        assert False is schema["additionalProperties"]
    police = world["zc"].get("/schema/triggers/report_to_police").json()
    assert "required" not in police
    assert "happened_at" in police["properties"]["reported_on"]["description"]


def test_unknown_names_are_404_naming_the_known_ones(world: dict[str, Api]) -> None:
    """An unknown trigger or kind: 404 problem+json naming the allowed ones; no token: 401."""
    trigger = _problem(world["anna"].get("/schema/triggers/report_police"), 404)
    assert "unknown trigger 'report_police'" == trigger["title"]
    assert "report_to_police" in trigger["reasons"][0]
    kind = _problem(world["anna"].get("/schema/documents/risk"), 404)
    assert "risk_analysis" in kind["reasons"][0]
    _problem(world["nobody"].get("/schema/triggers/withdraw"), 401)


def test_document_schemas_and_the_lists(world: dict[str, Api], workflow: Workflow) -> None:
    """GET /schema/documents/{kind} is the kind's JSON Schema; the lists name every kind and
    trigger with where its schema is, and each of those addresses answers."""
    anna = world["anna"]
    expected = document_model("risk_analysis").model_json_schema()
    assert expected == anna.get("/schema/documents/risk_analysis").json()
    kinds = anna.get("/schema/documents").json()
    consent = next(k for k in kinds if k["kind"] == "consent")
    assert consent["title"].endswith("(PAT section 12, L4418-4424).")  # whole, not cut
    triggers = anna.get("/schema/triggers").json()
    assert list(workflow.spec.triggers) == [t["trigger"] for t in triggers]
    for item in (*kinds, *triggers):
        assert 200 == anna.get(item["schema_url"]).status_code, item


def _openapi(api: Api) -> dict[str, Any]:
    return dict(api.client.get("/openapi.json").json())


def test_openapi_documents_each_triggers_data_and_each_kind(world: dict[str, Api]) -> None:
    """The fire operation's body refers to a component per trigger's data, the same schema
    GET /schema/triggers gives; record's to a component per document kind; the addresses the
    descriptions name exist."""
    anna = world["anna"]
    schema = _openapi(anna)
    components = schema["components"]["schemas"]
    fire = components["FireTrigger"]["properties"]
    refs = {r["$ref"].rsplit("/", 1)[1] for r in fire["data"]["anyOf"]}
    assert {"ReportToPoliceData", "WithdrawData", "CompleteData"} <= refs
    served = anna.get("/schema/triggers/withdraw").json()
    assert served == components["WithdrawData"]
    assert "GET /schema/triggers/{trigger}" in fire["data"]["description"]
    operation = schema["paths"]["/cases/{case_id}/triggers/{trigger}"]["post"]
    line = "- `withdraw` (care): Withdraw; data `WithdrawData`, `GET /schema/triggers/withdraw`"
    assert line in operation["description"].splitlines()
    documents = fire["documents"]["properties"]
    assert "#/components/schemas/RiskAnalysis" == documents["risk_analysis"]["$ref"]
    assert "RiskAnalysis" in components and "SafetyPlan" in components
    record = components["RecordDocument"]["properties"]["data"]
    assert "GET /schema/documents/{kind}" in record["description"]
    assert 200 == anna.get("/schema/documents/safety_plan").status_code


def test_openapi_documents_the_errors_really_sent(world: dict[str, Api]) -> None:
    """No FastAPI default 422 shape anywhere; firing documents 401/403/404/409/413/422/429 as
    problem+json; the Problem component names the fields a real refusal carries; an operation
    that cannot refuse a role or a change documents neither."""
    anna = world["anna"]
    schema = _openapi(anna)
    assert "HTTPValidationError" not in str(schema)
    fire = schema["paths"]["/cases/{case_id}/triggers/{trigger}"]["post"]["responses"]
    assert {"401", "403", "404", "409", "413", "422", "429"} == {s for s in fire if s >= "4"}
    assert {"application/problem+json"} == set(fire["409"]["content"])
    problem = schema["components"]["schemas"]["Problem"]
    case = _open(anna)
    refused = _problem(anna.post(f"/cases/{case['id']}/triggers/complete", {}), 409)
    assert set(problem["required"]) == set(refused)
    health = schema["paths"]["/health"]["get"]["responses"]
    assert {"200", "413", "422"} == set(health)  # no token, no role, nothing to find
    any_role = schema["paths"]["/schema/triggers/{trigger}"]["get"]["responses"]
    assert {"200", "401", "404", "413", "422", "429"} == set(any_role)  # no 403, no 409
