"""Random walks through the workflow (in memory, no database): whatever a user fires or
records, in whatever order and at whatever time, the engine either changes the case
consistently or refuses with an engine error and changes nothing."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.documents import DOCUMENT_MODELS, example
from engine.domain import Case
from engine.errors import EngineError, TriggerRefused
from engine.states import Workflow

WORKFLOW = Workflow.load()
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PARTNER = "example-partner"  # the consent example's partner organisation id
# Timers a closed case may still keep: the deadline of a placement after leaving the shelter.
AFTER_LEAVING = {"vbl_departure", "family_location_end"}
MONITORING = {"arrival_confirmation", "contact_1_month", "report_6_months", "report_12_months"}


def _data(trigger: str, today: date) -> list[dict[str, Any]]:
    """Plausible data for a trigger on `today`, and some that is wrong."""
    day = today.isoformat()
    valid: dict[str, list[dict[str, Any]]] = {
        "start_reflection_period": [{"started_on": day}, {"started_on": day, "ends_on": day}],
        "report_to_police": [{"reported_on": day}],
        "apply_permit": [
            {"permit": "b8_3_temporary", "applied_on": day, "grounds": "medical"},
            {"permit": "independent_domestic_violence", "applied_on": day, "grounds": "report"},
        ],
        "record_dependent_permit": [{"dependent_on": "partner"}],
        "record_ind_decision": [
            {"decision": "negative", "decided_on": day},
            {"decision": "positive", "decided_on": day, "permit": "b8_3_temporary",
             "valid_until": (today + timedelta(days=365)).isoformat()},
        ],
        "file_objection": [{"filed_on": day}],
        "file_appeal": [{"filed_on": day}],
        "end_lawful_stay": [{"ended_on": day, "reason": "remedies_exhausted"}],
        "register_eu_citizen": [{"arrived_on": day}],
        "record_eu_registration": [{"registered_on": day}],
        "start_article64": [{"started_on": day}],
        "end_article64": [{"ended_on": day}],
        "leave_shelter": [*({"outcome": o} for o in
                            ("permit", "litigating", "vbl", "family_location", "undocumented",
                             "end_of_stay_after_negative_decision")),
                          {"outcome": "undocumented", "rights_information_given": True,
                           "socialmap_given": True}],
        "reopen_for_return": [{"reopened_on": day}],
        "depart": [{"departed_on": day}, {"departed_on": day, "partner_organisation": PARTNER}],
        "withdraw": [{"reason": "client_left"}],
        "offer_handover": [{"partner": PARTNER}],
        "decline_handover": [{"reason": "no_capacity"}],
        "evaluate": [{"reason": "change"}, {}],
        "confirm_departure": [{"departed_on": day}],
        "end_placement": [{"ended_on": day, "reason": "other"}],
    }  # fmt: skip
    return [*valid.get(trigger, [{}]), {"bogus": 1}, {"started_on": "not a date"}]


def _likely(case: Case, now: datetime) -> list[str]:
    """Mostly what is allowed now (so walks get far), sometimes anything at all."""
    rare = ("withdraw", "evaluate")  # they end or rewind a walk: leave them to chance
    options = [o for o in WORKFLOW.options(case, now) if o.allowed and o.name not in rare]
    care = [o.name for o in options if o.track == "care"]
    everything = [o.name for o in options]
    if now.day % 7 == 0:
        return []
    return everything if now.day % 3 == 0 else care


def _open(kind: str = "trafficking") -> Case:
    spec = WORKFLOW.spec
    case = Case(
        id="walk", client_ref="R-1", organisation="org", kind=kind,
        intake_on=START.date(), state=spec.care.initial,
        residence_state=spec.residence.initial, opened_at=START,
    )  # fmt: skip
    WORKFLOW.open_case(case, at=START, now=START, actor="test")
    return case


def _snapshot(case: Case) -> Any:
    return (
        case.state, case.residence_state, case.seq, copy.deepcopy(case.facts),
        {k: d.version for k, d in case.documents.items()},
        [(t.kind, t.status, t.due_on) for t in case.timers], len(case.changes.events),
    )  # fmt: skip


def _consistent(case: Case) -> None:
    assert case.state in WORKFLOW.states and case.residence_state in WORKFLOW.states
    pending = {t.kind for t in case.timers if t.status == "pending"}
    if case.state in ("closed_withdrawn", "closed_returned"):
        assert set() == pending, (case.state, pending)
    if case.state == "closed_stayed":
        assert pending <= AFTER_LEAVING, pending
    if WORKFLOW.states[case.state].phase == "origin":  # returned: Dutch deadlines are over
        assert pending <= MONITORING, pending
    assert [e.seq for e in case.changes.events] == list(range(1, case.seq + 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_walks_keep_the_case_consistent(data: st.DataObject) -> None:
    """Any sequence of triggers, documents and passing days leaves a consistent case;
    every refusal is an engine error that changed nothing."""
    case = _open()
    now = START
    kinds = sorted(DOCUMENT_MODELS)
    triggers = sorted(WORKFLOW.spec.triggers)
    for _ in range(data.draw(st.integers(10, 120), label="steps")):
        now += timedelta(days=data.draw(st.integers(0, 20), label="days"))
        today = now.date()
        before = _snapshot(case)
        try:
            if data.draw(st.booleans(), label="record?"):
                needed = WORKFLOW.missing_documents(case, now)
                kind = data.draw(st.sampled_from(needed or kinds), label="kind")
                WORKFLOW.record(case, kind, example(kind), at=now, now=now, actor="test")
            else:
                trigger = data.draw(
                    st.sampled_from(_likely(case, now) or triggers), label="trigger"
                )
                payload = data.draw(st.sampled_from(_data(trigger, today)), label="data")
                WORKFLOW.fire(case, trigger, payload, at=now, now=now, actor="test")
        except EngineError:
            assert before == _snapshot(case)
        _consistent(case)
    event(f"reached {case.state}")


def _does_not_apply(case: Case, trigger: str, now: datetime) -> list[str]:
    """Why firing `trigger` with each of its valid data refuses as not applying to the case
    (its source step or its routing), or [] when some valid data gets past that."""
    why = []
    for payload in _data(trigger, now.date())[:-2]:  # the valid ones
        trial = copy.deepcopy(case)
        try:
            WORKFLOW.fire(trial, trigger, payload, at=now, now=now, actor="test")
        except TriggerRefused as refused:
            if refused.message.endswith(("is not possible now", "is not possible")):
                why.append(f"{payload}: {refused}")
                continue
        except EngineError:
            pass
        return []
    return why


def _fill(case: Case, now: datetime) -> None:
    """Record what the step still needs; in step 7 also what the evaluation passed by."""
    kinds = WORKFLOW.missing_documents(case, now)
    if case.state == "interim_evaluation":
        kinds += [k for k in ("counselling_info", "strengths_inventory", "action_plan")
                  if k not in case.documents]  # fmt: skip
    for kind in kinds:
        WORKFLOW.record(case, kind, example(kind, now.date()), at=now, now=now, actor="test")


def _residence(kind: str, outcome: str, day: str) -> list[tuple[str, dict[str, Any]]]:
    """The residence events (in step 1) that the leaving outcome needs."""
    permit = "b8_3_temporary" if kind == "trafficking" else "one_year_undocumented"
    steps: list[tuple[str, dict[str, Any]]] = []
    if kind == "trafficking":
        steps += [("report_to_police", {"reported_on": day})]
    steps += [("apply_permit", {"permit": permit, "applied_on": day, "grounds": "report"})]
    if outcome == "permit":
        until = date.fromisoformat(day) + timedelta(days=300)  # within the one-year permit
        granted = {"permit": permit, "valid_until": until.isoformat()}
        return [*steps, ("record_ind_decision", {"decision": "positive", "decided_on": day,
                                                 **granted})]  # fmt: skip
    steps += [("record_ind_decision", {"decision": "negative", "decided_on": day})]
    if outcome == "litigating":
        return [*steps, ("file_objection", {"filed_on": day})]
    return [*steps, ("end_lawful_stay", {"ended_on": day, "reason": "remedies_exhausted"})]


_LOCAL = {"local_organisation_name": "a local women's organisation"}
_INFORMED = {"rights_information_given": True, "socialmap_given": True}
_TO_8 = [("to_provisional_decision", {})]
_RETURN = [("choose_return", {}), ("complete", {}), ("complete", {})]
_WALKS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "stay_litigating": [*_TO_8, ("choose_stay", {}),
                        ("leave_shelter", {"outcome": "litigating"})],
    "stay_family_location": [*_TO_8, ("choose_stay", {}),
                             ("leave_shelter", {"outcome": "family_location"}),
                             ("confirm_departure", {"departed_on": START.date().isoformat()})],
    "stay_undocumented": [*_TO_8, ("choose_stay", {}),
                          ("leave_shelter", {"outcome": "undocumented", **_INFORMED})],
    "stay_permit_then_return": [*_TO_8, ("choose_stay", {}),
                                ("leave_shelter", {"outcome": "permit"}),
                                ("reopen_for_return", {}), ("complete", {}), ("complete", {}),
                                ("depart_unassisted", _LOCAL)],
    "return_without_partner": [*_TO_8, *_RETURN, ("depart", {})],
    "early_return_silent_drum": [("complete", {}), ("choose_return", {"early": True}),
                                 ("complete", {}), ("depart_unassisted", _LOCAL)],
}  # fmt: skip


@pytest.mark.parametrize("kind", ["trafficking", "domestic_violence"])
@pytest.mark.parametrize("walk", sorted(_WALKS))
def test_every_offered_trigger_applies_to_the_case(kind: str, walk: str) -> None:
    """In every state of the walks of both kinds of case, each trigger the case offers
    (allowed or with reasons) fits its step and its `when` conditions: fired with valid data
    it is never refused as not possible here, at most by a guard's reasons (confirm_departure
    only after a VBL or family location, L740-753; reopen_for_return only after leaving with a
    permit, L2239-2241; step 1 after an IND decision leads to step 7, L2812-2815)."""
    case, now = _open(kind), START
    outcome = next((d["outcome"] for t, d in _WALKS[walk] if t == "leave_shelter"), "none")
    day = START.date().isoformat()
    profile = {"minor_children": 1, "youngest_child_born_on": "2020-01-01"}
    WORKFLOW.record(case, "client_profile", {**example("client_profile", START.date()),
                                             **profile}, at=now, now=now, actor="test")  # fmt: skip
    script = [*(_residence(kind, outcome, day) if outcome != "none" else []), *_WALKS[walk]]
    for trigger, payload in script:
        _all_apply(case, now)
        _fill(case, now)
        if trigger == "to_provisional_decision":  # steps 1-7, or 1 and 7 after a decision
            while case.state != "provisional_decision":
                WORKFLOW.fire(case, "complete", {}, at=now, now=now, actor="test")
                _fill(case, now)
                _all_apply(case, now)
            continue
        if trigger == "depart":
            checklist = {**example("handover_checklist", now.date()), "with_partner": False}
            WORKFLOW.record(case, "handover_checklist", checklist, at=now, now=now, actor="test")
        data = {**_data(trigger, now.date())[0], **payload} if trigger != "complete" else {}
        WORKFLOW.fire(case, trigger, data, at=now, now=now, actor="test")
        now += timedelta(days=1)
    _all_apply(case, now)


def _all_apply(case: Case, now: datetime) -> None:
    for option in WORKFLOW.options(case, now):
        assert [] == _does_not_apply(case, option.name, now), (case.state, option.name)
