"""The ways home over HTTP (uvicorn on 127.0.0.1, the real database): an early return
straight to the PAT (L2327-2329), the silent drum with its follow-up call (L2913-2918), and a
departure held back by the health checklist (Bijlage 6, L4441-4504)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.documents import example
from tests.support import ADMIN, ServerThread, enrolled_token

DAY = date(2026, 1, 5)  # the fixed clock's day, and the intake of the cases opened here


class Counsellor:
    """anna of shelter-a, speaking through her own token."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.case = ""

    def open(self) -> None:
        body = {"client_ref": "A-1", "kind": "trafficking", "intake_on": DAY.isoformat()}
        response = self.client.post("/cases", headers=self.headers, json=body)
        assert 201 == response.status_code, response.text
        self.case = response.json()["id"]

    def record(self, kind: str, on: date = DAY, **changes: Any) -> httpx.Response:
        body = {"data": {**example(kind, on), **changes}}
        path = f"/cases/{self.case}/documents/{kind}"
        return self.client.post(path, headers=self.headers, json=body)

    def fire(self, trigger: str, **data: Any) -> httpx.Response:
        path = f"/cases/{self.case}/triggers/{trigger}"
        return self.client.post(path, headers=self.headers, json={"data": data})

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(path, headers=self.headers, params=params)
        assert 200 == response.status_code, response.text
        return response.json()

    def ok(self, response: httpx.Response) -> dict[str, Any]:
        assert response.status_code in (200, 201), response.text
        return dict(response.json())

    def early_to_pat(self) -> None:
        """Her profile, step 1's documents, and choose_return with early: true (step 10)."""
        for kind in ("client_profile", "risk_analysis", "safety_plan"):
            self.ok(self.record(kind))
        assert "return_action_plan" == self.ok(self.fire("choose_return", early=True))["state"]


def _problem(response: httpx.Response, status: int) -> list[str]:
    assert status == response.status_code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return list(response.json()["reasons"])


@pytest.fixture
def anna(app: App) -> Iterator[Counsellor]:
    """A shelter in a region, its counsellor anna with an API token, the API served."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role="counsellor", actor=ADMIN)
    token = enrolled_token(app, "anna")
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        yield Counsellor(client, token)


def test_an_early_return_over_http_skips_steps_3_to_9(anna: Counsellor) -> None:
    """From step 1 with its documents, choose_return with early: true goes to the PAT; the
    timeline keeps why; the PAT, steps 11 and 12 and departure follow (L2327-2329)."""
    anna.open()
    refused = _problem(anna.fire("choose_return"), 409)
    assert any("early: true" in r for r in refused), refused
    anna.early_to_pat()
    anna.ok(anna.record("return_plan"))
    assert "risk_update" == anna.ok(anna.fire("complete"))["state"]
    assert "departure" == anna.ok(anna.fire("complete"))["state"]
    anna.ok(anna.record("handover_checklist", with_partner=False))
    view = anna.ok(anna.fire("depart", departed_on=DAY.isoformat()))
    assert "reint_monitoring" == view["state"]
    timeline = anna.get(f"/cases/{anna.case}/timeline")
    assert [("basic_needs_safety", {"early": True})] == [
        (e["from_state"], e["data"]) for e in timeline if e["trigger"] == "choose_return"
    ]


def test_the_silent_drum_over_http_with_its_call(anna: Counsellor, clock: FixedClock) -> None:
    """depart_unassisted refuses a departure without a local organisation (409) and an id not
    on the social map (422); with ng-cosudow and a call agreed the case waits, the missed call
    shows as overdue, the recorded call completes it, and close ends it as a return."""
    anna.open()
    anna.early_to_pat()
    day = DAY.isoformat()
    missing = _problem(anna.fire("depart_unassisted", departed_on=day), 409)
    assert any("local_organisation" in r for r in missing), missing
    unknown = _problem(
        anna.fire("depart_unassisted", departed_on=day, local_organisation="xx-nowhere"), 422
    )
    assert unknown[0].startswith("data.local_organisation: 'xx-nowhere' is not on the social map")
    call_on = DAY + timedelta(days=28)
    view = anna.ok(
        anna.fire(
            "depart_unassisted",
            departed_on=day,
            local_organisation="ng-cosudow",
            follow_up_call_on=call_on.isoformat(),
        )
    )
    assert ("left_unassisted", False) == (view["state"], view["closed"])
    late = anna.get("/overdue", at=f"{call_on + timedelta(days=3)}T12:00:00+01:00")
    assert [("follow_up_call", 3)] == [
        (i["kind"], i["days_overdue"]) for i in late["items"] if i["case_id"] == anna.case
    ]
    clock.advance(timedelta(days=29))
    contact = anna.record(
        "contact", on=call_on, about="follow_up_call", by="organisation", outcome="no_contact"
    )
    anna.ok(contact)
    view = anna.ok(anna.fire("close"))
    assert ("closed_returned_unassisted", True) == (view["state"], view["closed"])
    assert {"follow_up_call": "done"} == {
        t["kind"]: t["status"] for t in view["timers"] if t["kind"] == "follow_up_call"
    }


def test_health_complaints_hold_departure_until_the_checklist_over_http(anna: Counsellor) -> None:
    """A PAT with mental health complaints: depart answers 409 naming the health checklist
    (Bijlage 6) until a complete one is recorded; then the client departs."""
    anna.open()
    anna.early_to_pat()
    plan = example("return_plan", DAY)
    plan["health"]["mental"] = {"complaints": True, "care_available": "yes",
                                "care_affordable": "yes", "care_accessible": "unknown"}  # fmt: skip
    anna.ok(anna.record("return_plan", **plan))
    anna.ok(anna.fire("complete"))
    anna.ok(anna.fire("complete"))
    anna.ok(anna.record("handover_checklist", with_partner=False))
    refused = _problem(anna.fire("depart", departed_on=DAY.isoformat()), 409)
    assert 1 == len(refused) and "records mental health complaints" in refused[0], refused
    bad = _problem(anna.record("health_checklist", medicines_needed=False), 422)
    assert any("medicines are listed only when medicines_needed" in r for r in bad), bad
    anna.ok(anna.record("health_checklist"))
    assert "reint_monitoring" == anna.ok(anna.fire("depart", departed_on=DAY.isoformat()))["state"]


def test_return_funds_name_registered_organisations_by_id(anna: Counsellor) -> None:
    """Once organisations are registered, return funds paid to an organisation by its id need
    a registered one (422 naming the field); a social-map id or a name does as well (L2966)."""
    anna.open()
    unknown = _problem(anna.record("return_funds", paid_to={"organisation_id": "nowhere"}), 422)
    assert [
        "return_funds.paid_to.organisation_id: 'nowhere' is not the id of a registered "
        "organisation (`safe-future org list`)"
    ] == unknown
    anna.ok(anna.record("return_funds", paid_to={"socialmap_id": "ng-cosudow"}))
    found = anna.get(f"/cases/{anna.case}/documents/return_funds")["data"]["paid_to"]
    assert {"organisation_id": None, "socialmap_id": "ng-cosudow", "name": None} == found
