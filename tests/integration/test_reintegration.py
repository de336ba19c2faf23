"""Issue 13, point 3: the partner organisation runs chapter 7 itself, over the real API:
offer, decline, offer again, accept, depart; the six re-integration steps with their
documents (L3529-3860); the contacts after one month and the reports after six and twelve
months, which say how the return funds were used (L3851-3856), completing their timers;
close by the Dutch organisation."""

from __future__ import annotations

from typing import Any

import httpx

from engine.documents import example
from tests.integration.test_handover import PARTNER, Api, _consent, _fire, _reasons
from tests.integration.test_handover import at_departure as at_departure
from tests.integration.test_handover import world as world
from tests.support import REPORT, CaseDriver


def _record(api: Api, case: CaseDriver, kind: str, **changes: Any) -> httpx.Response:
    data = {**example(kind, case.today), **changes}
    return api.post(f"/cases/{case.id}/documents/{kind}", {"data": data})


def _handed_over(world: dict[str, Api], case: CaseDriver) -> None:
    """Consent, offer, a decline, the offer again, acceptance and departure, over HTTP."""
    anna, px = world["anna"], world["px"]
    assert 201 == _consent(anna, case).status_code
    assert 200 == _fire(anna, case, "offer_handover", partner=PARTNER).status_code
    declined = _fire(px, case, "decline_handover", reason="no_capacity", note="Full until March")
    assert 200 == declined.status_code, declined.text
    assert 200 == _fire(anna, case, "offer_handover", partner=PARTNER).status_code
    assert 200 == _fire(px, case, "accept_handover").status_code
    departed = _fire(anna, case, "depart", departed_on=str(case.today),
                     partner_organisation=PARTNER)  # fmt: skip
    assert "reint_basic_needs" == departed.json()["state"], departed.text


def _step(px: Api, case: CaseDriver, kind: str, expected_next: str) -> None:
    """The partner sees what the step still needs, is refused without it, records it and
    completes the step."""
    view = px.get(f"/cases/{case.id}").json()
    assert ([kind], ["complete"]) == (view["missing_documents"],
                                     [t["name"] for t in view["triggers"]])  # fmt: skip
    refused = _reasons(_fire(px, case, "complete"), 409)
    assert any(kind in r for r in refused), refused
    assert 201 == _record(px, case, kind).status_code
    assert expected_next == _fire(px, case, "complete").json()["state"]


def test_the_partner_runs_the_six_steps_and_reports_until_close(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """The return with a partner end to end: its six steps with their documents, then the
    1-month contact and the 6- and 12-month reports done on time, a report dated ahead
    refused, and the case closed by its counsellor (L3529-3860)."""
    anna, px, case = world["anna"], world["px"], at_departure
    _handed_over(world, case)
    _step(px, case, "reint_agreement", "reint_legal")
    _step(px, case, "legal_questions", "reint_strengths")
    _step(px, case, "strengths_inventory", "reint_goals_plan")
    _step(px, case, "action_plan", "reint_strengthen_resources")
    _step(px, case, "resources_plan", "reint_monitoring")
    arrival = _record(px, case, "contact", about="arrival_confirmation")
    assert 201 == arrival.status_code, arrival.text
    case.days(30)
    assert 201 == _record(px, case, "contact", about="contact_1_month").status_code
    case.days(150)
    ahead = _record(px, case, "contact", about="report_6_months", **REPORT,
                    took_place_on=str(case.today.replace(year=case.today.year + 1)))  # fmt: skip
    assert 422 == ahead.status_code
    assert "lies after the day it is recorded for" in ahead.json()["reasons"][0]
    no_funds = _reasons(_record(px, case, "contact", about="report_6_months"), 422)
    assert any("funds_use are required" in r for r in no_funds), no_funds
    assert 201 == _record(px, case, "contact", about="report_6_months", **REPORT,
                          funds_note="Sewing machine bought").status_code  # fmt: skip
    assert 409 == _fire(anna, case, "close").status_code  # the year is not over
    case.days(185)
    assert 201 == _record(px, case, "contact", about="report_12_months", **REPORT).status_code
    report = anna.get(f"/cases/{case.id}/documents/contact").json()
    assert ("report_12_months", "as_agreed", "person:px") == (
        report["data"]["about"],
        report["data"]["funds_use"],
        report["actor"],
    )
    timers = {t["kind"]: t["status"] for t in anna.get(f"/cases/{case.id}/timers").json()}
    assert {"arrival_confirmation": "done", "contact_1_month": "done", "report_6_months": "done",
            "report_12_months": "done", "handover_answer": "done"} == {
        k: v for k, v in timers.items() if k in REPORT_TIMERS}  # fmt: skip
    assert 403 == _fire(px, case, "close").status_code  # the shelter closes its case
    assert "closed_returned" == _fire(anna, case, "close").json()["state"]


REPORT_TIMERS = {"arrival_confirmation", "contact_1_month", "report_6_months",
                 "report_12_months", "handover_answer"}  # fmt: skip


def test_no_further_help_needs_the_contact_details_then_monitoring_follows(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """She wants no further help after step 1: without the organisation's contact details the
    step is refused; with them the case goes straight to monitoring (L3562-3567)."""
    px, case = world["px"], at_departure
    _handed_over(world, case)
    alone = {"further_help_wanted": False, "next_steps": [], "safety_plan_agreed": False,
             "expectations_explained": False}  # fmt: skip
    _record(px, case, "reint_agreement", **alone, contact_details_given=False)
    assert [
        "reint_agreement.contact_details_given: she wants no further help, so she must get the "
        "organisation's contact details (L3566-3567)"
    ] == _reasons(_fire(px, case, "complete"), 409)
    _record(px, case, "reint_agreement", **alone, contact_details_given=True)
    assert "reint_monitoring" == _fire(px, case, "complete").json()["state"]


def test_the_partner_reads_its_own_plans_not_the_shelters(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """The strengths inventory the partner makes in step 3 it reads; the Dutch one made
    before the hand-over, which the client did not consent to share, it does not (403)."""
    px, case = world["px"], at_departure
    _handed_over(world, case)
    for kind in ("reint_agreement", "legal_questions"):
        _record(px, case, kind)
        _fire(px, case, "complete")
    assert 403 == px.get(f"/cases/{case.id}/documents/strengths_inventory").status_code
    assert 201 == _record(px, case, "strengths_inventory").status_code
    own = px.get(f"/cases/{case.id}/documents/strengths_inventory").json()
    assert "person:px" == own["actor"]
    dutch = px.get(f"/cases/{case.id}/documents/strengths_inventory?version=1")
    assert 403 == dutch.status_code
    kinds = {d["kind"] for d in px.get(f"/cases/{case.id}").json()["documents"]}
    assert {"return_plan", "risk_update", "reint_agreement", "legal_questions",
            "strengths_inventory"} == kinds  # fmt: skip


def test_a_partner_changes_nothing_before_departure(
    world: dict[str, Api], at_departure: CaseDriver
) -> None:
    """Offered but not yet departed, the partner answers the offer and nothing more: it
    records no re-integration document and no contact (403)."""
    anna, px, case = world["anna"], world["px"], at_departure
    _consent(anna, case)
    _fire(anna, case, "offer_handover", partner=PARTNER)
    assert 403 == _record(px, case, "reint_agreement").status_code
    assert 403 == _record(px, case, "contact").status_code
    assert 403 == _fire(px, case, "complete").status_code
