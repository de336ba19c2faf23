"""Benchmark 1: fire 20,000 triggers over 2,000 cases, each in its own transaction, against
bare SQLAlchemy Core doing the same writes per trigger (the case row update, the event rows,
the timer rows and the audit row) in one transaction each."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, bindparam, func, insert, select, update

from bench._harness import Result, databases, settings
from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
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
    app = bootstrap(settings(url), clock=clock, configure_logs=False)
    create_schema(app.db)
    return app


def open_cases(
    app: App, n: int, prefix: str = "B", organisation: str = "bench-shelter"
) -> list[str]:
    """`n` new cases; `organisation` must be a registered shelter once any is registered."""
    return [
        service.open_case(app, client_ref=f"{prefix}-{i}", organisation=organisation,
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


def _statements() -> tuple[Any, Any, Any, Any, Any]:
    """The baseline's statements with bind parameters: the case update (the columns the
    engine writes), closing the oldest pending timers, and the three inserts."""
    oldest = timers.alias("oldest")
    case = (
        update(cases).where(cases.c.id == bindparam("b_case"))
        .values(version=cases.c.version + 1, **{c: bindparam(f"b_{c}") for c in (
            "state", "residence_state", "counsellor", "closed", "state_entered_seq",
            "state_entered_at", "step_due_on", "seq", "last_happened_at", "facts")})
    )  # fmt: skip
    close = (
        update(timers)
        .where(timers.c.id.in_(
            select(oldest.c.id)
            .where(oldest.c.case_id == bindparam("b_case"), oldest.c.status == "pending")
            .order_by(oldest.c.id).limit(bindparam("b_n", type_=Integer))
        ))
        .values(status="cancelled", closed_seq=bindparam("b_seq"))
    )  # fmt: skip
    return case, close, insert(events), insert(timers), insert(audit)


_PREBUILT = _statements()
_UNHASHED = "-" * 64  # the bare baseline computes no hash chain (bench/chain.py measures it)
_FACTS = {"reflection_started_on": "2026-02-02", "reported_on": "2026-02-03",
          "permit_applied": "b8_3_temporary", "decision": "negative",
          "decided_on": "2026-02-05", "objection_filed_on": "2026-02-06"}  # fmt: skip
# The columns hold bytes (sealed JSON in the engine): the baseline writes the JSON, unsealed.
_FACTS_BYTES = json.dumps(_FACTS).encode()
_DATA_BYTES = json.dumps({"on": "2026-02-02"}).encode()


def baseline(
    db: Engine, ids: list[str], plan: list[tuple[int, int, int]], *, prebuilt: bool
) -> None:
    """The same writes with bare Core and no reads: per trigger one transaction with the case
    row update (the same columns), the event rows, the new timer rows, the closing of as many
    pending timers as the engine closed, and the audit row. `prebuilt`: the statements are
    built once (the strict baseline), else per trigger, as plain Core code is usually written."""
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for position, (n_events, n_new, n_closed) in enumerate(plan):
        seq = 10 + position * 3
        for case_id in ids:
            b_case, b_close, b_events, b_timers, b_audit = _PREBUILT if prebuilt else _statements()
            with db.begin() as conn:
                conn.execute(b_case, {
                    "b_case": case_id, "b_state": "basic_needs_safety",
                    "b_residence_state": "reported", "b_counsellor": None, "b_closed": False,
                    "b_state_entered_seq": 1, "b_state_entered_at": now, "b_step_due_on": DAY,
                    "b_seq": seq, "b_last_happened_at": now, "b_facts": _FACTS_BYTES,
                })  # fmt: skip
                conn.execute(b_events, [
                    {"case_id": case_id, "seq": seq + k, "track": "residence",
                     "trigger": "bench", "from_state": "a", "to_state": "b", "actor": ACTOR,
                     "happened_at": now, "recorded_at": now, "data": _DATA_BYTES,
                     "hash": _UNHASHED}
                    for k in range(n_events)
                ])  # fmt: skip
                if n_new:
                    conn.execute(b_timers, [
                        {"case_id": case_id, "kind": "permit_renewal", "due_on": DAY,
                         "due_at": now, "status": "pending", "started_seq": seq,
                         "closed_seq": None, "remind_on": ["2026-02-01"], "remind_from": DAY}
                        for _ in range(n_new)
                    ])  # fmt: skip
                if n_closed:
                    conn.execute(b_close, {"b_case": case_id, "b_n": n_closed, "b_seq": seq})
                conn.execute(b_audit, {"case_id": case_id, "actor": ACTOR,
                                        "action": "fire:bench", "at": now,
                                        "seq": position + 2, "hash": _UNHASHED})  # fmt: skip


def _timed(
    url: str, n_cases: int, work: Callable[[App, list[str]], None]
) -> tuple[float, tuple[int, int, int, int]]:
    """Open `n_cases` cases on a fresh database (not timed), time `work` on them, and count
    the rows it left (events, timers, closed timers, audit) to check both wrote the same."""
    app = engine_app(url)
    ids = open_cases(app, n_cases)
    started = time.perf_counter()
    work(app, ids)
    took = time.perf_counter() - started
    written = _counts(app.db)
    app.db.dispose()
    return took, written


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
            times: dict[str, list[float]] = {"engine": [], "strict": [], "inline": []}
            work: dict[str, Callable[[App, list[str]], None]] = {
                "engine": fire_all,
                "strict": lambda app, ids, p=plan: baseline(app.db, ids, p, prebuilt=True),
                "inline": lambda app, ids, p=plan: baseline(app.db, ids, p, prebuilt=False),
            }
            for _ in range(repeats):  # interleaved, so that drift hits all alike
                written = {}
                for what, job in work.items():
                    took, written[what] = _timed(url(), n_cases, job)
                    times[what].append(took)
                if len(set(written.values())) != 1:  # the same rows, or the ratio means nothing
                    raise SystemExit(f"transitions: rows written differ: {written}")
            eng, strict, inline = (statistics.median(times[k]) for k in work)
            writes = {"events": sum(p[0] for p in plan), "new_timers": sum(p[1] for p in plan),
                      "closed_timers": sum(p[2] for p in plan), "audit": len(plan)}  # fmt: skip
            results += [
                Result("transitions", f"engine, {name}", eng, f"{n:,} triggers", eng / n,
                       eng / strict, "≤ 1.5", {"writes_per_case": writes},
                       note=f"vs statements built per call: {eng / inline:.2f}"),
                Result("transitions", f"baseline: bare Core, prebuilt, {name}", strict,
                       f"{n:,} triggers", strict / n),
                Result("transitions", f"baseline: bare Core, built per call, {name}", inline,
                       f"{n:,} triggers", inline / n),
            ]  # fmt: skip
    return results
