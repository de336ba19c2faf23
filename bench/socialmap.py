"""Benchmark 10: what the social map costs where a counsellor reads a case. `case show` of
cases at step 2 (which suggest organisations in the client's country: the map's changes read,
the layers composed, the organisations ranked) against the same cases read with a workflow
that suggests nothing, interleaved in one run on the same database. Also a search's time
(country and two services) against a bare filter of the same records as plain dicts.
Target: suggestions add at most half to a case read (≤ 1.5)."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench._harness import Result, databases, settings
from bench.transitions import ACTOR, open_cases
from engine import service, socialmap
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.documents import example
from engine.states import Workflow, default_workflow_path
from engine.store import create_schema


def _quiet_workflow(folder: Path) -> Workflow:
    """The shipped workflow without its social-map hints."""
    text = default_workflow_path().read_text(encoding="utf-8")
    quiet = "\n".join(line for line in text.splitlines() if "socialmap:" not in line)
    path = folder / "quiet.yaml"
    path.write_text(quiet, encoding="utf-8")
    return Workflow.load(path)


def _at_step_2(app: App, n: int) -> list[str]:
    ids = open_cases(app, n, prefix=uuid.uuid4().hex[:6])
    day = app.clock.now().date()
    for case_id in ids:
        for kind in ("client_profile", "risk_analysis", "safety_plan"):
            service.record(app, case_id, kind, example(kind, day), actor=ACTOR)
        service.fire(app, case_id, "complete", {}, actor=ACTOR)
    return ids


def _reads(app: App, ids: list[str]) -> Callable[[], object]:
    return lambda: [service.show(app, i, actor=ACTOR) for i in ids]


def _search_bare(records: list[dict[str, object]]) -> list[object]:
    return [
        r for r in records
        if (r["country"] == "NG" or "NG" in r["serves"])  # type: ignore[operator]
        and {"shelter", "psychological"} <= set(r["services"])  # type: ignore[call-overload]
    ]  # fmt: skip


def run(quick: bool) -> list[Result]:
    n, repeats = (20, 5) if quick else (200, 7)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        quiet = _quiet_workflow(Path(tmp))
        for name, fresh in databases(Path(tmp)).items():
            url = fresh(uuid.uuid4().hex)
            clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
            app = bootstrap(settings(url), clock=clock, configure_logs=False)
            create_schema(app.db)
            plain = bootstrap(settings(url), clock=clock, workflow=quiet, configure_logs=False)
            ids = _at_step_2(app, n)
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(repeats):
                for suggesting, target in ((True, app), (False, plain)):
                    started = time.perf_counter()
                    _reads(target, ids)()
                    times[suggesting].append(time.perf_counter() - started)
            on, off = statistics.median(times[True]), statistics.median(times[False])
            results += [
                Result("socialmap", f"case show at step 2, suggesting, {name}", on,
                       f"{n} reads", on / n, on / off, "≤ 1.5", note="vs no hints, same run"),
                Result("socialmap", f"case show at step 2, no hints, {name}", off,
                       f"{n} reads", off / n),
            ]  # fmt: skip
            app.db.dispose()
            plain.db.dispose()
    smap = socialmap.compose(None)
    records = [e.org.model_dump() for e in smap.entries]
    query = socialmap.Query("Nigerië", ("shelter", "psychological"))
    searches = 200 if quick else 2_000
    ours = _median(lambda: smap.search(query), searches)
    bare = _median(lambda: _search_bare(records), searches)
    assert [e.org.id for e in smap.search(query)] == [r["id"] for r in _search_bare(records)]
    results += [
        Result("socialmap", "search NG + 2 services, 118 organisations", ours, "one search",
               None, ours / bare, note="vs a bare filter of dicts"),
        Result("socialmap", "bare filter of the same records", bare, "one search"),
    ]  # fmt: skip
    return results


def _median(work: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
