"""Benchmark 7: what the hash chain costs. The same work with the chain (the engine as it is)
and without it (events and audit rows written as before the chain: no hashing, one plain
insert per audit call, no chain heads), interleaved in the same run, on three paths: firing
triggers (the tuned fire path), reading a case (one audited read) and the coordinator's
overdue page (one audit row per listed case).

The unchained variant exists only here: `unchained()` swaps the repository's two chain hooks
for plain writes for the length of a measurement."""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, null

from bench import overdue, transitions
from bench._harness import Result, databases, median_time
from engine import service
from engine.access import Principal
from engine.bootstrap import App
from engine.store import AuditEntry
from engine.store import _repository as repository
from engine.store._tables import audit

_NUMBERS = itertools.count(1)  # unique audit seqs for the unchained rows (the table wants them)


def _plain_audit(conn: Connection, entries: Sequence[AuditEntry], _locked: object = None) -> None:
    """An audit write as before the chain: one insert, no head, no hash."""
    if entries:
        rows = [{**e._asdict(), "seq": -next(_NUMBERS), "hash": ""} for e in entries]
        conn.execute(insert(audit), rows)


def _no_hash(previous: str, event: Any, documents: Any = ()) -> str:
    return previous


@contextmanager
def unchained() -> Iterator[None]:
    """The repository without the chain, for the length of the block (bench only)."""
    saved = repository.append_audit, repository.event_hash, repository._SAVE_LOCKING_HEAD
    repository.append_audit, repository.event_hash = _plain_audit, _no_hash  # type: ignore[assignment]
    # the save as before: no audit head locked with it (it answers no head)
    repository._SAVE_LOCKING_HEAD = repository._SAVE.returning(null(), null())
    try:
        yield
    finally:
        repository.append_audit, repository.event_hash, repository._SAVE_LOCKING_HEAD = saved


def _both(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median times of `work` with and without the chain, interleaved run by run."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for chained in (True, False):
            started = time.perf_counter()
            if chained:
                work()
            else:
                with unchained():
                    work()
            times[chained].append(time.perf_counter() - started)
    return statistics.median(times[True]), statistics.median(times[False])


def _fire(fresh: Callable[[], str], n_cases: int, repeats: int) -> tuple[float, float]:
    """Ten triggers on each of `n_cases` fresh cases, on a fresh database each run."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for chained in (True, False):
            app = transitions.engine_app(fresh())
            ids = transitions.open_cases(app, n_cases)
            started = time.perf_counter()
            if chained:
                transitions.fire_all(app, ids)
            else:
                with unchained():
                    transitions.fire_all(app, ids)
            times[chained].append(time.perf_counter() - started)
            app.db.dispose()
    return statistics.median(times[True]), statistics.median(times[False])


def _reads(app: App, ids: list[str]) -> Callable[[], None]:
    def read_all() -> None:
        for case_id in ids:
            service.show(app, case_id, actor="person:bench")

    return read_all


def run(quick: bool) -> list[Result]:
    n_cases, n_overdue, repeats = (100, 5_000, 3) if quick else (300, 20_000, 3)
    n = n_cases * transitions.TRIGGERS_PER_CASE
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():

            def url(f: Callable[[str], str] = fresh) -> str:
                return f(uuid.uuid4().hex)

            chained, plain = _fire(url, n_cases, repeats)
            results += [
                Result("chain", f"fire, chained, {name}", chained, f"{n:,} triggers",
                       chained / n, chained / plain, "≤ 1.25"),
                Result("chain", f"fire, unchained, {name}", plain, f"{n:,} triggers", plain / n),
            ]  # fmt: skip
            app = transitions.engine_app(url())
            ids = transitions.open_cases(app, n_cases)
            chained, plain = _both(_reads(app, ids), repeats)
            results += [
                Result("chain", f"case read, chained, {name}", chained, f"{n_cases:,} reads",
                       chained / n_cases, chained / plain),
                Result("chain", f"case read, unchained, {name}", plain, f"{n_cases:,} reads",
                       plain / n_cases),
            ]  # fmt: skip
            app.db.dispose()
            app = overdue._filled(url(), n_overdue)
            coordinator = Principal("zc", "coordinator", "region-00", "person", "Region-00")

            def page(a: App = app, who: Principal = coordinator) -> object:
                return service.overdue(a, limit=overdue.PAGE, actor=who)

            median_time(page, 3)  # warm
            chained, plain = _both(page, repeats * 5)
            what = f"{n_overdue:,} cases, page of {overdue.PAGE}"
            results += [
                Result("chain", f"overdue page, chained, {name}", chained, what,
                       ratio=chained / plain),
                Result("chain", f"overdue page, unchained, {name}", plain, what),
            ]  # fmt: skip
            app.db.dispose()
    return results
