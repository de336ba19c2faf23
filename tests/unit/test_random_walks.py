"""Random walks through the workflow (in memory, no database): whatever a user fires or
records, in whatever order and at whatever time, the engine either changes the case
consistently or refuses with an engine error and changes nothing."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.documents import DOCUMENT_MODELS, example
from engine.domain import Case
from engine.errors import EngineError
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
        "leave_shelter": [{"outcome": o} for o in
                          ("permit", "litigating", "vbl", "family_location", "undocumented",
                           "end_of_stay_after_negative_decision")],
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


def _open() -> Case:
    spec = WORKFLOW.spec
    case = Case(
        id="walk", client_ref="R-1", organisation="org", kind="trafficking",
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
