"""Issue 13, points 1 and 2: the client's consent as a record, and the hand-over to a partner
abroad with an answer, over the real API. The book: the plan travels to a partner organisation
only with her consent (L2973-2979, L3268-3270, L3375-3377); step 12 agrees the reception with
that partner (L3368-3393); monitoring only where she wants it (L3279-3283, PAT section 12
L4418-4424)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from engine import accounts, service
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from engine.errors import TriggerRefused
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

PARTNER = "partner-x"  # on the social map as COSUDOW, Nigeria (L3533)
OTHER = "partner-y"
OFFERED_ON = date(2026, 1, 5)  # the fixed clock's day


class Api:
    """A client that speaks as one person's token."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.client.post(path, headers=self.headers, json=body or {})


@pytest.fixture
def world(app: App) -> Iterator[dict[str, Api]]:
    """A shelter in the north, two partner organisations abroad (partner-x points at its
    social-map entry), the shelter's counsellor and a person at each partner, with tokens."""
    for org, kind, name, region, entry in (
        ("noord", "region", "Regio Noord", None, None),
        ("shelter-a", "shelter", "Shelter A", "noord", None),
        (PARTNER, "partner", "Partner X", None, "ng-cosudow"),
        (OTHER, "partner", "Partner Y", None, None),
    ):  # fmt: skip
        accounts.add_organisation(
            app, org, kind=kind, name=name, region=region, socialmap_id=entry, actor=ADMIN
        )
    people = {"anna": ("shelter-a", "counsellor"), "px": (PARTNER, "partner"),
              "py": (OTHER, "partner")}  # fmt: skip
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        apis = {}
        for user, (org, role) in people.items():
            accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
            apis[user] = Api(client, enrolled_token(app, user))
        yield apis


@pytest.fixture
def at_departure(world: dict[str, Api], case: CaseDriver) -> CaseDriver:
    """A Nigerian client's case of shelter-a at step 12 with a hand-over checklist."""
    case.open(org="shelter-a")
    case.record("client_profile", country_of_origin="NG")
    case.to_departure()
    case.record("handover_checklist")
    return case


def _consent(api: Api, case: CaseDriver, **changes: Any) -> httpx.Response:
    data = {**example("consent", case.today), "partner_organisation": PARTNER, **changes}
    return api.post(f"/cases/{case.id}/documents/consent", {"data": data})


def _fire(api: Api, case: CaseDriver, trigger: str, **data: Any) -> httpx.Response:
    return api.post(f"/cases/{case.id}/triggers/{trigger}", {"data": data})


def _reasons(response: httpx.Response, status: int) -> list[str]:
    assert status == response.status_code, response.text
    return list(response.json()["reasons"])


def _depart(api: Api, case: CaseDriver) -> httpx.Response:
    return _fire(api, case, "depart", departed_on=str(case.today), partner_organisation=PARTNER)


# -- point 1: consent as a record -----------------------------------------------------------


def test_the_consent_records_what_with_whom_when_and_by_whom(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """The consent names the documents, the organisation by id, monitoring yes/no, the day it
    was given, and who recorded it (L3375-3377, L4418-4424)."""
    anna, case = world["anna"], at_departure
    assert 201 == _consent(anna, case, share_documents=["return_plan", "risk_update"]).status_code
    doc = anna.get(f"/cases/{case.id}/documents/consent").json()
    data = doc["data"]
    expected = (["return_plan", "risk_update"], PARTNER, True, str(case.today), "person:anna")
    actual = (data["share_documents"], data["partner_organisation"],
              data["monitoring_contacts"], data["given_on"], doc["actor"])  # fmt: skip
    assert expected == actual


def test_a_no_in_the_return_plan_wins_over_a_monitoring_consent(case: CaseDriver) -> None:
    """PAT section 12 says no contact after return, the consent says yes: the refusal wins
    (the counsellor checks how she feels about it, L3279-3283): no monitoring contacts start
    and none can be recorded; only the safe arrival is confirmed."""
    case.open()
    case.to_departure()
    plan = example("return_plan", case.today)
    case.record(
        "return_plan", monitoring={"arrival_notice": "phone", "client_agrees_to_monitoring": False}
    )
    case.record(
        "consent", handover_to_partner=False, partner_organisation=None, share_documents=[],
        monitoring_contacts=True,
    )  # fmt: skip
    assert plan["monitoring"]["client_agrees_to_monitoring"]  # the example said yes
    case.record("handover_checklist", with_partner=False)
    view = case.fire("depart", departed_on=str(case.today))
    assert ["arrival_confirmation"] == [
        t["kind"] for t in view["timers"] if t["status"] == "pending"
    ]
    with pytest.raises(TriggerRefused) as refused:
        case.record("contact", about="contact_1_month", took_place_on=str(case.today))
    assert [
        "the client's return plan says she does not want to be contacted after her return "
        "(return_plan.monitoring.client_agrees_to_monitoring, PAT section 12)"
    ] == refused.value.reasons


def test_a_no_in_a_later_return_plan_cancels_started_contacts(case: CaseDriver) -> None:
    """Monitoring started with her yes; a return plan recorded later with her no cancels the
    contact after a month (L3279-3283)."""
    case.open()
    case.to_departure()
    case.record("consent", handover_to_partner=False, partner_organisation=None, share_documents=[])
    case.record("handover_checklist", with_partner=False)
    case.fire("depart", departed_on=str(case.today))
    assert "pending" == case.timer("contact_1_month")["status"]
    case.record(
        "return_plan", monitoring={"arrival_notice": "phone", "client_agrees_to_monitoring": False}
    )
    assert "cancelled" == case.timer("contact_1_month")["status"]


def test_a_contact_labelled_other_needs_the_monitoring_consent(case: CaseDriver) -> None:
    """Review row 51: `about: other` no longer bypasses a refused monitoring consent; the
    safe-arrival confirmation she agreed to before leaving is still welcome (L3275, L3402)."""
    case.open()
    case.to_departure()
    case.record(
        "consent", handover_to_partner=False, partner_organisation=None, share_documents=[],
        monitoring_contacts=False,
    )  # fmt: skip
    case.record("handover_checklist", with_partner=False)
    case.fire("depart", departed_on=str(case.today))
    with pytest.raises(TriggerRefused) as refused:
        case.record("contact", about="other", took_place_on=str(case.today))
    assert ["the client has not agreed to monitoring contacts (consent.monitoring_contacts)"] == (
        refused.value.reasons
    )
    case.record("contact", about="arrival_confirmation", took_place_on=str(case.today))


# -- point 2: the hand-over with an answer ----------------------------------------------------


def test_an_offer_needs_her_consent_naming_that_organisation(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """No consent, or a consent for another organisation: the offer is refused (409) and the
    partner sees nothing; with her consent for partner-x it is offered (L2976-2979)."""
    anna, px, case = world["anna"], world["px"], at_departure
    assert [f"the client has not consented to a hand-over to {PARTNER} (consent)"] == _reasons(
        _fire(anna, case, "offer_handover", partner=PARTNER), 409
    )
    _consent(anna, case, partner_organisation=OTHER)
    assert [f"the client consented to a hand-over to {OTHER}, not to {PARTNER}"] == _reasons(
        _fire(anna, case, "offer_handover", partner=PARTNER), 409
    )
    assert 404 == px.get(f"/cases/{case.id}").status_code
    unknown = _reasons(_fire(anna, case, "offer_handover", partner="partner-q"), 422)
    assert ["partner: 'partner-q' is not the id of a registered partner organisation "
            "(`safe-future org list`)"] == unknown  # fmt: skip
    _consent(anna, case)
    assert 200 == _fire(anna, case, "offer_handover", partner=PARTNER).status_code


def test_the_social_map_suggestions_mark_the_partners_she_consented_to(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """At step 12 the suggestions name, per organisation on the map, the registered partner
    organisations the case could be offered to, and which one her consent names (L3259)."""
    anna, case = world["anna"], at_departure
    _consent(anna, case)
    suggested = anna.get(f"/cases/{case.id}").json()["suggestions"]["organisations"]
    marked = {o["id"]: (o["partners"], o["consented"]) for o in suggested if o["partners"]}
    assert {"ng-cosudow": ([PARTNER], True)} == marked


def test_decline_offer_again_accept_then_depart(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """The whole answer: the offered partner reads only what the consent covers; the
    counsellor cannot answer for it, another partner cannot see it; departure waits for a
    yes; a decline with a reason ends its access; offered again, accepted, departed; the
    Dutch organisation keeps reading the monitoring."""
    anna, px, py, case = world["anna"], world["px"], world["py"], at_departure
    _consent(anna, case)
    offered = _fire(anna, case, "offer_handover", partner=PARTNER).json()
    timer = [t for t in offered["timers"] if t["kind"] == "handover_answer"][-1]
    assert (str(OFFERED_ON + timedelta(weeks=2)), "pending") == (timer["due_on"], timer["status"])
    seen = px.get(f"/cases/{case.id}").json()
    assert ({"return_plan", "risk_update"}, ["accept_handover", "decline_handover"]) == (
        {d["kind"] for d in seen["documents"]},
        sorted(t["name"] for t in seen["triggers"]),
    )
    assert 200 == px.get(f"/cases/{case.id}/documents/return_plan").status_code
    assert 403 == px.get(f"/cases/{case.id}/documents/risk_analysis").status_code
    assert 404 == py.get(f"/cases/{case.id}").status_code
    assert 404 == _fire(py, case, "accept_handover").status_code
    assert ["role: only the partner organisation offered the case answers the offer"] == (
        _reasons(_fire(anna, case, "accept_handover"), 403)
    )
    assert [f"{PARTNER} has not answered the hand-over offer yet (accept_handover)"] == (
        _reasons(_depart(anna, case), 409)
    )
    assert [f"the case is already offered to {PARTNER}, awaiting its answer"] == _reasons(
        _fire(anna, case, "offer_handover", partner=PARTNER), 409
    )
    assert 422 == _fire(px, case, "decline_handover").status_code  # a reason is required
    assert 200 == _fire(px, case, "decline_handover", reason="no_capacity").status_code
    assert 404 == px.get(f"/cases/{case.id}").status_code
    view = anna.get(f"/cases/{case.id}").json()
    assert ("declined", "no_capacity", "done") == (
        view["facts"]["handover_status"], view["facts"]["handover_decline_reason"],
        [t for t in view["timers"] if t["kind"] == "handover_answer"][-1]["status"],
    )  # fmt: skip
    assert [f"{PARTNER} declined the hand-over"] == _reasons(_depart(anna, case), 409)
    assert 200 == _fire(anna, case, "offer_handover", partner=PARTNER).status_code
    assert 200 == _fire(px, case, "accept_handover").status_code
    assert [f"{PARTNER} has already accepted the offer"] == _reasons(
        _fire(px, case, "decline_handover", reason="other"), 409
    )
    departed = _depart(anna, case).json()
    assert ("reint_basic_needs", PARTNER) == (
        departed["state"],
        departed["facts"]["handover_partner"],
    )
    contact = {**example("contact", case.today), "by": "partner"}
    assert 201 == px.post(f"/cases/{case.id}/documents/contact", {"data": contact}).status_code
    assert "person:px" == anna.get(f"/cases/{case.id}/documents/contact").json()["actor"]


def test_consent_withdrawn_mid_way_ends_the_offer_at_once(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """She withdraws her consent while the offer waits: the partner reads nothing from that
    moment (404), cannot answer, the departure to it is refused; a new consent may be offered
    again."""
    anna, px, case = world["anna"], world["px"], at_departure
    _consent(anna, case)
    _fire(anna, case, "offer_handover", partner=PARTNER)
    assert 200 == px.get(f"/cases/{case.id}/documents/return_plan").status_code
    _consent(anna, case, withdrawn=True, withdrawn_on=str(case.today))
    assert 404 == px.get(f"/cases/{case.id}").status_code
    assert 404 == px.get(f"/cases/{case.id}/documents/return_plan").status_code
    assert 404 == _fire(px, case, "accept_handover").status_code
    reasons = _reasons(_depart(anna, case), 409)
    assert f"the client has not consented to a hand-over to {PARTNER} (consent)" in reasons
    _consent(anna, case)
    assert 200 == _fire(anna, case, "offer_handover", partner=PARTNER).status_code
    assert 200 == _fire(px, case, "accept_handover").status_code


def test_consent_withdrawn_after_acceptance_blocks_departure(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """An accepted hand-over lapses with her consent: no departure to that partner."""
    anna, px, case = world["anna"], world["px"], at_departure
    _consent(anna, case)
    _fire(anna, case, "offer_handover", partner=PARTNER)
    _fire(px, case, "accept_handover")
    _consent(anna, case, withdrawn=True, withdrawn_on=str(case.today))
    assert 404 == px.get(f"/cases/{case.id}").status_code
    assert [
        f"the client has not consented to a hand-over to {PARTNER} (consent)",
        f"the case has not been handed over to {PARTNER}: offer it first (offer_handover)",
    ] == _reasons(_depart(anna, case), 409)


def test_no_answer_makes_the_offer_overdue_for_the_counsellor(
    app: App, world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """The partner's answer is due after the workflow's `handover_answer` policy (two weeks):
    the day after, the offer is overdue in the counsellor's list."""
    anna, case = world["anna"], at_departure
    _consent(anna, case)
    _fire(anna, case, "offer_handover", partner=PARTNER)
    case.days(14)
    query = service.OverdueQuery(kinds=frozenset({"handover_answer"}), at=case.clock.now())
    assert [] == service.overdue(app, query)
    case.days(1)
    query = service.OverdueQuery(kinds=frozenset({"handover_answer"}), at=case.clock.now())
    assert [(case.id, 1)] == [
        (i["case_id"], i["days_overdue"]) for i in service.overdue(app, query)
    ]


def test_a_partner_lists_the_cases_offered_or_handed_to_it(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """GET /handovers: the partner finds the offer waiting for its answer, then the case
    handed over with what its step needs; another partner finds nothing; a counsellor is
    refused (403)."""
    anna, px, py, case = world["anna"], world["px"], world["py"], at_departure
    assert {"items": []} == px.get("/handovers").json()
    _consent(anna, case)
    _fire(anna, case, "offer_handover", partner=PARTNER)
    (item,) = px.get("/handovers").json()["items"]
    expected = (case.id, case.id[:8], "shelter-a", "departure", "offered",
                ["accept_handover", "decline_handover"])  # fmt: skip
    assert expected == (item["id"], item["short_id"], item["organisation"], item["state"],
                        item["handover"], sorted(item["triggers"]))  # fmt: skip
    assert [] == py.get("/handovers").json()["items"]
    assert 403 == anna.get("/handovers").status_code
    _fire(px, case, "accept_handover")
    _depart(anna, case)
    (item,) = px.get("/handovers").json()["items"]
    assert ("reint_basic_needs", "handed_over", ["reint_agreement"]) == (
        item["state"],
        item["handover"],
        item["missing_documents"],
    )
