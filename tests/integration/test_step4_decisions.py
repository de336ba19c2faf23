"""Issue 14, point 3: the decisions of step 4 (L2397-2427). A victim of domestic or honour
violence decides whether to report her (ex-)partner and whether to apply for an (independent)
residence permit (L2418-2420), as a trafficking victim in the reflection period decides
whether to report (L2417-2418, footnote 94). A decision to report or to apply is a deadline
until the residence track shows the report or the application."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from engine import service
from tests.support import CaseDriver

REPORT_REASON = (
    "the action plan must record the client's decision whether to report her (ex-)partner to "
    "the police (action_plan.report_decision)"
)
PERMIT_REASON = (
    "the action plan must record the client's decision whether to apply for an (independent) "
    "residence permit (action_plan.permit_decision)"
)
UNDECIDED = {"report_decision": "undecided", "permit_decision": None}


def _overdue_kinds(case: CaseDriver) -> list[str]:
    """The kinds of this case's items in the overdue list at the clock's now."""
    items = service.overdue(case.app, service.OverdueQuery(at=case.clock.now()))
    return [i["kind"] for i in items if i["case_id"] == case.id]


def _statuses(case: CaseDriver, kind: str) -> list[str]:
    return [t["status"] for t in case.show()["timers"] if t["kind"] == kind]


@pytest.mark.parametrize("kind", ["domestic_violence", "honour_violence"])
def test_violence_victim_decides_on_report_and_permit_before_step_5_l2418_2420(
    case: CaseDriver, kind: str
) -> None:
    """Leaving step 4 without the two decisions is refused, naming each one missing; with
    both recorded the case goes on to the future talks (L2418-2420)."""
    case.open(kind)
    case.to_short_term_plan()
    case.record("action_plan", **UNDECIDED)
    assert [REPORT_REASON, PERMIT_REASON] == case.refused("complete")
    case.record("action_plan", report_decision="no_report", permit_decision="undecided")
    assert [PERMIT_REASON] == case.refused("complete")
    case.record("action_plan", report_decision="no_report", permit_decision="no_apply")
    assert "future_talks" == case.fire("complete")["state"]


def test_a_report_already_made_or_no_permit_needed_settles_those_decisions_l2418_2420(
    case: CaseDriver,
) -> None:
    """A report already made answers the question whether to report; an EU citizen needs no
    permit, so neither decision is asked of her then (L2418-2420)."""
    case.open("domestic_violence")
    case.record("client_profile", citizenship="eu")
    case.fire("report_to_police", reported_on=str(case.today))
    case.to_short_term_plan()
    case.record("action_plan", **UNDECIDED)
    assert "future_talks" == case.fire("complete")["state"]


def test_a_trafficking_victim_is_not_asked_the_violence_decisions(case: CaseDriver) -> None:
    """The permit decision of step 4 is asked of domestic- and honour-violence victims; a
    trafficking victim outside the reflection period completes step 4 without it (L2417)."""
    case.open("trafficking")
    case.to_short_term_plan()
    case.record("action_plan", **UNDECIDED)
    assert "future_talks" == case.fire("complete")["state"]


def test_a_decision_to_report_is_a_deadline_until_the_report_l2417_2420(
    case: CaseDriver,
) -> None:
    """The decision to report starts `police_report` (policy `report_after_decision`:
    two weeks); it is
    overdue in `overdue` after that, and done when `report_to_police` fires (L2417-2420)."""
    case.open("domestic_violence")
    case.to_short_term_plan()
    decided_on = case.today
    case.record("action_plan", report_decision="report", permit_decision="no_apply")
    timer = case.timer("police_report")
    assert (str(decided_on + timedelta(weeks=2)), "pending") == (timer["due_on"], timer["status"])
    case.fire("complete")
    case.days(7)  # a plan recorded again later keeps the first deadline
    case.record("action_plan", report_decision="report", permit_decision="no_apply")
    assert str(decided_on + timedelta(weeks=2)) == case.timer("police_report")["due_on"]
    case.days(8)
    assert "overdue" == case.timer("police_report")["status"]
    assert "police_report" in _overdue_kinds(case)
    case.fire("report_to_police", reported_on=str(case.today))
    assert ["done"] == _statuses(case, "police_report")
    assert "police_report" not in _overdue_kinds(case)


def test_a_trafficking_victims_decision_to_report_is_a_deadline_too_l2417_2418(
    case: CaseDriver,
) -> None:
    """In the reflection period the decision to report (footnote 94) waits for
    `report_to_police` the same way; no deadline starts once she has reported."""
    case.open("trafficking")
    case.fire("start_reflection_period", started_on=str(case.today))
    case.to_short_term_plan()
    case.record("action_plan", report_decision="report", permit_decision=None)
    assert "pending" == case.timer("police_report")["status"]
    case.fire("report_to_police", reported_on=str(case.today))
    case.record("action_plan", report_decision="report", permit_decision=None)
    assert ["done"] == _statuses(case, "police_report")


def test_a_decision_to_apply_is_a_deadline_until_the_application_l2418_2420(
    case: CaseDriver,
) -> None:
    """The decision to apply for an (independent) permit starts `permit_application`
    (policy `permit_after_decision`: four weeks), done when `apply_permit` fires (L2418-2420)."""
    case.open("domestic_violence")
    case.to_short_term_plan()
    case.record("action_plan", report_decision="no_report", permit_decision="apply")
    timer = case.timer("permit_application")
    assert (str(case.today + timedelta(weeks=4)), "pending") == (timer["due_on"], timer["status"])
    assert [] == _statuses(case, "police_report")
    case.days(29)
    assert "permit_application" in _overdue_kinds(case)
    case.fire("apply_permit", permit="one_year_undocumented", grounds="violence_shown")
    assert ["done"] == _statuses(case, "permit_application")


@pytest.mark.parametrize(
    ("field", "kind", "changed"),
    [
        ("report_decision", "police_report", "no_report"),
        ("report_decision", "police_report", "undecided"),
        ("permit_decision", "permit_application", "no_apply"),
        ("permit_decision", "permit_application", None),
    ],
)
def test_a_decision_taken_back_cancels_its_deadline(
    case: CaseDriver, field: str, kind: str, changed: Any
) -> None:
    """When the plan no longer says she will report or apply, the deadline is cancelled;
    deciding again starts a new one (L2417-2420)."""
    case.open("honour_violence")
    case.to_short_term_plan()
    case.record("action_plan", report_decision="report", permit_decision="apply")
    case.record("action_plan", **{field: changed})
    assert ["cancelled"] == _statuses(case, kind)
    case.record("action_plan", report_decision="report", permit_decision="apply")
    assert ["cancelled", "pending"] == _statuses(case, kind)


def test_no_deadline_starts_after_she_has_left_the_netherlands(case: CaseDriver) -> None:
    """An action plan made after her departure (re-integration) is about her country of
    origin: its decisions start no report or permit deadline in the Netherlands."""
    case.open("domestic_violence")
    case.to_departure()
    case.record("handover_checklist", with_partner=False)
    case.fire("depart", departed_on=str(case.today))
    assert "reint_monitoring" == case.state
    case.record("action_plan", report_decision="report", permit_decision="apply")
    assert ["cancelled"] == _statuses(case, "police_report")
    assert ["cancelled"] == _statuses(case, "permit_application")
