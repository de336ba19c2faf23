"""Cases walk every branch of Bijlage 2: stay with each way of leaving, return with and
without a partner organisation, and withdrawal; for trafficking and domestic violence."""

from __future__ import annotations

import pytest

from tests.support import REPORT, CaseDriver, residence_for_leaving

PARTNER = "example-partner"  # the consent example's partner organisation id


@pytest.mark.parametrize("kind", ["trafficking", "domestic_violence"])
@pytest.mark.parametrize(
    "outcome",
    [
        "permit",
        "lawful_stay",
        "litigating",
        "family_location",
        "vbl",
        "undocumented",
        "third_country",
    ],
)
def test_stay_branch_ends_with_each_leaving_outcome(
    case: CaseDriver, kind: str, outcome: str
) -> None:
    """Steps 1-8, choose to stay (9), leave the shelter with the outcome: closed_stayed."""
    case.open(kind)
    case.record("client_profile")
    residence_for_leaving(case, kind, outcome)
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert "stay_action_plan" == case.state
    informed = {"rights_information_given": True, "socialmap_given": True}
    view = case.fire(
        "leave_shelter", outcome=outcome, **(informed if outcome == "undocumented" else {})
    )
    assert ("closed_stayed", True) == (view["state"], view["closed"])
    assert outcome == view["facts"]["leave_outcome"]
    # What is offered after leaving fits the way she left (L740-753, L2239-2241).
    expected = {
        "vbl": ["confirm_departure", "end_placement"],
        "family_location": ["confirm_departure", "end_placement"],
        "permit": ["reopen_for_return"],
    }.get(outcome, [])
    assert expected == [t["name"] for t in view["triggers"] if t["allowed"]]


@pytest.mark.parametrize("kind", ["trafficking", "domestic_violence"])
def test_return_with_partner_runs_the_reintegration_steps(case: CaseDriver, kind: str) -> None:
    """Return with hand-over: steps 10-12, the six re-integration steps, monitoring, closed."""
    case.open(kind)
    case.to_departure()
    case.record("consent")
    case.record("handover_checklist")
    case.hand_over(PARTNER)
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    assert "reint_basic_needs" == case.state
    case.through_reintegration()
    for about in ("arrival_confirmation", "contact_1_month"):
        case.record("contact", about=about)
    for about in ("report_6_months", "report_12_months"):
        case.record("contact", about=about, **REPORT)
    view = case.fire("close")
    assert "closed_returned" == view["state"]
    assert {"done"} == {
        t["status"]
        for t in view["timers"]
        if t["kind"].startswith(("arrival", "contact", "report"))
    }


def test_return_without_partner_goes_straight_to_monitoring(case: CaseDriver) -> None:
    """Without a hand-over, departure leads to monitoring; no partner reports are expected."""
    case.open("domestic_violence")
    case.to_departure()
    case.record("consent", handover_to_partner=False, partner_organisation=None, share_documents=[])
    case.record("handover_checklist", with_partner=False)
    view = case.fire("depart", departed_on=str(case.today))
    assert "reint_monitoring" == view["state"]
    kinds = {t["kind"] for t in view["timers"] if t["status"] == "pending"}
    assert {"arrival_confirmation", "contact_1_month"} == kinds
    case.record("contact", about="arrival_confirmation")
    case.record("contact", about="contact_1_month")
    assert "closed_returned" == case.fire("close")["state"]


def test_return_can_be_chosen_later_from_the_stay_branch(case: CaseDriver) -> None:
    """A client who first chose to stay may still choose return from step 9 (L2893-2897)."""
    case.open()
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert "return_action_plan" == case.fire("choose_return")["state"]


def test_any_change_in_step_9_sends_the_case_back_to_step_7(case: CaseDriver) -> None:
    """`evaluate` from step 9 returns to step 7, which again needs fresh overviews."""
    case.open()
    case.to_provisional_decision()
    case.fire("choose_stay")
    view = case.fire("evaluate", reason="change")
    assert "interim_evaluation" == view["state"]
    assert ["evaluation", "overview1", "overview2"] == view["missing_documents"]


def test_an_ind_decision_sends_the_case_to_step_7(case: CaseDriver) -> None:
    """An IND decision moves a case in a Dutch step after step 1 to step 7 (L2812-2815)."""
    case.open()
    case.to_short_term_plan()
    case.fire("start_reflection_period", started_on=str(case.today))
    case.fire("report_to_police", reported_on=str(case.today))
    view = case.fire(
        "record_ind_decision",
        decision="positive",
        decided_on=str(case.today),
        permit="b8_3_temporary",
        valid_until="2027-01-04",
    )
    assert ("permit", "interim_evaluation") == (view["residence_state"], view["state"])


def test_an_ind_decision_in_step_1_waits_for_step_1_then_leads_to_step_7(
    case: CaseDriver,
) -> None:
    """L2812-2815: an IND decision leads to step 7. In step 1 (safety first, L2266-2277) the
    case stays, says the evaluation follows, runs no deadline that cannot be kept, and on
    leaving step 1 goes to step 7 instead of step 2."""
    case.open("domestic_violence")
    case.fire("apply_permit", permit="one_year_undocumented", applied_on="2026-01-05",
              grounds="violence_shown")  # fmt: skip
    case.days(2)
    view = case.fire("record_ind_decision", decision="negative", decided_on="2026-01-06")
    assert ("rejected", "basic_needs_safety") == (view["residence_state"], view["state"])
    assert [
        "IND decision of 2026-01-06: step 7 (Interim changes and evaluation) follows after "
        "step 1 (Basic needs and safety)"
    ] == view["deferred"]
    assert "evaluation_after_decision" not in {t["kind"] for t in view["timers"]}
    case.record("client_profile")
    case.record("risk_analysis")
    case.record("safety_plan")
    view = case.fire("complete")
    assert ("interim_evaluation", []) == (view["state"], view["deferred"])
    assert "first_counselling" == view["facts"]["evaluation_left"]


def test_step_7_after_step_1_catches_up_on_steps_2_to_4_before_step_8(case: CaseDriver) -> None:
    """L2867 (step 8 follows every evaluation), L2433-2435 (the future talks build on the
    strengths inventory), L2902 (step 9 goes back to the action plan): the steps the decision
    passed by are recorded before the provisional decision, not skipped for good."""
    case.open("domestic_violence")
    case.fire("apply_permit", permit="one_year_undocumented", applied_on="2026-01-05",
              grounds="violence_shown")  # fmt: skip
    case.fire("record_ind_decision", decision="negative", decided_on="2026-01-05")
    for kind in ("client_profile", "risk_analysis", "safety_plan"):
        case.record(kind)
    case.fire("complete")
    for kind in ("evaluation", "overview1", "overview2"):
        case.record(kind)
    assert [
        f"the evaluation interrupted {step}: {label} ({kind}) of that part of the pathway "
        "must be recorded before the provisional decision"
        for step, label, kind in [
            ("first_counselling", "First talks and information", "counselling_info"),
            ("strengths_inventory", "Strengths inventory", "strengths_inventory"),
            ("short_term_plan", "Action plan", "action_plan"),
        ]
    ] == case.refused("complete")
    for kind in ("counselling_info", "strengths_inventory", "action_plan"):
        case.record(kind)
    assert "provisional_decision" == case.fire("complete")["state"]


def test_an_ind_decision_in_step_3_keeps_steps_3_and_4_to_catch_up(case: CaseDriver) -> None:
    """L2812-2815 with L2433-2435: from step 3 the decision leads to step 7, which remembers
    the step it interrupted and asks for its documents (and step 4's) before step 8."""
    case.open("domestic_violence")
    for kind in ("client_profile", "risk_analysis", "safety_plan"):
        case.record(kind)
    case.fire("complete")
    case.record("counselling_info")
    case.fire("complete")
    case.fire("apply_permit", permit="one_year_undocumented", applied_on="2026-01-05",
              grounds="violence_shown")  # fmt: skip
    view = case.fire("record_ind_decision", decision="negative", decided_on="2026-01-05")
    assert ("interim_evaluation", "strengths_inventory") == (
        view["state"],
        view["facts"]["evaluation_left"],
    )
    for kind in ("evaluation", "overview1", "overview2"):
        case.record(kind)
    assert 2 == len(case.refused("complete"))
    case.record("strengths_inventory")
    assert ["action_plan"] == [r.split("(")[-1].split(")")[0] for r in case.refused("complete")]
    case.record("action_plan")
    assert "provisional_decision" == case.fire("complete")["state"]


@pytest.mark.parametrize(
    "where", ["basic_needs_safety", "short_term_plan", "stay_action_plan", "reint_monitoring"]
)
def test_withdraw_closes_the_case_from_any_open_step(case: CaseDriver, where: str) -> None:
    """Withdrawal is possible from every open step and closes the case for good."""
    case.open()
    if where == "short_term_plan":
        case.to_short_term_plan()
    elif where == "stay_action_plan":
        case.to_provisional_decision()
        case.fire("choose_stay")
    elif where == "reint_monitoring":
        case.to_departure()
        case.record("handover_checklist", with_partner=False)
        case.fire("depart", departed_on=str(case.today))
    assert where == case.state
    view = case.fire("withdraw", reason="client_left")
    assert "closed_withdrawn" == view["state"]
    assert [] == [t for t in view["timers"] if t["status"] in ("pending", "overdue")]
    assert ["the case is closed"] == case.refused("report_to_police", reported_on=str(case.today))
