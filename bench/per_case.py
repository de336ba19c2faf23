"""Benchmark 2: what one trigger costs with 1,000 and with 100,000 cases in the database. It
must not grow with the number of cases: the machine is built once per workflow, a case is
bound to it only for the one operation, and every read is by key."""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from bench._harness import Result, databases, settings
from bench.dataset import fill
from bench.transitions import ACTOR, open_cases
from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.store import create_schema

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRES = 200
TRIGGER = ("start_reflection_period", {"started_on": "2026-02-02"})


def _measure(url: str, n_cases: int) -> tuple[float, int]:
    """Median seconds and peak bytes allocated to fire one trigger, among `n_cases` others."""
    app: App = bootstrap(settings(url), clock=FixedClock(NOW), configure_logs=False)
    create_schema(app.db)
    filled = fill(app.db, app.workflow, n_cases, today=NOW.date(), codec=app.uow.codec)
    shelter = f"{filled.regions[0]}-shelter-0"  # registered by fill: the engine checks it
    ids = open_cases(app, FIRES + 1, organisation=shelter)
    trigger, data = TRIGGER
    service.fire(app, ids[-1], trigger, data, actor=ACTOR)  # warm: statements compiled
    times = []
    for case_id in ids[:-1]:
        started = time.perf_counter()
        service.fire(app, case_id, trigger, data, actor=ACTOR)
        times.append(time.perf_counter() - started)
    more = open_cases(app, 1, prefix="M", organisation=shelter)[0]
    tracemalloc.start()
    service.fire(app, more, trigger, data, actor=ACTOR)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    app.db.dispose()
    return statistics.median(times), peak


def run(quick: bool) -> list[Result]:
    small, large = (1_000, 10_000) if quick else (1_000, 100_000)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():
            (t_small, m_small), (t_large, m_large) = (
                _measure(fresh(f"per_case_{n}"), n) for n in (small, large)
            )
            results += [
                Result("per-case", f"one trigger among {small:,} cases, {name}", t_small,
                       "one trigger", extra={"peak_bytes": m_small},
                       note=f"peak {m_small / 1e3:.1f} kB"),
                Result("per-case", f"one trigger among {large:,} cases, {name}", t_large,
                       "one trigger", ratio=t_large / t_small, target="≈ 1 (no growth)",
                       extra={"peak_bytes": m_large, "memory_ratio": m_large / m_small},
                       note=f"peak {m_large / 1e3:.1f} kB ({m_large / m_small:.2f}x)"),
            ]  # fmt: skip
    return results
