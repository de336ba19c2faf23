"""The residence track's permits as the book grants them (L641-694, L4744-4767), and what a
negative IND decision asks of the counselling and of the organisation (L2358-2362,
L2819-2826). Each test names the book lines whose rule it breaks when the rule is gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from engine.states import Workflow
from tests.support import CaseDriver

POSITIVE = "positive"


def _decide(case: CaseDriver, permit: str, valid_until: date | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "decision": POSITIVE,
        "decided_on": str(case.today),
        "permit": permit,
    }
    if valid_until is not None:
        data["valid_until"] = str(valid_until)
    return data


# -- permits --------------------------------------------------------------------------------


def test_non_temporary_permit_only_after_a_temporary_one_l650_653_l4766(case: CaseDriver) -> None:
    """Without a temporary (B8/3) permit held, the non-temporary humanitarian permit is
    refused; once the B8/3 permit was held, also after it ended, it can be applied for."""
    case.open("trafficking")
    case.fire("report_to_police", reported_on=str(case.today))
    assert [
        "a non-temporary humanitarian permit can only be applied for after the client has held "
        "a temporary permit (B8/3); this case has not held one (L650-653)"
    ] == case.refused(
        "apply_permit", permit="humanitarian_non_temporary", applied_on=str(case.today)
    )
    view = case.fire("record_ind_decision", **_decide(case, "b8_3_temporary"))
    assert ("permit", ["b8_3_temporary"]) == (
        view["residence_state"],
        view["facts"]["permits_held"],
    )
    case.fire("end_lawful_stay", ended_on=str(case.today), reason="investigation_ended")
    view = case.fire(
        "apply_permit", permit="humanitarian_non_temporary", applied_on=str(case.today)
    )
    assert "application_pending" == view["residence_state"]
    view = case.fire("record_ind_decision", **_decide(case, "humanitarian_non_temporary"))
    assert ["b8_3_temporary", "humanitarian_non_temporary"] == view["facts"]["permits_held"]


def test_b8_3_permit_lasts_as_long_as_the_investigation_l648_650(case: CaseDriver) -> None:
    """The report is the application for the B8/3 permit (L4744-4747); it is granted for the
    investigation, so it needs no end date and no renewal is due."""
    case.open("trafficking")
    case.fire("report_to_police", reported_on=str(case.today))
    view = case.fire("record_ind_decision", **_decide(case, "b8_3_temporary"))
    assert (None, False) == (
        view["facts"]["permit_valid_until"],
        any(t["kind"] == "permit_renewal" for t in view["timers"]),
    )


def test_independent_permit_needs_a_dependent_one_and_shown_violence_l659_664(
    case: CaseDriver,
) -> None:
    """An independent permit (domestic violence) is refused without a dependent permit and
    without the violence shown; the five-year permit may not run longer (L663-664) and its
    renewal is due 8 weeks before it ends (policy permit_renewal_lead)."""
    case.open("domestic_violence")
    apply = {"permit": "independent_domestic_violence", "applied_on": str(case.today)}
    assert [
        "an independent permit is for a client whose permit depends on her partner or parents: "
        "record that dependent permit first (record_dependent_permit, L659-664)"
    ] == case.refused("apply_permit", **apply, grounds="report")
    view = case.fire("record_dependent_permit", dependent_on="partner")
    assert ("permit", "dependent", ["dependent"]) == (
        view["residence_state"],
        view["facts"]["permit"],
        view["facts"]["permits_held"],
    )
    assert [
        "grounds: the domestic violence must be shown, by a report to the police (report) or "
        "statements of the care workers (violence_shown) (L660-661, L666)"
    ] == case.refused("apply_permit", **apply)
    case.fire("apply_permit", **apply, grounds="violence_shown")
    five_years = case.today + relativedelta(years=5)
    assert [
        f"valid_until {five_years + timedelta(days=1)} is too late: a "
        "independent_domestic_violence permit is granted for at most 5 year(s) (L663-664), so "
        f"it ends by {five_years}"
    ] == case.refused(
        "record_ind_decision",
        **_decide(case, "independent_domestic_violence", five_years + timedelta(days=1)),
    )
    view = case.fire(
        "record_ind_decision", **_decide(case, "independent_domestic_violence", five_years)
    )
    assert ["dependent", "independent_domestic_violence"] == view["facts"]["permits_held"]
    assert str(five_years - timedelta(weeks=8)) == case.timer("permit_renewal")["due_on"]


def test_dependent_permit_only_for_violence_cases(case: CaseDriver) -> None:
    """A permit dependent on a partner or parents is recorded for domestic and honour
    violence clients (L657-658), not in a trafficking case."""
    case.open("trafficking")
    assert [
        "only for cases of domestic violence or honour-related violence; this is a case of "
        "human trafficking"
    ] == (case.refused("record_dependent_permit", dependent_on="parents"))


def test_one_year_permit_of_an_undocumented_client_lasts_a_year_l665_668(
    case: CaseDriver,
) -> None:
    """The permit of an undocumented domestic-violence client is granted for one year; a
    `valid_until` ten years on is refused, naming the field and the rule."""
    case.open("domestic_violence")
    case.fire(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    one_year = case.today + relativedelta(years=1)
    (reason,) = case.refused(
        "record_ind_decision",
        **_decide(case, "one_year_undocumented", case.today + relativedelta(years=10)),
    )
    assert reason.startswith("valid_until ")
    assert f"at most 1 year(s) (L667-668), so it ends by {one_year}" in reason
    view = case.fire("record_ind_decision", **_decide(case, "one_year_undocumented", one_year))
    assert str(one_year) == view["facts"]["permit_valid_until"]


def test_honour_violence_permit_is_renewed_while_held_l691_694(case: CaseDriver) -> None:
    """The one-year honour-violence permit is extended by applying for it again while she
    holds it; the renewal runs a year on from the end of the one she holds. Another one-year
    permit on top of it is refused: those are for clients without a permit."""
    case.open("honour_violence")
    apply = {"permit": "honour_violence_temporary", "applied_on": str(case.today)}
    case.fire("apply_permit", **apply)
    first_end = case.today + relativedelta(years=1)
    case.fire("record_ind_decision", **_decide(case, "honour_violence_temporary", first_end))
    renewal = case.timer("permit_renewal")
    assert ("pending", str(first_end - timedelta(weeks=8))) == (
        renewal["status"],
        renewal["due_on"],
    )
    case.days(300)
    assert [
        "a one_year_undocumented permit is for a client without a residence permit; she holds "
        "a honour_violence_temporary permit (a renewal is an application of the permit she "
        "holds)"
    ] == case.refused(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    case.fire("apply_permit", **{**apply, "applied_on": str(case.today)})
    assert "done" == case.timer("permit_renewal")["status"]
    second_end = first_end + relativedelta(years=1)
    assert case.refused(
        "record_ind_decision",
        **_decide(case, "honour_violence_temporary", second_end + timedelta(days=1)),
    )[0].startswith("valid_until ")
    view = case.fire(
        "record_ind_decision", **_decide(case, "honour_violence_temporary", second_end)
    )
    assert ("permit", str(second_end)) == (
        view["residence_state"],
        view["facts"]["permit_valid_until"],
    )
    assert str(second_end - timedelta(weeks=8)) == case.timer("permit_renewal")["due_on"]


def test_ind_decision_answers_the_application_and_fits_the_case_l648_694(
    case: CaseDriver,
) -> None:
    """A decision needs an application; a positive one grants the permit applied for, of a
    kind that exists for the case (review row 10: a trafficking-only permit granted on a
    domestic-violence case)."""
    case.open("domestic_violence")
    assert ["record_ind_decision is not possible from No procedure (no_procedure)"] == (
        case.refused("record_ind_decision", decision="negative", decided_on=str(case.today))
    )
    case.fire(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    assert [
        "a humanitarian_non_temporary permit is for cases of human trafficking, not domestic "
        "violence",
        "permit: the decision answers the application for a one_year_undocumented permit, so "
        "it cannot grant a humanitarian_non_temporary permit",
    ] == case.refused("record_ind_decision", **_decide(case, "humanitarian_non_temporary"))
    one_year = case.today + relativedelta(years=1)
    assert [
        "permit: the decision answers the application for a one_year_undocumented permit, so "
        "it cannot grant a independent_domestic_violence permit"
    ] == case.refused(
        "record_ind_decision", **_decide(case, "independent_domestic_violence", one_year)
    )
    assert "application_pending" == case.show()["residence_state"]


def test_after_a_report_the_decision_is_about_the_b8_3_permit_l4744_4747(
    case: CaseDriver,
) -> None:
    """After a police report without an application, only the B8/3 permit can be granted."""
    case.open("trafficking")
    case.fire("report_to_police", reported_on=str(case.today))
    assert [
        "permit: the decision answers the application for a b8_3_temporary permit, so it "
        "cannot grant a humanitarian_non_temporary permit"
    ] == case.refused("record_ind_decision", **_decide(case, "humanitarian_non_temporary"))


# -- a negative decision -------------------------------------------------------------------


def _negative_in_step_1(case: CaseDriver) -> None:
    """A domestic-violence client without papers, refused her one-year permit in step 1."""
    case.open("domestic_violence")
    case.fire(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))


def test_evaluation_records_the_objection_or_appeal_choice_l2819_2826(case: CaseDriver) -> None:
    """While a negative decision stands, step 7 is left only when the evaluation records her
    choice about objection or appeal and that its use to her was discussed."""
    case.open("domestic_violence")
    case.to_short_term_plan()
    case.record("action_plan")
    case.fire("complete")
    case.fire(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    view = case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    assert "interim_evaluation" == view["state"]
    case.record("overview1")
    case.record("overview2")
    case.record(
        "evaluation", objection_appeal_decision=None, objection_appeal_interest_discussed=False
    )
    assert [
        "after the negative IND decision, the evaluation must record the client's choice about "
        "objection or appeal (evaluation.objection_appeal_decision)",
        "whether going on with objection or appeal serves the client's interest has not been "
        "discussed yet (evaluation.objection_appeal_interest_discussed)",
    ] == case.refused("complete")
    case.record("evaluation", objection_appeal_decision="undecided")
    assert "provisional_decision" == case.fire("complete")["state"]


def test_evaluation_after_a_positive_decision_needs_no_objection_choice(
    case: CaseDriver,
) -> None:
    """The objection/appeal choice is asked only after a negative decision (L2815-2819)."""
    case.open("trafficking")
    case.to_short_term_plan()
    case.fire("report_to_police", reported_on=str(case.today))
    case.fire("record_ind_decision", **_decide(case, "b8_3_temporary"))
    assert "interim_evaluation" == case.state
    case.record("action_plan")  # step 4, which the decision interrupted, is caught up
    case.record("overview1")
    case.record("overview2")
    case.record(
        "evaluation", objection_appeal_decision=None, objection_appeal_interest_discussed=False
    )
    assert "provisional_decision" == case.fire("complete")["state"]


def test_leaving_as_litigating_needs_an_objection_or_appeal_running_l2819_2822(
    case: CaseDriver,
) -> None:
    """`litigating` is refused while only a negative decision (or a first application) is
    there; with an appeal filed it is accepted."""
    _negative_in_step_1(case)
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "leaving while litigating needs an objection or appeal that is running "
        "(file_objection, file_appeal); her residence is now: Negative decision"
    ] == case.refused("leave_shelter", outcome="litigating")
    case.fire("file_appeal", filed_on=str(case.today))
    view = case.fire("leave_shelter", outcome="litigating")
    assert ("closed_stayed", "litigating") == (view["state"], view["facts"]["leave_outcome"])


def _switched_on(case: CaseDriver) -> None:
    spec = case.app.workflow.spec
    policy = {**spec.policy, "end_stay_at_first_negative_decision": True}
    case.app = replace(case.app, workflow=Workflow(spec.model_copy(update={"policy": policy})))


def test_shipped_policy_keeps_the_stay_at_a_negative_decision_l2358_2362(
    case: CaseDriver,
) -> None:
    """The shipped workflow file leaves the switch off: the stay does not end this way."""
    assert False is case.app.workflow.spec.policy["end_stay_at_first_negative_decision"]
    _negative_in_step_1(case)
    case.to_provisional_decision()
    assert [
        "this organisation does not end the stay at a negative IND decision (policy "
        "end_stay_at_first_negative_decision is off)"
    ] == case.refused("leave_shelter", outcome="end_of_stay_after_negative_decision")


def test_stay_ends_at_a_negative_decision_only_when_safety_allows_l2358_2362(
    case: CaseDriver,
) -> None:
    """With the switch on, the stay of a domestic-violence client refused a permit ends after
    the step-7 evaluation only when a risk analysis made after the decision rates the threat
    `none` and answers `no` on concrete indications, reprisals and being sought."""
    _switched_on(case)
    case.open("domestic_violence")
    case.to_provisional_decision()
    case.days(3)
    case.fire(
        "apply_permit",
        permit="one_year_undocumented",
        applied_on=str(case.today),
        grounds="violence_shown",
    )
    case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    assert "interim_evaluation" == case.state
    leave = {"outcome": "end_of_stay_after_negative_decision"}
    refused = case.refused("leave_shelter", **leave)
    assert (
        f"her safety must be re-assessed after the negative decision of {case.today}: record a "
        "new risk analysis first (risk_analysis, L2361-2362, L2863-2864)"
    ) in refused
    assert any(r.startswith("after the negative IND decision of") for r in refused)
    for kind in ("evaluation", "overview1", "overview2", "risk_analysis"):
        case.record(kind)  # the example risk analysis: threat medium, reprisals threatened
    assert [
        "her safety is still at stake: the risk analysis rates the threat medium "
        "(risk_analysis.threat_level), so the stay does not end (L2361-2362)",
        "her safety is still at stake: the risk analysis answers yes to "
        "risk_analysis.threatened_with_reprisal, so the stay does not end (L2361-2362)",
    ] == case.refused("leave_shelter", **leave)
    case.record("risk_analysis", threat_level="none", threatened_with_reprisal="no")
    view = case.fire("leave_shelter", **leave)
    assert ("closed_stayed", "end_of_stay_after_negative_decision") == (
        view["state"],
        view["facts"]["leave_outcome"],
    )


def test_stay_ends_at_a_negative_decision_only_for_violence_cases_l2358(
    case: CaseDriver,
) -> None:
    """Trafficking victims are not meant by the organisation's policy (L2358-2359)."""
    _switched_on(case)
    case.open("trafficking")
    case.fire("report_to_police", reported_on=str(case.today))
    case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    case.to_provisional_decision()
    assert [
        "the stay ends at a negative decision only for domestic or honour violence cases; this "
        "case is trafficking (L2358-2359)"
    ] == case.refused("leave_shelter", outcome="end_of_stay_after_negative_decision")


def test_stay_ends_this_way_only_while_a_negative_decision_stands(case: CaseDriver) -> None:
    """Without a negative decision the organisation's switch does not apply."""
    _switched_on(case)
    case.open("domestic_violence")
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "the stay ends this way only while a negative IND decision stands; residence is "
        "no_procedure (L2358-2360)"
    ] == case.refused("leave_shelter", outcome="end_of_stay_after_negative_decision")
