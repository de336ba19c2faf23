"""A step's documents and its trigger in one go (`documents` with a trigger): recorded and
fired in one transaction, the guards seeing the new documents; a refused trigger or an invalid
document leaves the case as it was. Through the served API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from engine import audit, service
from engine.bootstrap import App
from engine.documents import example
from tests.integration.test_api import PARTNER, Api, _problem, world
from tests.support import ACTOR, CaseDriver

__all__ = ["world"]  # the fixture, used here by name

STEP_1 = ("client_profile", "risk_analysis", "safety_plan")


def _step_1(case: CaseDriver, kinds: tuple[str, ...] = STEP_1) -> dict[str, dict[str, Any]]:
    return {kind: example(kind, case.today) for kind in kinds}


def _unchanged(api: Api, case_id: str) -> tuple[list[Any], list[Any]]:
    """The case's timeline and its documents, as a counsellor reads them."""
    view = api.get(f"/cases/{case_id}").json()
    return api.get(f"/cases/{case_id}/timeline").json(), view["documents"]


@pytest.fixture
def commits(app: App) -> Iterator[list[str]]:
    """The commits the engine's database sees from now on."""
    seen: list[str] = []

    def count(_conn: Any) -> None:
        seen.append("commit")

    event.listen(app.db, "commit", count)
    yield seen
    event.remove(app.db, "commit", count)


def test_step_documents_and_complete_in_one_request(
    world: dict[str, Api], case: CaseDriver, app: App
) -> None:
    """Step 1's three documents and `complete` in one POST: the case stands in step 2, the
    timeline shows each record then the trigger, and the audit each record and the fire."""
    case.open()
    anna = world["anna"]
    answer = anna.post(f"/cases/{case.id}/triggers/complete", {"documents": _step_1(case)})
    assert 200 == answer.status_code, answer.text
    assert "first_counselling" == answer.json()["state"]
    assert set(STEP_1) <= {d["kind"] for d in answer.json()["documents"]}
    events = anna.get(f"/cases/{case.id}/timeline").json()
    assert [("record", "client_profile"), ("record", "risk_analysis"),
            ("record", "safety_plan"), ("complete", None)] == [
        (e["trigger"], e["data"].get("kind")) for e in events[-4:]
    ]  # fmt: skip
    actions = [row["action"] for row in audit.trail(app, case.id, actor="cli:auditor")]
    assert ["record:client_profile", "record:risk_analysis", "record:safety_plan",
            "fire:complete"] == [a for a in actions if not a.startswith("read")][-4:]  # fmt: skip


def test_one_go_is_one_commit(app: App, case: CaseDriver, commits: list[str]) -> None:
    """Three documents and the trigger cost the database one commit, not four."""
    case.open()
    commits.clear()
    view = service.fire(app, case.id, "complete", {}, actor=ACTOR, documents=_step_1(case))
    assert "first_counselling" == view["state"]
    assert ["commit"] == commits


def test_a_refused_trigger_records_none_of_its_documents(
    world: dict[str, Api], case: CaseDriver
) -> None:
    """`complete` with the safety plan missing is refused (409, the guard's reason); the
    documents sent with it are not recorded: timeline and documents as before."""
    case.open()
    anna = world["anna"]
    before = _unchanged(anna, case.id)
    documents = _step_1(case, ("client_profile", "risk_analysis"))
    refused = _problem(
        anna.post(f"/cases/{case.id}/triggers/complete", {"documents": documents}), 409
    )
    assert any("safety_plan" in r for r in refused["reasons"]), refused
    assert before == _unchanged(anna, case.id)


def test_an_invalid_document_records_nothing_and_names_kind_and_field(
    world: dict[str, Api], case: CaseDriver
) -> None:
    """One bad field in the second document: 422 naming the kind and the field; the first,
    valid document is not recorded and the trigger not fired."""
    case.open()
    anna = world["anna"]
    before = _unchanged(anna, case.id)
    documents = _step_1(case)
    documents["risk_analysis"] = {**documents["risk_analysis"], "assessed_on": "not a day"}
    bad = _problem(anna.post(f"/cases/{case.id}/triggers/complete", {"documents": documents}), 422)
    assert any(r.startswith("risk_analysis.assessed_on: ") for r in bad["reasons"]), bad
    unknown = _problem(
        anna.post(f"/cases/{case.id}/triggers/complete", {"documents": {"diary": {}}}), 422
    )
    assert "unknown document kind 'diary'" == unknown["title"]
    assert before == _unchanged(anna, case.id)


def test_a_partner_sends_only_kinds_it_may_record(world: dict[str, Api], case: CaseDriver) -> None:
    """A partner working re-integration step 1 may send its agreement with `complete`, not a
    shelter's risk analysis: 403 naming the kind, and nothing recorded."""
    case.open()
    case.to_departure()
    case.record("consent", partner_organisation=PARTNER)
    case.record("handover_checklist")
    case.hand_over(PARTNER)
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    px, anna = world["px"], world["anna"]
    before = _unchanged(anna, case.id)
    documents = {"risk_analysis": example("risk_analysis", case.today)}
    refused = _problem(
        px.post(f"/cases/{case.id}/triggers/complete", {"documents": documents}), 403
    )
    assert ["documents.risk_analysis: a partner does not record this kind"] == refused["reasons"]
    assert before == _unchanged(anna, case.id)
    agreement = {"reint_agreement": example("reint_agreement", case.today)}
    done = px.post(f"/cases/{case.id}/triggers/complete", {"documents": agreement})
    assert 200 == done.status_code, done.text
    assert "reint_legal" == done.json()["state"]


def test_a_trigger_without_a_body_is_fired_and_a_naive_moment_named(
    world: dict[str, Api], case: CaseDriver
) -> None:
    """No body at all is no data and no documents (here refused by the guards, 409, not
    ': Field required'); a `happened_at` without its offset is named as such, not `--at`; a
    document recorded without a body says the body is what is missing."""
    case.open()
    anna = world["anna"]
    response = anna.client.post(f"/cases/{case.id}/triggers/complete", headers=anna.headers)
    _problem(response, 409)
    naive = _problem(
        anna.post(f"/cases/{case.id}/triggers/complete", {"happened_at": "2026-01-05T10:00"}),
        422,
    )
    assert "--at" not in naive["title"]
    assert [r for r in naive["reasons"] if r.startswith("happened_at: ")], naive
    record = anna.client.post(f"/cases/{case.id}/documents/risk_analysis", headers=anna.headers)
    assert ["body: Field required"] == _problem(record, 422)["reasons"]
