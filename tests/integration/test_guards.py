"""Each guard refuses with a reason a counsellor understands, and then allows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.documents import example
from engine.errors import InvalidInput, TriggerRefused
from tests.support import CaseDriver

PARTNER = "example-partner"  # the consent example's partner organisation id


def test_complete_lists_every_missing_document_then_allows(case: CaseDriver) -> None:
    """Step 1 needs a risk analysis and an agreed safety plan; each gap is named."""
    case.open()
    assert [
        "Risk analysis (risk_analysis) has not been recorded yet",
        "Safety plan (safety_plan) has not been recorded yet",
    ] == case.refused("complete")
    case.record("risk_analysis")
    case.record("safety_plan", client_agreed=False, agreed_on=None)
    assert ["safety_plan.client_agreed: the client has not agreed to the safety plan yet"] == (
        case.refused("complete")
    )
    assert ["safety_plan"] == case.show()["missing_documents"]
    case.record("safety_plan")
    assert [] == case.show()["missing_documents"]
    assert "first_counselling" == case.fire("complete")["state"]


def test_show_explains_refused_triggers_with_the_same_reasons(case: CaseDriver) -> None:
    """`case show` gives, per trigger, whether it is allowed and the guard's reasons."""
    case.open()
    triggers = {t["name"]: t for t in case.show()["triggers"]}
    label = {"nl": "Traject beëindigen", "en": "Withdraw"}
    assert {"name": "withdraw", "track": "care", "label": label, "allowed": True} == (
        triggers["withdraw"]
    )
    assert case.refused("complete") == triggers["complete"]["reasons"]


def test_step_6_needs_a_supplemented_action_plan(case: CaseDriver) -> None:
    """The action plan of step 4 does not count for step 6: it must be supplemented there."""
    case.open()
    case.to_short_term_plan()
    case.record("action_plan")
    case.fire("complete")
    case.record("overview1")
    case.record("overview2")
    case.fire("complete")
    assert ["Action plan (action_plan) must be updated in this step"] == case.refused("complete")
    case.record("action_plan")
    assert "interim_evaluation" == case.fire("complete")["state"]


def test_reflection_period_victim_decides_on_reporting_in_step_4(case: CaseDriver) -> None:
    """A trafficking victim in the reflection period must record her decision to report."""
    case.open()
    case.fire("start_reflection_period", started_on=str(case.today))
    case.to_short_term_plan()
    case.record("action_plan", report_decision="undecided")
    reasons = case.refused("complete")
    assert 1 == len(reasons) and "report_decision" in reasons[0]
    case.record("action_plan", report_decision="no_report")
    assert "future_talks" == case.fire("complete")["state"]


def test_reflection_period_is_at_most_three_calendar_months(case: CaseDriver) -> None:
    """An end later than three calendar months after the start is refused (L644-648)."""
    case.open()
    start = case.today
    assert [
        "the end date 2026-04-06 is too late: the reflection period lasts at most 3 calendar "
        "months, so it ends by 2026-04-05"
    ] == case.refused("start_reflection_period", started_on=str(start), ends_on="2026-04-06")
    view = case.fire("start_reflection_period", started_on=str(start), ends_on="2026-04-05")
    assert "reflection_period" == view["residence_state"]


def test_a_reflection_period_that_would_already_be_over_is_refused(case: CaseDriver) -> None:
    """A start more than three months back is refused: that period has ended."""
    case.open()
    started = case.today - timedelta(days=100)
    reasons = case.refused("start_reflection_period", started_on=str(started))
    assert 1 == len(reasons) and "at most 3 calendar months" in reasons[0]


def test_witness_who_reported_gets_no_reflection_period(case: CaseDriver) -> None:
    """After a police report, a reflection period is refused (L4760-4761)."""
    case.open()
    case.fire("report_to_police", reported_on=str(case.today))
    reasons = case.refused("start_reflection_period", started_on=str(case.today))
    assert 1 == len(reasons) and "already reported to the police" in reasons[0]


def test_reflection_period_is_for_trafficking_cases(case: CaseDriver) -> None:
    """A domestic-violence case gets no reflection period."""
    case.open("domestic_violence")
    assert ["only for cases of human trafficking; this is a case of domestic violence"] == (
        case.refused("start_reflection_period", started_on=str(case.today))
    )


def test_departure_waits_while_article_64_holds(case: CaseDriver) -> None:
    """Article 64 (medically unfit to travel) suspends departure until it ends."""
    case.open()
    case.to_departure()
    case.record("handover_checklist", with_partner=False)
    case.fire("start_article64", started_on=str(case.today))
    assert case.show()["article64"]
    assert [
        "article 64 holds (the client is medically unfit to travel): departure is suspended"
    ] == case.refused("depart", departed_on=str(case.today))
    assert ["article 64 already holds for this client"] == case.refused(
        "start_article64", started_on=str(case.today)
    )
    case.fire("end_article64", ended_on=str(case.today))
    assert "reint_monitoring" == case.fire("depart", departed_on=str(case.today))["state"]


def test_hand_over_needs_consent_for_that_partner(case: CaseDriver) -> None:
    """Hand-over to a partner is refused without the client's consent to that partner."""
    case.open()
    case.to_departure()
    case.record("handover_checklist")
    assert [f"the client has not consented to a hand-over to {PARTNER} (consent)"] == (
        case.refused("offer_handover", partner=PARTNER)
    )
    case.record("consent", partner_organisation="other-foundation")
    assert [f"the client consented to a hand-over to other-foundation, not to {PARTNER}"] == (
        case.refused("offer_handover", partner=PARTNER)
    )
    case.record("consent")
    case.hand_over(PARTNER)
    view = case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    assert ("reint_basic_needs", PARTNER) == (view["state"], view["facts"]["handover_partner"])


def test_withdrawn_consent_does_not_count(case: CaseDriver) -> None:
    """A consent the client withdrew no longer allows the hand-over."""
    case.open()
    case.to_departure()
    case.record("handover_checklist")
    case.record("consent", withdrawn=True, withdrawn_on=str(case.today))
    reasons = case.refused("offer_handover", partner=PARTNER)
    assert [f"the client has not consented to a hand-over to {PARTNER} (consent)"] == reasons


def test_risk_update_may_reuse_the_return_plans_risk_section(case: CaseDriver) -> None:
    """Step 11 is done by an updated risk analysis, or by PAT section 5 marked sufficient."""
    case.open()
    case.to_provisional_decision()
    case.fire("choose_return")
    case.record("return_plan", **_return_plan_risk_section(sufficient=False))
    case.fire("complete")
    reasons = case.refused("complete")
    assert 1 == len(reasons) and reasons[0].startswith("Updated risk analysis (risk_update)")
    case.record("return_plan", **_return_plan_risk_section(sufficient=True))
    assert "departure" == case.fire("complete")["state"]


def _return_plan_risk_section(*, sufficient: bool) -> dict[str, object]:
    plan = example("return_plan")
    return {"safety": {**plan["safety"], "risk_section_sufficient_for_update": sufficient}}


def test_monitoring_contacts_only_where_the_client_agreed(case: CaseDriver) -> None:
    """A monitoring contact cannot be recorded without consent; arrival confirmation can."""
    case.open()
    case.to_departure()
    case.record(
        "consent",
        handover_to_partner=False,
        partner_organisation=None,
        share_documents=[],
        monitoring_contacts=False,
    )
    case.record("handover_checklist", with_partner=False)
    view = case.fire("depart", departed_on=str(case.today))
    assert ["arrival_confirmation"] == [
        t["kind"] for t in view["timers"] if t["status"] == "pending"
    ]
    refused = _record_refused(case, "contact", about="contact_1_month")
    assert ["the client has not agreed to monitoring contacts (consent.monitoring_contacts)"] == (
        refused
    )
    case.record("contact", about="arrival_confirmation")
    assert "closed_returned" == case.fire("close")["state"]


def _record_refused(case: CaseDriver, kind: str, **changes: object) -> list[str]:
    with pytest.raises(TriggerRefused) as refused:
        case.record(kind, **changes)
    return refused.value.reasons


def test_family_location_only_with_minor_children_vbl_only_without(case: CaseDriver) -> None:
    """Family location needs minor children; VBL is only for clients without (L740-753)."""
    case.open()
    case.record("client_profile")  # one minor child
    case.fire("report_to_police", reported_on=str(case.today))
    case.fire("apply_permit", permit="b8_3_temporary", applied_on=str(case.today))
    case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    case.fire("end_lawful_stay", ended_on=str(case.today), reason="remedies_exhausted")
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "a VBL (restricted-freedom location) is only for clients without minor children; "
        "consider a family location"
    ] == case.refused("leave_shelter", outcome="vbl")
    case.record("client_profile", minor_children=0, youngest_child_born_on=None)
    assert ["a family location is only for clients with minor children"] == case.refused(
        "leave_shelter", outcome="family_location"
    )
    assert "closed_stayed" == case.fire("leave_shelter", outcome="vbl")["state"]


def test_leaving_with_a_permit_needs_a_permit(case: CaseDriver) -> None:
    """The outcome `permit` is refused while no permit has been granted."""
    case.open()
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "leaving with a residence permit needs a granted permit; her residence is now: No procedure"
    ] == case.refused("leave_shelter", outcome="permit")


def test_cosm_admission_checks_every_condition(case: CaseDriver) -> None:
    """COSM admits adults in the reflection period who have not reported and are not Dutch."""
    case.open()
    assert ["record the client profile (client_profile) first"] == case.refused("admit_cosm")
    case.record("client_profile", adult=False, citizenship="dutch")
    assert [
        "COSM admits adults only",
        "COSM admits clients in the reflection period only",
        "COSM does not admit Dutch nationals",
    ] == case.refused("admit_cosm")
    case.record("client_profile")
    case.fire("start_reflection_period", started_on=str(case.today))
    assert "cosm" == case.fire("admit_cosm")["facts"]["placement"]


def test_permits_fit_the_kind_of_case(case: CaseDriver) -> None:
    """A B8/3 permit is for trafficking; without a report it needs threat or medical grounds."""
    case.open("domestic_violence")
    assert ["a b8_3_temporary permit is for cases of human trafficking, not domestic violence"] == (
        case.refused("apply_permit", permit="b8_3_temporary", applied_on=str(case.today))
    )
    other = CaseDriver(case.app, case.clock)
    other.open("trafficking", client="A-2")
    assert [
        "a B8/3 permit without a police report needs serious threat or medical grounds "
        "(grounds: serious_threat or medical)"
    ] == other.refused("apply_permit", permit="b8_3_temporary", applied_on=str(other.today))
    view = other.fire(
        "apply_permit",
        permit="b8_3_temporary",
        applied_on=str(other.today),
        grounds="serious_threat",
    )
    assert "application_pending" == view["residence_state"]


def test_eu_citizens_have_lawful_stay_without_the_ind(case: CaseDriver) -> None:
    """Only a client profiled as EU citizen is registered as such."""
    case.open()
    case.record("client_profile")  # third-country national
    assert ["only for EU/EEA citizens; the client profile does not say she is one"] == case.refused(
        "register_eu_citizen", arrived_on=str(case.today)
    )
    case.record("client_profile", citizenship="eu")
    view = case.fire("register_eu_citizen", arrived_on=str(case.today))
    assert "eu_lawful_stay" == view["residence_state"]


def test_trigger_not_possible_from_this_step_says_so(case: CaseDriver) -> None:
    """A trigger that does not exist from the current step is refused, naming the step."""
    case.open()
    assert ["choose_stay is not possible from Basic needs and safety (basic_needs_safety)"] == (
        case.refused("choose_stay")
    )


def test_vbl_family_location_and_undocumented_need_ended_lawful_stay(case: CaseDriver) -> None:
    """Leaving to a VBL or family location, or without papers, needs lawful stay to have ended."""
    case.open()
    case.record("client_profile", minor_children=0, youngest_child_born_on=None)
    case.fire("start_reflection_period", started_on=str(case.today))
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "a VBL (restricted-freedom location) is for clients whose lawful stay has ended "
        "(end_lawful_stay); her residence is now: Reflection period"
    ] == case.refused("leave_shelter", outcome="vbl")
    case.fire("end_lawful_stay", ended_on=str(case.today), reason="reflection_ended_without_report")
    informed = {"rights_information_given": True, "socialmap_given": True}
    assert (
        "closed_stayed" == case.fire("leave_shelter", outcome="undocumented", **informed)["state"]
    )


def test_trigger_dates_cannot_lie_in_the_future_or_before_what_they_follow(
    case: CaseDriver,
) -> None:
    """A report dated tomorrow, a reflection end before its start, or a departure before the
    intake are refused, naming the field."""
    case.open()
    cases = [
        ("report_to_police", {"reported_on": "2026-01-06"},
         "data.reported_on: 2026-01-06 lies after the day it is recorded for (2026-01-05)"),
        ("start_reflection_period", {"started_on": "2026-01-05", "ends_on": "2026-01-01"},
         "data.ends_on: 2026-01-01 lies before started_on (2026-01-05)"),
    ]  # fmt: skip
    for trigger, data, reason in cases:
        with pytest.raises(InvalidInput) as refused:
            case.fire(trigger, **data)
        assert [reason] == refused.value.reasons


def test_cosm_admission_ends_with_the_reflection_period(case: CaseDriver) -> None:
    """After three months the client is no longer in the reflection period, even if nobody
    recorded its end: COSM admission and the step-4 reporting rule no longer apply."""
    case.open()
    case.record("client_profile")
    case.fire("start_reflection_period", started_on=str(case.today))
    case.days(31 + 28 + 31 + 1)
    assert ["COSM admits clients in the reflection period only"] == case.refused("admit_cosm")


def test_departure_follows_what_the_handover_checklist_prepared(case: CaseDriver) -> None:
    """A hand-over needs a checklist made for a partner, and a departure without one needs
    a checklist made for that."""
    case.open()
    case.to_departure()
    case.record("consent")
    case.record("handover_checklist", with_partner=False)
    case.hand_over(PARTNER)
    assert [
        "the hand-over checklist was made for a departure without a partner organisation "
        "(handover_checklist.with_partner)"
    ] == case.refused("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    case.record("handover_checklist")
    assert [
        "the hand-over checklist was made for a hand-over to a partner organisation: name it "
        "(partner_organisation)"
    ] == case.refused("depart", departed_on=str(case.today))


def test_handover_consent_must_cover_the_plan_and_risk_update(case: CaseDriver) -> None:
    """The consent must name the return plan and the updated risk analysis as shareable."""
    case.open()
    case.to_departure()
    case.record("handover_checklist")
    case.record("consent", share_documents=["return_plan"])
    assert [
        "the client's consent does not cover handing over the Updated risk analysis "
        "(consent.share_documents)"
    ] == case.refused("offer_handover", partner=PARTNER)
    case.record("consent")
    case.hand_over(PARTNER)
    view = case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    assert "reint_basic_needs" == view["state"]


def test_evaluate_in_step_7_starts_the_evaluation_anew(case: CaseDriver) -> None:
    """A new change during step 7 asks for the evaluation documents again."""
    case.open()
    case.to_provisional_decision()
    case.fire("evaluate", reason="change")
    case.record("evaluation")
    case.record("overview1")
    case.record("overview2")
    assert [] == case.show()["missing_documents"]
    view = case.fire("evaluate", reason="change")
    assert ("interim_evaluation", ["evaluation", "overview1", "overview2"]) == (
        view["state"],
        view["missing_documents"],
    )


def test_residence_track_closes_after_return(case: CaseDriver) -> None:
    """Once the client has departed, Dutch residence events are refused."""
    case.open()
    case.to_departure()
    case.record("handover_checklist", with_partner=False)
    case.fire("depart", departed_on=str(case.today))
    assert ["the client has returned: the residence track in the Netherlands is closed"] == (
        case.refused("report_to_police", reported_on=str(case.today))
    )
    assert [] == [t for t in case.show()["triggers"] if t["track"] == "residence"]
