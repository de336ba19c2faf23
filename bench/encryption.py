"""Benchmark 7: what encryption at rest costs, per trigger and on the overdue page. The same
work runs twice in one run, interleaved: with the engine's AES-GCM cipher, and with a
plaintext stand-in (values stored as their JSON bytes, the client reference as its own
"hash"), so the ratio is the cost of sealing and opening and nothing else. The stand-in is
wired in here only; no setting reaches it."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench._harness import Result, databases
from bench.transitions import ACTOR, TRIGGERS_PER_CASE, engine_app, fire_all, open_cases
from engine import service
from engine.bootstrap import App
from engine.crypto import Cipher
from engine.documents import example
from engine.store import UnitOfWork

PAGE_CALLS = 50


class PlainCipher(Cipher):
    """Seals nothing: the value as it is, and the reference as its own key."""

    def seal(self, plain: bytes, aad: bytes) -> bytes:
        return plain

    def open(self, sealed: bytes, aad: bytes, where: str) -> bytes:
        return sealed

    def index(self, value: str) -> str:
        return value

    def indexes(self, value: str) -> list[str]:
        return [value]


def _app(url: str, sealed: bool) -> App:
    app = engine_app(url)
    if not sealed:
        ring = app.uow.cipher.ring
        app.uow = UnitOfWork(app.db, lambda: PlainCipher(ring), app.clock.now)
    return app


def _prepared(url: str, n_cases: int, sealed: bool) -> tuple[App, list[str]]:
    """`n_cases` open cases, each with a risk analysis and a safety plan, which every read of
    the case opens (not timed)."""
    app = _app(url, sealed)
    ids = open_cases(app, n_cases)
    for case_id in ids:
        for kind in ("risk_analysis", "safety_plan"):
            service.record(app, case_id, kind, example(kind), actor=ACTOR)
    return app, ids


def _overdue_page(app: App) -> None:
    later = app.clock.now() + timedelta(days=120)  # every case has late timers and steps
    for _ in range(PAGE_CALLS):
        service.overdue(app, service.OverdueQuery(at=later), limit=100, actor=ACTOR)


def _timed(url: str, n_cases: int, sealed: bool) -> tuple[float, float]:
    """Seconds for the triggers, and for PAGE_CALLS overdue pages, on a fresh database."""
    app, ids = _prepared(url, n_cases, sealed)
    started = time.perf_counter()
    fire_all(app, ids)
    fired = time.perf_counter() - started
    started = time.perf_counter()
    _overdue_page(app)
    paged = time.perf_counter() - started
    app.db.dispose()
    return fired, paged


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (100, 3) if quick else (1_000, 3)
    n = n_cases * TRIGGERS_PER_CASE
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():

            def url(f: Callable[[str], str] = fresh) -> str:
                return f(uuid.uuid4().hex)

            fire: dict[bool, list[float]] = {True: [], False: []}
            page: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(repeats):  # interleaved, so that drift hits both alike
                for sealed in (False, True):
                    fired, paged = _timed(url(), n_cases, sealed)
                    fire[sealed].append(fired)
                    page[sealed].append(paged)
            f_on, f_off = statistics.median(fire[True]), statistics.median(fire[False])
            p_on, p_off = statistics.median(page[True]), statistics.median(page[False])
            results += [
                Result("encryption", f"fire, sealed, {name}", f_on, f"{n:,} triggers", f_on / n,
                       f_on / f_off, "≤ 1.25", note="vs the same run in plaintext"),
                Result("encryption", f"fire, plaintext stand-in, {name}", f_off,
                       f"{n:,} triggers", f_off / n),
                Result("encryption", f"overdue page, sealed, {name}", p_on / PAGE_CALLS,
                       "one page", None, p_on / p_off, "≈ 1", note="reads no sealed column"),
                Result("encryption", f"overdue page, plaintext stand-in, {name}",
                       p_off / PAGE_CALLS, "one page"),
            ]  # fmt: skip
    return results


__all__ = ["PlainCipher", "run"]
