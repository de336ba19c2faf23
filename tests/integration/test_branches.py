"""The branches the book allows besides the straight path: leaving to a family location while a
procedure runs, returning after leaving with a permit, leaving without papers informed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from engine import service
from tests.support import ACTOR, CaseDriver

INFORMED = {"rights_information_given": True, "socialmap_given": True}


def _stay_with_procedure_running(case: CaseDriver, **profile: object) -> None:
    """A domestic-violence case whose permit application is pending, at step 9."""
    case.open("domestic_violence")
    case.record("client_profile", **profile)
    case.to_provisional_decision()
    case.fire("apply_permit", permit="one_year_undocumented", applied_on=str(case.today),
              grounds="violence_shown")  # fmt: skip
    case.fire("choose_stay")
    assert ("stay_action_plan", "application_pending") == (
        case.state,
        case.show()["residence_state"],
    )


def test_family_location_while_a_procedure_without_coa_provisions_runs_l742_743(
    case: CaseDriver,
) -> None:
    """L742-743: a family location is also for families whose admission procedure gives no
    right to COA provisions, not only for those whose remedies are exhausted; still only with
    minor children (L741-742), and a VBL stays for those with nothing left (L744)."""
    _stay_with_procedure_running(case)  # the example profile has one minor child
    assert [
        "a VBL (restricted-freedom location) is for clients whose lawful stay has ended "
        "(end_lawful_stay); her residence is now: Application pending",
        "a VBL (restricted-freedom location) is only for clients without minor children; "
        "consider a family location",
    ] == case.refused("leave_shelter", outcome="vbl")
    view = case.fire("leave_shelter", outcome="family_location")
    assert ("closed_stayed", "family_location") == (view["state"], view["facts"]["leave_outcome"])
    assert "pending" == case.timer("family_location_end")["status"]


def test_family_location_while_a_procedure_runs_still_needs_minor_children(
    case: CaseDriver,
) -> None:
    """L741-742: a family location is for foreigners with minor children."""
    _stay_with_procedure_running(case, minor_children=0, youngest_child_born_on=None)
    assert ["a family location is only for clients with minor children"] == case.refused(
        "leave_shelter", outcome="family_location"
    )


def test_family_location_without_procedure_or_ended_stay_is_refused(case: CaseDriver) -> None:
    """L742-743: without a running procedure or an ended lawful stay there is no family
    location: the refusal names the rule and the residence state."""
    case.open("domestic_violence")
    case.record("client_profile")
    case.to_provisional_decision()
    case.fire("choose_stay")
    assert [
        "a family location is for families whose lawful stay has ended or whose "
        "procedure gives no right to COA provisions (L742-743); her residence is now: "
        "No procedure"
    ] == case.refused("leave_shelter", outcome="family_location")


def _left_with_permit(case: CaseDriver, kind: str = "domestic_violence") -> None:
    case.open(kind)
    case.record("client_profile")
    case.to_provisional_decision()
    permit = "one_year_undocumented" if kind != "trafficking" else "b8_3_temporary"
    if kind == "trafficking":
        case.fire("report_to_police", reported_on=str(case.today))
    case.fire("apply_permit", permit=permit, applied_on=str(case.today), grounds="report")
    case.fire("choose_stay")
    case.fire(
        "record_ind_decision",
        decision="positive",
        decided_on=str(case.today),
        permit=permit,
        valid_until=str(case.today + timedelta(days=300)),
    )
    case.record("evaluation")
    case.record("overview1")
    case.record("overview2")
    case.fire("complete")
    case.fire("choose_stay")
    view = case.fire("leave_shelter", outcome="permit")
    assert ("closed_stayed", True) == (view["state"], view["closed"])


def test_after_leaving_with_a_permit_return_stays_possible_l2239_2241(case: CaseDriver) -> None:
    """L2239-2241: with a permit she is guided on under the shelter's own method, and return
    remains a choice with Safe Future support: the case reopens into the personal return
    action plan (step 10); the timeline and the audit trail say so."""
    _left_with_permit(case)
    offered = [t["name"] for t in case.show()["triggers"]]
    assert ["reopen_for_return"] == [n for n in offered if n != "withdraw"]
    case.days(30)
    view = case.fire("reopen_for_return")
    assert ("return_action_plan", False, 10) == (view["state"], view["closed"], view["step"])
    assert str(case.today) == view["facts"]["reopened_for_return_on"]
    last = service.timeline(case.app, case.id, actor=ACTOR)[-1]
    assert ("reopen_for_return", "closed_stayed", "return_action_plan") == (
        last["trigger"],
        last["from_state"],
        last["to_state"],
    )
    with case.app.db.connect() as db:
        actions = db.execute(
            text("SELECT action FROM audit WHERE case_id = :c ORDER BY seq"), {"c": case.id}
        ).scalars()
        assert "fire:reopen_for_return" in list(actions)
    case.record("return_plan")
    assert "risk_update" == case.fire("complete")["state"]


def test_reopening_for_return_is_only_after_leaving_with_a_permit(case: CaseDriver) -> None:
    """L2239-2241 speak of a client with a permit; after leaving to litigate elsewhere the case
    is not reopened this way, and the trigger is not offered."""
    case.open("domestic_violence")
    case.record("client_profile")
    case.fire("apply_permit", permit="one_year_undocumented", applied_on=str(case.today),
              grounds="violence_shown")  # fmt: skip
    case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    case.fire("file_objection", filed_on=str(case.today))
    case.to_provisional_decision()
    case.fire("choose_stay")
    case.fire("leave_shelter", outcome="litigating")
    assert "reopen_for_return" not in [t["name"] for t in case.show()["triggers"]]
    assert ["leave_outcome is not permit"] == case.refused("reopen_for_return")


def test_leaving_without_papers_needs_rights_information_and_social_map_l2888_2891(
    case: CaseDriver,
) -> None:
    """L2888-2891 (the social map of organisations) and Bijlage 10 (L4827-4905, the rights of
    undocumented people): leaving without papers is refused until both were given, naming the
    fields; nothing changes; with both it is recorded in the event."""
    case.open()
    case.fire("end_lawful_stay", ended_on=str(case.today), reason="no_residence_right")
    case.to_provisional_decision()
    case.fire("choose_stay")
    before = case.show()
    assert [
        "rights_information_given: leaving without papers, she must be given the information "
        "on the rights of undocumented people (Bijlage 10)",
        "socialmap_given: leaving without papers, she must be given the social map of "
        "organisations she can turn to for advice and support (L2888-2891)",
    ] == case.refused("leave_shelter", outcome="undocumented")
    assert [
        "socialmap_given: leaving without papers, she must be given the social map of "
        "organisations she can turn to for advice and support (L2888-2891)"
    ] == case.refused("leave_shelter", outcome="undocumented", rights_information_given=True)
    assert before["version"] == case.show()["version"]
    view = case.fire(
        "leave_shelter", outcome="undocumented", socialmap_organisation="ng-cosudow", **INFORMED
    )
    assert "closed_stayed" == view["state"]
    last = service.timeline(case.app, case.id, actor=ACTOR)[-1]
    assert {"outcome": "undocumented", "socialmap_organisation": "ng-cosudow", **INFORMED} == (
        last["data"]
    )
