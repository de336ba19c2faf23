"""Benchmark 1: fire 20,000 triggers over 2,000 cases, each in its own transaction, against
bare SQLAlchemy Core doing the same writes per trigger (the case row update, the event rows,
the timer rows and the audit row) in one transaction each."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from bench._harness import Result, databases
from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.settings import Settings
from engine.store import create_schema
from engine.store._tables import audit, cases, events, timers

TRIGGERS_PER_CASE = 10
DAY = date(2026, 2, 2)
ACTOR = "system:bench"


def sequence() -> list[tuple[str, dict[str, Any]]]:
    """Ten triggers a trafficking case may take one after the other (its residence track)."""
    d = [str(DAY + timedelta(days=i)) for i in range(10)]
    return [
        ("start_reflection_period", {"started_on": d[0]}),
        ("report_to_police", {"reported_on": d[1]}),
        ("apply_permit", {"permit": "b8_3_temporary", "applied_on": d[2], "grounds": "report"}),
        ("record_ind_decision", {"decision": "negative", "decided_on": d[3]}),
        ("file_objection", {"filed_on": d[4]}),
        ("record_ind_decision", {"decision": "negative", "decided_on": d[5]}),
        ("file_appeal", {"filed_on": d[6]}),
        ("record_ind_decision", {"decision": "positive", "decided_on": d[7],
                                 "permit": "b8_3_temporary", "valid_until": "2027-02-01"}),
        ("start_article64", {"started_on": d[8]}),
        ("end_article64", {"ended_on": d[9]}),
    ]  # fmt: skip


def engine_app(url: str) -> App:
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    app = bootstrap(Settings(db=url), clock=clock, configure_logs=False)
    create_schema(app.db)
    return app


def open_cases(app: App, n: int, prefix: str = "B") -> list[str]:
    return [
        service.open_case(app, client_ref=f"{prefix}-{i}", organisation="bench-shelter",
                          kind="trafficking", intake_on=date(2026, 2, 1), actor=ACTOR)["id"]
        for i in range(n)
    ]  # fmt: skip


def _counts(db: Engine) -> tuple[int, int, int, int]:
    with db.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(events)).scalar_one(),
            conn.execute(select(func.count()).select_from(timers)).scalar_one(),
            conn.execute(select(func.count()).where(timers.c.status != "pending")).scalar_one(),
            conn.execute(select(func.count()).select_from(audit)).scalar_one(),
        )


def writes_per_trigger(app: App) -> list[tuple[int, int, int]]:
    """(events, new timers, closed timers) the engine writes for each trigger of the sequence,
    read from the database around each fire of one case."""
    (case_id,) = open_cases(app, 1)
    found = []
    for trigger, data in sequence():
        before = _counts(app.db)
        service.fire(app, case_id, trigger, data, actor=ACTOR)
        after = _counts(app.db)
        found.append((after[0] - before[0], after[1] - before[1], after[2] - before[2]))
    return found


def fire_all(app: App, ids: list[str]) -> None:
    for trigger, data in sequence():
        for case_id in ids:
            service.fire(app, case_id, trigger, data, actor=ACTOR)


def baseline(db: Engine, ids: list[str], plan: list[tuple[int, int, int]]) -> None:
    """The same writes with bare Core: per trigger one transaction with the case update, the
    event rows, the new timer rows, the closed timers' updates and the audit row."""
    with db.connect() as conn:
        pending: dict[str, list[int]] = {cid: [] for cid in ids}
        for tid, cid in conn.execute(select(timers.c.id, timers.c.case_id)):
            pending[cid].append(tid)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for position, (n_events, n_new, n_closed) in enumerate(plan):
        seq = 10 + position * 3
        for case_id in ids:
            with db.begin() as conn:
                conn.execute(
                    update(cases).where(cases.c.id == case_id)
                    .values(state="first_counselling", residence_state="reported", seq=seq,
                            version=cases.c.version + 1, last_happened_at=now)
                )  # fmt: skip
                conn.execute(insert(events), [
                    {"case_id": case_id, "seq": seq + k, "track": "residence",
                     "trigger": "bench", "from_state": "a", "to_state": "b", "actor": ACTOR,
                     "happened_at": now, "recorded_at": now, "data": {"on": "2026-02-02"}}
                    for k in range(n_events)
                ])  # fmt: skip
                if n_new:
                    conn.execute(insert(timers), [
                        {"case_id": case_id, "kind": "permit_renewal", "due_on": DAY,
                         "due_at": now, "status": "pending", "started_seq": seq,
                         "closed_seq": None, "remind_on": ["2026-02-01"], "remind_from": DAY}
                        for _ in range(n_new)
                    ])  # fmt: skip
                for _ in range(n_closed):
                    if pending[case_id]:
                        conn.execute(
                            update(timers).where(timers.c.id == pending[case_id].pop())
                            .values(status="cancelled", closed_seq=seq)
                        )  # fmt: skip
                conn.execute(insert(audit).values(case_id=case_id, actor=ACTOR,
                                                  action="fire:bench", at=now))  # fmt: skip


def _timed(url: str, n_cases: int, work: Callable[[App, list[str]], None]) -> float:
    """Open `n_cases` cases on a fresh database (not timed), then time `work` on them."""
    app = engine_app(url)
    ids = open_cases(app, n_cases)
    started = time.perf_counter()
    work(app, ids)
    took = time.perf_counter() - started
    app.db.dispose()
    return took


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (200, 1) if quick else (2_000, 3)
    n = n_cases * TRIGGERS_PER_CASE
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():

            def url(f: Callable[[str], str] = fresh) -> str:
                return f(uuid.uuid4().hex)

            probe = engine_app(url())
            plan = writes_per_trigger(probe)
            probe.db.dispose()
            engine_times, base_times = [], []
            for _ in range(repeats):  # interleaved, so that drift hits both alike
                engine_times.append(_timed(url(), n_cases, fire_all))
                base_times.append(
                    _timed(url(), n_cases, lambda app, ids, p=plan: baseline(app.db, ids, p))
                )
            eng, base = statistics.median(engine_times), statistics.median(base_times)
            writes = {"events": sum(p[0] for p in plan), "new_timers": sum(p[1] for p in plan),
                      "closed_timers": sum(p[2] for p in plan), "audit": len(plan)}  # fmt: skip
            results.append(Result(
                "transitions", f"engine, {name}", eng, f"{n:,} triggers", eng / n, eng / base,
                "≤ 1.5", {"writes_per_case": writes},
            ))  # fmt: skip
            results.append(
                Result("transitions", f"baseline: bare Core, {name}", base, f"{n:,} triggers",
                       base / n)
            )  # fmt: skip
    return results
