"""A national deployment's worth of cases, written straight into the engine's tables.

The rows have the shapes the engine writes (the same tables, columns and value ranges, sealed
with the benchmarks' key), but they are inserted in bulk, so that 100,000 cases with about a
million timers take a minute, not the hours that opening each case through the service would.
Benchmarks of the engine's own writes open their cases through the service."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, insert

from engine.states import Workflow
from engine.store._chain import GENESIS
from engine.store._codec import Codec
from engine.store._tables import cases, organisations, timers

SHELTERS_PER_REGION = 5
TIMERS_PER_CASE = 10  # over a case's life: most done or cancelled, a few pending
BATCH = 5_000


@dataclass(frozen=True)
class Dataset:
    cases: int
    timers: int
    regions: list[str]
    today: date


def fill(
    db: Engine, workflow: Workflow, n_cases: int, *, today: date, codec: Codec, seed: int = 7
) -> Dataset:
    """Add `n_cases` open cases spread over shelters in regions of SHELTERS_PER_REGION
    (20 regions for 100,000 cases), each with TIMERS_PER_CASE timers of the workflow's kinds:
    three pending (due from two years ago to half a year ahead), the rest done or cancelled."""
    rng = random.Random(seed)
    n_regions = max(1, n_cases // 5_000)
    regions = [f"region-{r:02d}" for r in range(n_regions)]
    shelters = [f"{region}-shelter-{s}" for region in regions for s in range(SHELTERS_PER_REGION)]
    care = [s for s in workflow.spec.care.states if not s.final]
    kinds = [t.kind for t in workflow.spec.timers]
    with db.begin() as conn:
        conn.execute(insert(organisations), [
            {"id": r, "kind": "region", "name": r.title(), "region": None} for r in regions
        ] + [
            {"id": s, "kind": "shelter", "name": s.title(), "region": s.split("-shelter")[0]}
            for s in shelters
        ])  # fmt: skip
    case_rows: list[dict[str, object]] = []
    timer_rows: list[dict[str, object]] = []
    n_timers = 0
    for i in range(n_cases):
        case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        shelter = shelters[i % len(shelters)]
        intake = today - timedelta(days=rng.randint(1, 900))
        entered = datetime.combine(
            intake + timedelta(days=rng.randint(0, (today - intake).days)), datetime.min.time(), UTC
        )
        state = rng.choice(care)
        case_rows.append({
            "id": case_id, "client_ref": codec.client_ref(case_id, f"C-{i}"),
            "client_hash": codec.client_hash(shelter, f"C-{i}"), "organisation": shelter,
            "counsellor": f"{shelter}-c{rng.randint(0, 9)}", "kind": "trafficking",
            "intake_on": intake, "state": state.id, "residence_state": "reflection_period",
            "closed": False, "state_entered_seq": 5, "state_entered_at": entered,
            "step_due_on": entered.date() + timedelta(days=rng.choice((14, 28, 42, 90))),
            "seq": 12, "last_happened_at": entered, "facts": codec.facts(case_id, {}),
            "opened_at": entered,
            "workflow": f"{workflow.spec.id}@{workflow.spec.version}", "version": 12,
            "events_hash": GENESIS,
        })  # fmt: skip
        for t in range(TIMERS_PER_CASE):
            pending = t < 3
            due = today + timedelta(
                days=rng.randint(-730, 180) if pending else -rng.randint(1, 900)
            )
            timer_rows.append({
                "case_id": case_id, "kind": rng.choice(kinds), "due_on": due,
                "due_at": datetime.combine(due, datetime.min.time(), UTC),
                "status": "pending" if pending else rng.choice(("done", "cancelled")),
                "started_seq": 1, "closed_seq": None if pending else 6, "remind_on": [],
                "remind_from": due - timedelta(days=7),
            })  # fmt: skip
        if len(case_rows) == BATCH or i == n_cases - 1:
            with db.begin() as conn:
                conn.execute(insert(cases), case_rows)
                conn.execute(insert(timers), timer_rows)
            n_timers += len(timer_rows)
            case_rows, timer_rows = [], []
    return Dataset(n_cases, n_timers, regions, today)
