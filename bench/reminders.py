"""Benchmark 4: reminder throughput. About 10,000 due reminders delivered through the log
channel by one worker (and by two worker processes on PostgreSQL), against the bare database
loop a delivery needs at least: claim a batch, then mark each row sent in its own
transaction. The engine also renews the lease and checks the deadline is still open before
each send, so a reminder is sent once and never for a deadline met meanwhile."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Engine, bindparam, func, select, update

from bench._harness import Result, databases, median_time, settings
from bench.dataset import fill
from engine import reminders
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.directory import Directory
from engine.notifications import LogChannel
from engine.store import create_schema
from engine.store._tables import outbox

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BATCH = 20  # the worker's batch


def log_channel() -> LogChannel:
    """The log channel writing its JSON lines to /dev/null: rendered as in service, not
    printed over the results."""
    sink = Path(os.devnull).open("w")  # noqa: SIM115 - lives as long as the benchmark
    logger = structlog.wrap_logger(
        structlog.PrintLogger(sink),
        processors=[
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.JSONRenderer(),
        ],
    )
    return LogChannel(logger)


def _app(url: str) -> App:
    return bootstrap(settings(url), clock=FixedClock(NOW), configure_logs=False)


def _planned(url: str, n_cases: int) -> tuple[App, int, float]:
    """A database whose outbox holds the reminders due today for `n_cases` cases."""
    app = _app(url)
    create_schema(app.db)
    fill(app.db, app.workflow, n_cases, today=NOW.date(), codec=app.uow.codec)
    started = time.perf_counter()
    planned = reminders.plan(app, Directory())
    return app, planned, time.perf_counter() - started


def _reset(db: Engine) -> None:
    with db.begin() as conn:
        conn.execute(update(outbox).values(status="pending", claimed_by=None, claimed_until=None,
                                           attempts=0, sent_at=None))  # fmt: skip


def _sent(db: Engine) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).where(outbox.c.status == "sent")).scalar_one()


# The bare loop's statements, built once with bind parameters, as the engine's are.
_WANTED = (
    select(outbox.c.id)
    .where(outbox.c.status == "pending", outbox.c.claimed_by.is_(None))
    .order_by(outbox.c.id)
    .limit(BATCH)
)
_CLAIM = (
    update(outbox)
    .where(outbox.c.id.in_(bindparam("b_ids", expanding=True)))
    .values(claimed_by=bindparam("b_worker"), claimed_until=bindparam("b_until"))
)
_MARK = (
    update(outbox)
    .where(outbox.c.id == bindparam("b_id"), outbox.c.claimed_by == bindparam("b_worker"))
    .values(status="sent", sent_at=bindparam("b_now"), claimed_by=None, claimed_until=None)
)


def bare_loop(db: Engine, worker: str) -> int:
    """Claim BATCH rows (skipping locked ones on PostgreSQL), mark each sent in its own
    transaction, until none is left."""
    wanted = (
        _WANTED.with_for_update(skip_locked=True) if db.dialect.name == "postgresql" else _WANTED
    )
    done = 0
    while True:
        now = datetime.now(UTC)
        with db.begin() as conn:
            ids = list(conn.execute(wanted).scalars())
            if not ids:
                return done
            lease = now + timedelta(minutes=5)
            conn.execute(_CLAIM, {"b_ids": ids, "b_worker": worker, "b_until": lease})
        for row_id in ids:
            with db.begin() as conn:
                conn.execute(_MARK, {"b_id": row_id, "b_worker": worker, "b_now": now})
            done += 1


def worker_process(url: str, worker: str, go: Any, took: Any) -> None:
    """One engine worker in its own process (spawned, as a second worker would run): it
    builds its engine, waits for the start, delivers until nothing is left, reports the time."""
    app = _app(url)
    try:
        go.wait()
        started = time.perf_counter()
        reminders.deliver(app, {"log": log_channel()}, worker=worker, limit=BATCH)
        took.put(time.perf_counter() - started)
    finally:
        app.db.dispose()


def _two_workers(url: str) -> float:
    """Two worker processes started together; the time until the later one is done (their
    start-up, which the cold-start benchmark measures, is left out)."""
    spawn = multiprocessing.get_context("spawn")
    go, took = spawn.Barrier(2, timeout=120), spawn.Queue()  # both start once both are built
    workers = [
        spawn.Process(target=worker_process, args=(url, w, go, took), daemon=True)
        for w in ("w1", "w2")
    ]
    try:
        for w in workers:
            w.start()
        times = [took.get(timeout=600) for _ in workers]
    finally:  # a worker that failed must not leave the other waiting, or the run hanging
        for w in workers:
            w.join(timeout=10)
            if w.is_alive():
                w.terminate()
    if any(w.exitcode for w in workers):
        raise SystemExit("reminders: a worker process failed")
    return max(times)


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (250, 1) if quick else (1_600, 3)  # about 10,000 reminders
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():
            url = fresh("reminders")
            app, n, plan_time = _planned(url, n_cases)
            channels = {"log": log_channel()}
            engine_times, base_times = [], []
            for _ in range(repeats):
                _reset(app.db)
                engine_times.append(
                    median_time(
                        lambda a=app, c=channels: reminders.deliver(a, c, worker="w1", limit=BATCH)
                    )
                )
                assert _sent(app.db) == n, "the engine left reminders unsent"
                _reset(app.db)
                base_times.append(median_time(lambda db=app.db: bare_loop(db, "w1")))
            eng, base = statistics.median(engine_times), statistics.median(base_times)
            what = f"{n:,} reminders"
            results += [
                Result("reminders", f"engine, one worker, {name}", eng, what, eng / n,
                       eng / base),
                Result("reminders", f"baseline: bare claim-and-mark, {name}", base, what,
                       base / n),
                Result("reminders", f"planning today's reminders, {name}", plan_time,
                       f"{n_cases:,} cases"),
            ]  # fmt: skip
            if name == "postgresql":
                _reset(app.db)
                two = _two_workers(url)
                assert _sent(app.db) == n, "two workers left reminders unsent"
                results.append(Result("reminders", f"engine, two worker processes, {name}",
                                      two, what, two / n, two / eng))  # fmt: skip
            app.db.dispose()
    return results
