"""Every timer of the shipped workflow through the real service and database: when it starts
and with which due date, pending on its due day, overdue from the next local day on (in
`case show` and in `overdue`), and done or cancelled. Time moves only with the fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine import service
from engine.errors import TriggerRefused
from engine.states._timers import local_midnight
from tests.support import REPORT, CaseDriver

AMS = ZoneInfo("Europe/Amsterdam")
PARTNER = "example-partner"  # the consent example's partner organisation id
MONITORING = ("arrival_confirmation", "contact_1_month", "report_6_months", "report_12_months")
NO_HANDOVER = {"handover_to_partner": False, "partner_organisation": None, "share_documents": []}


# -- helpers ----------------------------------------------------------------------------------


def _at(case: CaseDriver, day: date, hour: int = 12) -> None:
    """Set the clock to `hour` o'clock local time on `day`."""
    case.clock.set(datetime.combine(day, time(hour), tzinfo=AMS))


def _overdue(case: CaseDriver, kind: str) -> list[dict[str, Any]]:
    """This case's items of `kind` in the overdue list, evaluated at the clock's now."""
    return [
        item
        for item in service.overdue(case.app, service.OverdueQuery(at=case.clock.now()))
        if item["case_id"] == case.id and item["kind"] == kind
    ]


def _statuses(case: CaseDriver, kind: str) -> list[str]:
    """The status of every timer of `kind` the case has had, oldest first."""
    return [t["status"] for t in case.show()["timers"] if t["kind"] == kind]


def _kinds(case: CaseDriver) -> set[str]:
    return {t["kind"] for t in case.show()["timers"]}


def _starts(case: CaseDriver, kind: str, due: date) -> None:
    """The newest `kind` timer is pending with due day `due`, due at local midnight."""
    timer = case.timer(kind)
    expected = (due.isoformat(), local_midnight(due, AMS).isoformat(), "pending")
    assert expected == (timer["due_on"], timer["due_at"], timer["status"])


def _becomes_overdue(case: CaseDriver, kind: str, due: date) -> None:
    """Walk the clock over the due day: pending from its first to its last second (also in
    the overdue list: absent), overdue by one day from the next local midnight on."""
    start = local_midnight(due, AMS)
    next_day = local_midnight(due + timedelta(days=1), AMS)
    assert case.clock.now() <= start, "the test must not move the clock back"
    for moment in (start, next_day - timedelta(seconds=1)):
        case.clock.set(moment)
        timer = case.timer(kind)
        assert (due.isoformat(), "pending", 0) == (
            timer["due_on"],
            timer["status"],
            timer["days_overdue"],
        )
        assert [] == _overdue(case, kind)
    case.clock.set(next_day)
    timer = case.timer(kind)
    assert ("overdue", 1) == (timer["status"], timer["days_overdue"])
    expected = [(due.isoformat(), start.isoformat(), 1, case.state)]
    assert expected == [
        (i["due_on"], i["due_at"], i["days_overdue"], i["state"]) for i in _overdue(case, kind)
    ]


def _no_longer_overdue(case: CaseDriver, kind: str, status: str) -> None:
    """The newest `kind` timer shows `status` and the overdue list no longer has it."""
    timer = case.timer(kind)
    assert (status, 0) == (timer["status"], timer["days_overdue"])
    assert [] == _overdue(case, kind)


# -- reflection period ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "due"),
    [
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2026, 1, 5), date(2026, 4, 5)),
    ],
)
def test_reflection_period_ends_three_calendar_months_later(
    case: CaseDriver, started: date, due: date
) -> None:
    """The reflection period ends 3 calendar months after its start, clamped to a month end."""
    _at(case, started)
    case.open()
    case.fire("start_reflection_period", started_on=started.isoformat())
    _starts(case, "reflection_period_end", due)
    _becomes_overdue(case, "reflection_period_end", due)


@pytest.mark.parametrize(
    ("trigger", "data"),
    [
        ("report_to_police", {"reported_on": "2026-03-01"}),
        (
            "apply_permit",
            {"permit": "b8_3_temporary", "applied_on": "2026-03-01", "grounds": "serious_threat"},
        ),
        (
            "end_lawful_stay",
            {"ended_on": "2026-03-01", "reason": "reflection_ended_without_report"},
        ),
    ],
)
def test_reflection_period_done_by_decision(
    case: CaseDriver, trigger: str, data: dict[str, str]
) -> None:
    """Reporting, applying for a permit or ending lawful stay finishes the reflection period."""
    _at(case, date(2025, 11, 30))
    case.open()
    case.fire("start_reflection_period", started_on="2025-11-30")
    _becomes_overdue(case, "reflection_period_end", date(2026, 2, 28))
    case.fire(trigger, **data)
    _no_longer_overdue(case, "reflection_period_end", "done")


def test_reflection_period_due_on_the_spring_dst_change(case: CaseDriver) -> None:
    """Started 29 Dec 2025: due 29 Mar 2026 from 23:00 UTC, overdue from 22:00 UTC on 29 Mar."""
    _at(case, date(2025, 12, 29))
    case.open()
    case.fire("start_reflection_period", started_on="2025-12-29")
    timer = case.timer("reflection_period_end")
    assert ("2026-03-29", "2026-03-28T23:00:00+00:00") == (timer["due_on"], timer["due_at"])
    case.clock.set(datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC))
    assert "pending" == case.timer("reflection_period_end")["status"]
    case.clock.set(datetime(2026, 3, 29, 22, 0, tzinfo=UTC))
    assert "overdue" == case.timer("reflection_period_end")["status"]
    assert [(1, "2026-03-28T23:00:00+00:00")] == [
        (i["days_overdue"], i["due_at"]) for i in _overdue(case, "reflection_period_end")
    ]


def test_reflection_period_due_on_the_autumn_dst_change(case: CaseDriver) -> None:
    """Started 25 Jul 2026: due 25 Oct from 22:00 UTC on 24 Oct, overdue from 23:00 UTC 25 Oct."""
    _at(case, date(2026, 7, 25))
    case.open()
    case.fire("start_reflection_period", started_on="2026-07-25")
    timer = case.timer("reflection_period_end")
    assert ("2026-10-25", "2026-10-24T22:00:00+00:00") == (timer["due_on"], timer["due_at"])
    case.clock.set(datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC))
    assert ("pending", []) == (
        case.timer("reflection_period_end")["status"],
        _overdue(case, "reflection_period_end"),
    )
    case.clock.set(datetime(2026, 10, 25, 23, 0, tzinfo=UTC))
    assert "overdue" == case.timer("reflection_period_end")["status"]
    assert [1] == [i["days_overdue"] for i in _overdue(case, "reflection_period_end")]


def test_reflection_period_cancelled_when_the_case_is_withdrawn(case: CaseDriver) -> None:
    """An overdue reflection period no longer applies once the case is withdrawn."""
    _at(case, date(2025, 11, 30))
    case.open()
    case.fire("start_reflection_period", started_on="2025-11-30")
    _becomes_overdue(case, "reflection_period_end", date(2026, 2, 28))
    case.fire("withdraw", reason="client_left")
    _no_longer_overdue(case, "reflection_period_end", "cancelled")


def test_days_overdue_count_local_days(case: CaseDriver) -> None:
    """Days overdue count local calendar days since the due day, in show and in overdue."""
    _at(case, date(2025, 11, 30))
    case.open()
    case.fire("start_reflection_period", started_on="2025-11-30")
    _at(case, date(2026, 3, 10), hour=0)
    timer = case.timer("reflection_period_end")
    assert ("overdue", 10) == (timer["status"], timer["days_overdue"])
    assert [10] == [i["days_overdue"] for i in _overdue(case, "reflection_period_end")]


# -- first counselling talk -------------------------------------------------------------------


def test_first_counselling_due_a_week_after_intake(case: CaseDriver) -> None:
    """Opening starts the first-talk timer (intake + 7 days); counselling_info finishes it."""
    case.open()
    _starts(case, "first_counselling_due", date(2026, 1, 12))
    _becomes_overdue(case, "first_counselling_due", date(2026, 1, 12))
    case.record("counselling_info")
    _no_longer_overdue(case, "first_counselling_due", "done")


def test_first_counselling_anchored_on_intake_not_on_opening(case: CaseDriver) -> None:
    """A case opened late for an intake on 20 Dec 2025 is due 27 Dec and already overdue."""
    case.open(intake=date(2025, 12, 20))
    timer = case.timer("first_counselling_due")
    assert ("2025-12-27", "overdue", 9) == (
        timer["due_on"],
        timer["status"],
        timer["days_overdue"],
    )
    assert [9] == [i["days_overdue"] for i in _overdue(case, "first_counselling_due")]


def test_first_counselling_cancelled_when_withdrawn(case: CaseDriver) -> None:
    """Withdrawing the case cancels a pending first-talk timer."""
    case.open()
    case.fire("withdraw", reason="declined_support")
    _no_longer_overdue(case, "first_counselling_due", "cancelled")


# -- periodic evaluation ----------------------------------------------------------------------


def _to_first_counselling(case: CaseDriver) -> None:
    case.record("client_profile")
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    assert "first_counselling" == case.state


def _leave_interim_evaluation(case: CaseDriver) -> None:
    """Step 7's documents, and those of the steps it interrupted (L2433-2435), then step 8."""
    assert "interim_evaluation" == case.state
    recorded = {d["kind"] for d in case.show()["documents"]}
    for kind in ("counselling_info", "strengths_inventory", "action_plan"):
        if kind not in recorded:
            case.record(kind)
    case.record("evaluation")
    case.record("overview1")
    case.record("overview2")
    case.fire("complete")
    assert "provisional_decision" == case.state


def test_periodic_evaluation_starts_in_step_2(case: CaseDriver) -> None:
    """The care-plan evaluation timer starts when step 2 is entered (3 months), not at intake."""
    case.open()
    assert "periodic_evaluation" not in _kinds(case)
    case.days(3)
    _to_first_counselling(case)
    _starts(case, "periodic_evaluation", date(2026, 4, 8))


def test_periodic_evaluation_restarts_after_step_7(case: CaseDriver) -> None:
    """Leaving step 7 finishes the evaluation timer and restarts it 3 months from that day."""
    case.open()
    _to_first_counselling(case)
    _becomes_overdue(case, "periodic_evaluation", date(2026, 4, 5))
    case.fire("evaluate", reason="periodic")
    assert ["overdue"] == _statuses(case, "periodic_evaluation")
    _at(case, date(2026, 4, 10))
    _leave_interim_evaluation(case)
    assert ["done", "pending"] == _statuses(case, "periodic_evaluation")
    _starts(case, "periodic_evaluation", date(2026, 7, 10))
    assert [] == _overdue(case, "periodic_evaluation")
    _becomes_overdue(case, "periodic_evaluation", date(2026, 7, 10))


def test_periodic_evaluation_cancelled_on_withdrawal_outside_step_7(case: CaseDriver) -> None:
    """Withdrawing a case in step 2 cancels its care-plan evaluation timer."""
    case.open()
    _to_first_counselling(case)
    case.fire("withdraw", reason="no_contact")
    assert ["cancelled"] == _statuses(case, "periodic_evaluation")


# -- evaluation after an IND decision ---------------------------------------------------------


def test_evaluation_after_decision(case: CaseDriver) -> None:
    """An IND decision sends the case to step 7 with a 2-week timer; leaving step 7 ends it."""
    case.open()
    case.to_short_term_plan()
    case.fire("start_reflection_period", started_on="2026-01-05")
    case.fire("report_to_police", reported_on="2026-01-05")
    _at(case, date(2026, 1, 16))
    case.fire("record_ind_decision", decision="negative", decided_on="2026-01-14")
    assert ("interim_evaluation", "rejected") == (case.state, case.view["residence_state"])
    _starts(case, "evaluation_after_decision", date(2026, 1, 28))
    _becomes_overdue(case, "evaluation_after_decision", date(2026, 1, 28))
    _leave_interim_evaluation(case)
    _no_longer_overdue(case, "evaluation_after_decision", "done")


def test_evaluation_after_decision_cancelled_when_withdrawn(case: CaseDriver) -> None:
    """A decision recorded in step 2 starts the timer in step 7; withdrawal cancels it."""
    case.open("domestic_violence")
    _to_first_counselling(case)
    case.fire(
        "apply_permit", permit="one_year_undocumented", applied_on="2026-01-05", grounds="report"
    )
    case.fire("record_ind_decision", decision="negative", decided_on="2026-01-05")
    assert "interim_evaluation" == case.state
    _starts(case, "evaluation_after_decision", date(2026, 1, 19))
    case.fire("withdraw", reason="transferred")
    _no_longer_overdue(case, "evaluation_after_decision", "cancelled")


# -- permit renewal ---------------------------------------------------------------------------


def _permit_granted(case: CaseDriver, **decision: str) -> None:
    case.open("domestic_violence")
    case.fire(
        "apply_permit", permit="one_year_undocumented", applied_on="2026-01-05", grounds="report"
    )
    case.fire(
        "record_ind_decision",
        decision="positive",
        decided_on="2026-01-05",
        permit="one_year_undocumented",
        **decision,
    )


def test_permit_renewal_due_8_weeks_before_the_permit_ends(case: CaseDriver) -> None:
    """A one-year permit (L665-668) valid until 5 Jan 2027 is due for renewal 10 Nov 2026
    (policy permit_renewal_lead); the renewal, an application of the same permit, ends it."""
    _permit_granted(case, valid_until="2027-01-05")
    assert "permit" == case.view["residence_state"]
    _starts(case, "permit_renewal", date(2026, 11, 10))
    _becomes_overdue(case, "permit_renewal", date(2026, 11, 10))
    case.fire(
        "apply_permit", permit="one_year_undocumented", applied_on="2026-11-11", grounds="report"
    )
    _no_longer_overdue(case, "permit_renewal", "done")
    assert "application_pending" == case.view["residence_state"]


def test_permit_renewal_cancelled_when_lawful_stay_ends(case: CaseDriver) -> None:
    """The renewal timer no longer applies once lawful stay has ended."""
    _permit_granted(case, valid_until="2027-01-05")
    case.fire("end_lawful_stay", ended_on="2026-01-05", reason="permit_withdrawn")
    _no_longer_overdue(case, "permit_renewal", "cancelled")


def test_permit_renewal_needs_an_end_date_only_for_fixed_term_permits(case: CaseDriver) -> None:
    """A one-year permit needs its end date (L667-668); a B8/3 permit lasts as long as the
    investigation (L648-650) and the non-temporary one has no end: no renewal timer."""
    case.open("domestic_violence")
    case.fire(
        "apply_permit", permit="one_year_undocumented", applied_on="2026-01-05", grounds="report"
    )
    granted = {"decision": "positive", "decided_on": "2026-01-05"}
    assert ["valid_until: a temporary permit needs its end date"] == case.refused(
        "record_ind_decision", **granted, permit="one_year_undocumented"
    )
    other = CaseDriver(case.app, case.clock)
    other.open(client="A-2")
    other.fire("report_to_police", reported_on="2026-01-05")
    other.fire("record_ind_decision", **granted, permit="b8_3_temporary")
    assert ("permit", False) == (other.view["residence_state"], "permit_renewal" in _kinds(other))
    other.fire("apply_permit", permit="humanitarian_non_temporary", applied_on="2026-01-05")
    other.fire("record_ind_decision", **granted, permit="humanitarian_non_temporary")
    assert ("permit", False) == (other.view["residence_state"], "permit_renewal" in _kinds(other))


# -- leaving the shelter: VBL and family location ---------------------------------------------


def _stay_then_leave(case: CaseDriver, outcome: str, **profile: Any) -> None:
    case.open()
    case.fire("end_lawful_stay", ended_on="2026-01-05", reason="no_residence_right")
    case.to_provisional_decision()
    case.record("client_profile", **profile)
    case.fire("choose_stay")
    informed = {"rights_information_given": True, "socialmap_given": True}
    case.fire("leave_shelter", outcome=outcome, **(informed if outcome == "undocumented" else {}))
    assert "closed_stayed" == case.state


def test_vbl_departure_due_12_weeks_after_placement(case: CaseDriver) -> None:
    """VBL on 5 Jan 2026: departure due 30 Mar (summer time, 22:00 UTC); confirmation ends it."""
    _stay_then_leave(case, "vbl", minor_children=0, youngest_child_born_on=None)
    _starts(case, "vbl_departure", date(2026, 3, 30))
    assert "2026-03-29T22:00:00+00:00" == case.timer("vbl_departure")["due_at"]
    _becomes_overdue(case, "vbl_departure", date(2026, 3, 30))
    case.fire("confirm_departure", departed_on="2026-03-31")
    _no_longer_overdue(case, "vbl_departure", "done")


@pytest.mark.parametrize(
    ("born", "due"),
    [(date(2019, 5, 14), date(2037, 5, 14)), (date(2008, 2, 29), date(2026, 2, 28))],
)
def test_family_location_ends_on_the_youngest_childs_18th_birthday(
    case: CaseDriver, born: date, due: date
) -> None:
    """A family location ends on the youngest child's 18th birthday (29 Feb born: 28 Feb)."""
    _stay_then_leave(case, "family_location", minor_children=1, youngest_child_born_on=born)
    _starts(case, "family_location_end", due)


def test_family_location_end_overdue_then_done_by_departure(case: CaseDriver) -> None:
    """The family location timer is overdue after the 18th birthday; departure finishes it."""
    born = date(2008, 2, 29)
    _stay_then_leave(case, "family_location", minor_children=1, youngest_child_born_on=born)
    _becomes_overdue(case, "family_location_end", date(2026, 2, 28))
    case.fire("confirm_departure", departed_on="2026-03-01")
    _no_longer_overdue(case, "family_location_end", "done")


def test_leaving_with_other_outcomes_starts_no_location_timer(case: CaseDriver) -> None:
    """Leaving the shelter without papers starts neither a VBL nor a family-location timer."""
    _stay_then_leave(case, "undocumented")
    assert set() == _kinds(case) & {"vbl_departure", "family_location_end"}


# -- EU registration --------------------------------------------------------------------------


def _eu_citizen(case: CaseDriver) -> None:
    case.open()
    case.record("client_profile", citizenship="eu", minor_children=0, youngest_child_born_on=None)
    case.fire("register_eu_citizen", arrived_on="2025-10-31")


def test_eu_registration_due_four_months_after_arrival(case: CaseDriver) -> None:
    """EU arrival on 31 Oct 2025: registration due 28 Feb 2026; recording it finishes it."""
    _eu_citizen(case)
    _starts(case, "eu_registration", date(2026, 2, 28))
    _becomes_overdue(case, "eu_registration", date(2026, 2, 28))
    case.fire("record_eu_registration", registered_on="2026-03-01")
    _no_longer_overdue(case, "eu_registration", "done")


def test_eu_registration_cancelled_when_lawful_stay_ends(case: CaseDriver) -> None:
    """The EU registration timer no longer applies once lawful stay has ended."""
    _eu_citizen(case)
    case.fire("end_lawful_stay", ended_on="2026-01-05", reason="eu_stay_ended")
    _no_longer_overdue(case, "eu_registration", "cancelled")


# -- departure and monitoring -----------------------------------------------------------------

DEPARTED = date(2026, 8, 31)


def _departed(case: CaseDriver, partner: str | None = PARTNER, **consent: Any) -> dict[str, Any]:
    """Open a case on 31 Aug 2026, record the consent, walk to step 12 and depart that day."""
    _at(case, DEPARTED)
    case.open()
    case.record("consent", given_on=DEPARTED.isoformat(), **consent)
    case.to_departure()
    case.record("handover_checklist", with_partner=partner is not None)
    data = {"departed_on": DEPARTED.isoformat()}
    if partner is not None:
        data["partner_organisation"] = partner
        case.hand_over(partner)
    return case.fire("depart", **data)


def _contact(case: CaseDriver, about: str) -> None:
    report = REPORT if about.startswith("report_") else {}
    case.record("contact", about=about, took_place_on=case.today.isoformat(), **report)


def _monitoring(case: CaseDriver) -> dict[str, str]:
    return {t["kind"]: t["status"] for t in case.show()["timers"] if t["kind"] in MONITORING}


def test_handover_with_consent_starts_all_monitoring_timers(case: CaseDriver) -> None:
    """Hand-over with monitoring consent on 31 Aug 2026 starts all four monitoring timers."""
    view = _departed(case)
    assert "reint_basic_needs" == view["state"]
    _starts(case, "arrival_confirmation", date(2026, 9, 3))
    _starts(case, "contact_1_month", date(2026, 9, 30))
    _starts(case, "report_6_months", date(2027, 2, 28))
    _starts(case, "report_12_months", date(2027, 8, 31))
    assert "cancelled" == _statuses(case, "periodic_evaluation")[-1]


def test_monitoring_timers_overdue_then_done_and_close(case: CaseDriver) -> None:
    """Each monitoring timer goes overdue, is done by its contact; close waits for all four."""
    _departed(case)
    case.through_reintegration()
    due = {
        "arrival_confirmation": date(2026, 9, 3),
        "contact_1_month": date(2026, 9, 30),
        "report_6_months": date(2027, 2, 28),
        "report_12_months": date(2027, 8, 31),
    }
    for i, (kind, day) in enumerate(due.items()):
        reasons = case.refused("close")
        still_open = {k for k in MONITORING if any(k in r for r in reasons)}
        assert set(MONITORING[i:]) == still_open
        assert False is case.allowed("close")
        _becomes_overdue(case, kind, day)
        _contact(case, kind)
        _no_longer_overdue(case, kind, "done")
    assert dict.fromkeys(MONITORING, "done") == _monitoring(case)
    assert True is case.allowed("close")
    assert "closed_returned" == case.fire("close")["state"]


def test_no_partner_reports_without_handover(case: CaseDriver) -> None:
    """Without a hand-over only the arrival check and 1-month contact start and block close."""
    view = _departed(case, None, **NO_HANDOVER)
    assert "reint_monitoring" == view["state"]
    assert {"arrival_confirmation": "pending", "contact_1_month": "pending"} == _monitoring(case)
    _at(case, date(2026, 9, 2))
    _contact(case, "arrival_confirmation")
    assert 1 == len(case.refused("close"))
    _becomes_overdue(case, "contact_1_month", date(2026, 9, 30))
    _contact(case, "contact_1_month")
    assert "closed_returned" == case.fire("close")["state"]


@pytest.mark.parametrize(
    ("partner", "consent"),
    [
        (PARTNER, {"monitoring_contacts": False}),
        (None, {**NO_HANDOVER, "monitoring_contacts": False}),
        (None, {**NO_HANDOVER, "withdrawn": True, "withdrawn_on": DEPARTED.isoformat()}),
    ],
)
def test_no_monitoring_timers_without_consent(
    case: CaseDriver, partner: str | None, consent: dict[str, Any]
) -> None:
    """Without monitoring consent only the arrival check starts; close follows its confirmation."""
    _departed(case, partner, **consent)
    assert {"arrival_confirmation": "pending"} == _monitoring(case)
    if partner is not None:
        case.through_reintegration()
    with pytest.raises(TriggerRefused):
        _contact(case, "contact_1_month")
    _becomes_overdue(case, "arrival_confirmation", date(2026, 9, 3))
    _contact(case, "arrival_confirmation")
    assert {"arrival_confirmation": "done"} == _monitoring(case)
    assert "closed_returned" == case.fire("close")["state"]


def test_handover_only_to_the_consented_partner(case: CaseDriver) -> None:
    """Departure with a partner other than the consented one is refused and starts no timer."""
    _at(case, DEPARTED)
    case.open()
    case.record("consent", given_on=DEPARTED.isoformat())
    case.to_departure()
    case.record("handover_checklist")
    reasons = case.refused("depart", departed_on=DEPARTED.isoformat(), partner_organisation="other")
    assert 1 == len([r for r in reasons if PARTNER in r and "not to other" in r])
    assert ("departure", {}) == (case.show()["state"], _monitoring(case))


def test_monitoring_timers_cancelled_when_withdrawn(case: CaseDriver) -> None:
    """Withdrawing the case after departure cancels every monitoring timer, overdue or not."""
    _departed(case)
    _becomes_overdue(case, "arrival_confirmation", date(2026, 9, 3))
    case.fire("withdraw", reason="no_contact")
    assert dict.fromkeys(MONITORING, "cancelled") == _monitoring(case)
    assert [] == _overdue(case, "arrival_confirmation")


# -- steps left too long ----------------------------------------------------------------------


def _step_overdue(case: CaseDriver) -> list[tuple[str, str, int]]:
    return [(i["step"], i["due_on"], i["days_overdue"]) for i in _overdue(case, "step_overdue")]


def test_step_overdue_after_its_expected_time(case: CaseDriver) -> None:
    """Step 1 (2 weeks) from 5 Jan is overdue from 20 Jan; completing it clears the item."""
    view = case.open()
    assert ("2026-01-19", False) == (view["step_due_on"], view["step_overdue"])
    _at(case, date(2026, 1, 19), hour=23)
    assert (False, []) == (case.show()["step_overdue"], _step_overdue(case))
    _at(case, date(2026, 1, 20), hour=0)
    assert True is case.show()["step_overdue"]
    assert [("basic_needs_safety", "2026-01-19", 1)] == _step_overdue(case)
    _at(case, date(2026, 1, 25))
    assert [("basic_needs_safety", "2026-01-19", 6)] == _step_overdue(case)
    _to_first_counselling(case)
    view = case.show()
    assert ("2026-02-08", False, []) == (
        view["step_due_on"],
        view["step_overdue"],
        _step_overdue(case),
    )


def test_overdue_filters_by_organisation(case: CaseDriver) -> None:
    """The overdue list for another organisation does not show this case's items."""
    case.open(org="shelter-b")
    _at(case, date(2026, 2, 1))
    mine = service.overdue(case.app, service.OverdueQuery("shelter-b", at=case.clock.now()))
    other = service.overdue(case.app, service.OverdueQuery("shelter-a", at=case.clock.now()))
    assert ({"first_counselling_due", "step_overdue"}, []) == ({i["kind"] for i in mine}, other)


def test_closed_case_has_no_step_overdue(case: CaseDriver) -> None:
    """A closed case is never a step left too long, however long ago it closed."""
    case.open()
    case.fire("withdraw", reason="other")
    _at(case, date(2026, 6, 1))
    assert (False, []) == (case.show()["step_overdue"], _step_overdue(case))


# -- found in review: an earlier end, withdrawal from step 7, monitoring declined later -------


def test_reflection_period_ends_earlier_when_an_end_date_is_set(case: CaseDriver) -> None:
    """An `ends_on` before the three-month limit is the day the reflection period ends."""
    case.open()
    case.fire("start_reflection_period", started_on="2026-01-05", ends_on="2026-02-01")
    _starts(case, "reflection_period_end", date(2026, 2, 1))


def test_withdrawal_from_step_7_cancels_the_evaluations(case: CaseDriver) -> None:
    """Leaving step 7 by withdrawal is no evaluation: its timers are cancelled, not done."""
    case.open()
    case.to_short_term_plan()
    case.fire("report_to_police", reported_on="2026-01-05")
    case.fire("record_ind_decision", decision="negative", decided_on="2026-01-05")
    assert "interim_evaluation" == case.state
    case.fire("withdraw", reason="client_left")
    assert ["cancelled"] == _statuses(case, "periodic_evaluation")
    assert ["cancelled"] == _statuses(case, "evaluation_after_decision")


@pytest.mark.parametrize(
    "declined",
    [{"monitoring_contacts": False}, {"withdrawn": True, "withdrawn_on": DEPARTED.isoformat()}],
)
def test_monitoring_declined_after_departure_cancels_contacts(
    case: CaseDriver, declined: dict[str, Any]
) -> None:
    """A client who declines monitoring after return: contacts cancelled, case can close."""
    _departed(case)
    case.through_reintegration()
    _contact(case, "arrival_confirmation")
    case.record("consent", given_on=DEPARTED.isoformat(), **declined)
    assert {
        "arrival_confirmation": "done",
        "contact_1_month": "cancelled",
        "report_6_months": "cancelled",
        "report_12_months": "cancelled",
    } == _monitoring(case)
    assert "closed_returned" == case.fire("close")["state"]


def test_monitoring_consent_given_after_departure_starts_the_contacts(case: CaseDriver) -> None:
    """Consent to monitoring given after departure starts the contacts from the departure day;
    recording the consent again does not restart a contact that took place."""
    _departed(case, monitoring_contacts=False)
    assert {"arrival_confirmation": "pending"} == _monitoring(case)
    case.record("consent", given_on=DEPARTED.isoformat())
    _starts(case, "contact_1_month", date(2026, 9, 30))
    _starts(case, "report_6_months", date(2027, 2, 28))
    _contact(case, "contact_1_month")
    case.record("consent", given_on=DEPARTED.isoformat())
    assert ["done"] == _statuses(case, "contact_1_month")


def test_ended_placement_cancels_the_vbl_departure(case: CaseDriver) -> None:
    """A client who leaves the VBL without notice: the departure timer no longer applies."""
    _stay_then_leave(case, "vbl", minor_children=0, youngest_child_born_on=None)
    case.fire("end_placement", ended_on="2026-01-05", reason="left_without_notice")
    _no_longer_overdue(case, "vbl_departure", "cancelled")
