"""Durability: one trigger is one transaction; refusals and crashes leave nothing behind;
two writers cannot both win; nothing is lost on restart; reads and changes are audited."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.documents import example
from engine.errors import ConcurrentChange, EngineError, InvalidInput, TriggerRefused
from engine.logs import configure_logging
from engine.store._tables import audit, documents, events, timers
from tests.support import ACTOR, CaseDriver


def _counts(app: App) -> dict[str, int]:
    with app.db.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (events, documents, timers)
        }


def _snapshot(app: App, case_id: str) -> tuple[Any, ...]:
    view = service.show(app, case_id, actor=ACTOR)
    return view["state"], view["residence_state"], view["version"], view["timers"], _counts(app)


def test_refused_trigger_changes_nothing(case: CaseDriver) -> None:
    """A refused trigger writes no event, no timer and no new version."""
    case.open()
    before = _snapshot(case.app, case.id)
    case.refused("complete")
    assert before == _snapshot(case.app, case.id)


@pytest.mark.parametrize(
    ("trigger", "data", "reason"),
    [
        ("withdraw", {}, "data.reason: Field required"),
        ("withdraw", {"reason": "bored"}, "data.reason: Input should be 'client_left', "),
        ("report_to_police", {"reported_on": "yesterday"}, "data.reported_on: Input should be"),
        ("report_to_police", {"reported_on": "2026-01-05", "by": "x"}, "data.by: Extra inputs"),
        ("fly_away", {}, "trigger: must be one of"),
    ],
)
def test_bad_trigger_data_names_the_field_and_changes_nothing(
    case: CaseDriver, trigger: str, data: dict[str, Any], reason: str
) -> None:
    """Invalid trigger data is refused with the field and the rule; nothing is written."""
    case.open()
    before = _snapshot(case.app, case.id)
    with pytest.raises(InvalidInput) as refused:
        service.fire(case.app, case.id, trigger, data, actor=ACTOR)
    assert any(r.startswith(reason) for r in refused.value.reasons), refused.value.reasons
    assert before == _snapshot(case.app, case.id)


def test_bad_document_names_the_field_and_changes_nothing(case: CaseDriver) -> None:
    """An invalid document is refused naming its field; no version is stored."""
    case.open()
    before = _snapshot(case.app, case.id)
    with pytest.raises(InvalidInput) as refused:
        service.record(
            case.app, case.id, "safety_plan", {**example("safety_plan"), "x": 1}, actor=ACTOR
        )
    assert ["safety_plan.x: Extra inputs are not permitted"] == refused.value.reasons
    assert before == _snapshot(case.app, case.id)


def _break_timer_inserts(app: App) -> None:
    """Make the database itself fail half-way through a transaction (a crash stand-in)."""
    with app.db.begin() as conn:
        if app.db.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER fail_timers BEFORE INSERT ON timers "
                    "WHEN NEW.kind = 'periodic_evaluation' "
                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION fail_timers() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.kind = 'periodic_evaluation' THEN RAISE EXCEPTION 'disk on fire'; "
                    "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER fail_timers BEFORE INSERT ON timers "
                    "FOR EACH ROW EXECUTE FUNCTION fail_timers()"
                )
            )


def test_failure_mid_transaction_leaves_no_half_written_case(case: CaseDriver) -> None:
    """When the database fails after the case row and events were written, all is undone."""
    case.open()
    case.record("risk_analysis")
    case.record("safety_plan")
    before = _snapshot(case.app, case.id)
    _break_timer_inserts(case.app)
    with pytest.raises(DBAPIError, match="disk on fire"):
        service.fire(case.app, case.id, "complete", {}, actor=ACTOR)
    assert before == _snapshot(case.app, case.id)


def test_stale_writer_is_refused(app: App, case: CaseDriver) -> None:
    """Two copies of one case read before either saved: the second save is refused."""
    case.open()
    now = app.clock.now()
    with app.uow.begin() as repo:
        first = repo.get(case.id)
    with app.uow.begin() as repo:
        second = repo.get(case.id)
    for copy in (first, second):
        app.workflow.record(
            copy,
            "risk_analysis",
            example("risk_analysis", case.today),
            at=now,
            now=now,
            actor=ACTOR,
        )
    with app.uow.begin() as repo:
        repo.save(first, closed=False, step_due_on=None)
    with pytest.raises(ConcurrentChange), app.uow.begin() as repo:
        repo.save(second, closed=False, step_due_on=None)
    assert [1] == [d["version"] for d in case.show()["documents"] if d["kind"] == "risk_analysis"]


def test_two_simultaneous_completes_advance_the_case_once(case: CaseDriver) -> None:
    """Two counsellors pressing `complete` at once: one wins, the other is told why not."""
    case.open()
    case.record("risk_analysis")
    case.record("safety_plan")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        barrier.wait()
        try:
            service.fire(case.app, case.id, "complete", {}, actor=ACTOR)
            outcomes.append("advanced")
        except (ConcurrentChange, TriggerRefused) as err:
            outcomes.append(type(err).__name__)

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 2 == len(outcomes) and 1 == outcomes.count("advanced"), outcomes
    assert "first_counselling" == case.show()["state"]
    with case.app.db.connect() as conn:
        completes = conn.execute(
            select(func.count()).select_from(events).where(events.c.trigger == "complete")
        ).scalar_one()
    assert 1 == completes


def test_nothing_is_lost_on_restart(case: CaseDriver, clock: FixedClock) -> None:
    """A new process on the same database sees the same case, documents and timers."""
    case.open()
    case.fire("start_reflection_period", started_on=str(case.today))
    case.record("risk_analysis")
    before = case.show()
    case.app.db.dispose()
    again = bootstrap(
        case.app.settings, clock=clock, workflow=case.app.workflow, configure_logs=False
    )
    after = service.show(again, case.id, actor=ACTOR)
    again.db.dispose()
    assert before == after


def test_event_log_keeps_when_it_happened_and_when_it_was_recorded(case: CaseDriver) -> None:
    """A backdated trigger keeps its happened_at; recorded_at is the engine's now."""
    case.open()
    case.days(3)
    happened = case.clock.now() - timedelta(days=1)
    service.fire(
        case.app,
        case.id,
        "report_to_police",
        {"reported_on": "2026-01-07"},
        actor="counsellor:maria",
        at=happened,
    )
    last = service.timeline(case.app, case.id, actor=ACTOR)[-1]
    assert {
        "trigger": "report_to_police",
        "from_state": "no_procedure",
        "to_state": "reported",
        "actor": "counsellor:maria",
        "happened_at": happened.isoformat(),
        "recorded_at": case.clock.now().isoformat(),
    } == {
        k: last[k]
        for k in ("trigger", "from_state", "to_state", "actor", "happened_at", "recorded_at")
    }


@pytest.mark.parametrize(
    ("shift", "reason"),
    [(timedelta(hours=1), "lies in the future"), (timedelta(days=-30), "lies before the intake")],
)
def test_at_outside_the_case_life_is_refused(
    case: CaseDriver, shift: timedelta, reason: str
) -> None:
    """`--at` in the future or before the intake is refused, naming the field."""
    case.open()
    with pytest.raises(InvalidInput) as refused:
        service.fire(
            case.app,
            case.id,
            "report_to_police",
            {"reported_on": "2026-01-05"},
            actor=ACTOR,
            at=case.clock.now() + shift,
        )
    assert 1 == len(refused.value.reasons) and reason in refused.value.reasons[0]
    assert refused.value.reasons[0].startswith("at: ")


def test_events_must_be_recorded_in_order(case: CaseDriver) -> None:
    """A trigger backdated before the case's last event is refused."""
    case.open()
    case.days(2)
    case.fire("report_to_police", reported_on=str(case.today))
    with pytest.raises(InvalidInput, match="record triggers in the order"):
        service.fire(
            case.app,
            case.id,
            "start_article64",
            {"started_on": "2026-01-05"},
            actor=ACTOR,
            at=case.clock.now() - timedelta(days=1),
        )


def test_every_read_and_change_is_audited(case: CaseDriver) -> None:
    """Opening, recording, firing and reading a case each leave an audit row with the actor."""
    case.open()
    case.record("risk_analysis")
    case.fire("report_to_police", reported_on=str(case.today))
    case.show()
    service.timeline(case.app, case.id, actor="coordinator:region-west")
    with case.app.db.connect() as conn:
        rows = conn.execute(
            select(audit.c.actor, audit.c.action)
            .where(audit.c.case_id == case.id)
            .order_by(audit.c.id)
        ).all()
    assert [
        (ACTOR, "open"),
        (ACTOR, "record:risk_analysis"),
        (ACTOR, "fire:report_to_police"),
        (ACTOR, "read"),
        ("coordinator:region-west", "read:timeline"),
    ] == [tuple(r) for r in rows]


def test_unknown_case_is_not_found(app: App) -> None:
    """A case id that does not exist gives case_not_found, not a crash."""
    with pytest.raises(EngineError) as missing:
        service.show(app, "00000000-0000-0000-0000-000000000000", actor=ACTOR)
    assert "case_not_found" == missing.value.code


def test_second_open_case_for_the_same_client_is_refused(case: CaseDriver) -> None:
    """An organisation cannot open two cases for one client at once."""
    case.open(client="A-9")
    with pytest.raises(InvalidInput, match="already has an open case"):
        CaseDriver(case.app, case.clock).open(client="A-9")


def test_logs_carry_no_personal_data(case: CaseDriver, capsys: pytest.CaptureFixture[str]) -> None:
    """Log lines name cases by id, never by client reference or document content."""
    configure_logging("INFO", json=True)
    case.open(client="CLIENT-REF-7731")
    measure = {
        "area": "movement_outside",
        "measure": "Avoid the street where the trafficker lives",
        "responsible": "client",
    }
    case.record("safety_plan", measures=[measure])
    out = capsys.readouterr()
    logged = out.out + out.err
    assert case.id in logged
    assert "CLIENT-REF-7731" not in logged
    assert "trafficker lives" not in logged


def test_two_simultaneous_opens_for_one_client_make_one_case(app: App) -> None:
    """Two systems opening a case for the same client at once: one case, one clear refusal."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def open_one() -> None:
        barrier.wait()
        try:
            CaseDriver(app, app.clock).open(client="A-race")  # type: ignore[arg-type]
            outcomes.append("opened")
        except InvalidInput as err:
            outcomes.append(err.reasons[0].split(" has open case")[0])

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ["client: A-race", "opened"] == sorted(outcomes)


def test_a_case_entered_late_counts_its_first_step_from_the_intake(case: CaseDriver) -> None:
    """A case typed in ten days after intake has its step-1 deadline two weeks after intake."""
    view = case.open(intake=case.today - timedelta(days=10))
    assert ("2026-01-09", "2025-12-25T23:00:00+00:00") == (
        view["step_due_on"],
        view["state_entered_at"],
    )


def test_refused_trigger_is_audited(case: CaseDriver) -> None:
    """A refusal reveals case facts, so it is in the audit trail, with who asked."""
    case.open()
    case.refused("complete")
    with case.app.db.connect() as conn:
        actions = (
            conn.execute(
                select(audit.c.action).where(audit.c.case_id == case.id).order_by(audit.c.id)
            )
            .scalars()
            .all()
        )
    assert ["open", "refused:fire:complete"] == actions


def test_documents_entered_late_do_not_block_earlier_triggers(case: CaseDriver) -> None:
    """Paperwork caught up today does not stop recording yesterday's police report."""
    case.open()
    case.days(2)
    case.record("risk_analysis")
    yesterday = case.clock.now() - timedelta(days=1)
    view = service.fire(
        case.app,
        case.id,
        "report_to_police",
        {"reported_on": "2026-01-06"},
        actor=ACTOR,
        at=yesterday,
    )
    assert "reported" == view["residence_state"]


def test_overdue_list_names_cases_by_id_only(case: CaseDriver) -> None:
    """The cross-organisation overdue list carries no client reference."""
    case.open(client="CLIENT-REF-7731")
    case.days(30)
    items = service.overdue(case.app)
    assert items and all("client_ref" not in item for item in items)
    assert "CLIENT-REF-7731" not in repr(items)


def test_case_in_a_step_the_workflow_no_longer_knows_is_refused_clearly(
    case: CaseDriver,
) -> None:
    """A workflow file that dropped a case's step gives a clear error, not a crash."""
    case.open()
    with case.app.db.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'old_step' WHERE id = :id"), {"id": case.id})
    with pytest.raises(EngineError) as refused:
        case.show()
    assert "workflow_invalid" == refused.value.code
    assert "old_step" in refused.value.reasons[0]


def test_a_case_read_back_is_the_case_as_changed(case: CaseDriver) -> None:
    """What a change answers (worked out from the case in memory) is what opening the case
    again shows, read in one statement: latest document versions, every timer in the order
    made, closed ones too, facts and steps."""
    case.open()
    case.to_short_term_plan()
    case.days(3)
    case.record("risk_analysis", threat_level="high")  # a second version of a document
    case.fire("start_reflection_period", started_on=str(case.today))
    case.fire("report_to_police", reported_on=str(case.today))  # ends the reflection period
    answered = case.view
    shown = case.show()
    assert answered == shown
    risk = [d for d in shown["documents"] if d["kind"] == "risk_analysis"]
    assert [2] == [d["version"] for d in risk]
    assert {"pending", "done"} <= {t["status"] for t in shown["timers"]}
    dues = [t["due_at"] for t in shown["timers"]]
    assert len(dues) >= 3
