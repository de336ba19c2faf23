"""Benchmark 7: what encryption at rest costs, per trigger and on the overdue page. The same
work runs twice in one run, interleaved: with the engine's AES-GCM cipher, and with a
plaintext stand-in (values stored as their JSON bytes, the organisation and client
reference as the "hash"), so the ratio is the cost of sealing and opening and nothing else.
The stand-in is wired in here only; no setting reaches it. The cipher alone is timed too."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench._harness import BENCH_KEYS, Result, databases, median_time
from bench.transitions import ACTOR, TRIGGERS_PER_CASE, engine_app, fire_all, open_cases
from engine import service
from engine.bootstrap import App
from engine.crypto import Cipher, parse_keys
from engine.documents import example
from engine.store import UnitOfWork

PAGE_CALLS = 200
VALUE = b'{"measures": "' + b"x" * 1000 + b'"}'  # a document of about 1 kB


class PlainCipher(Cipher):
    """Seals nothing: the value as it is, and the organisation and reference as the key."""

    def seal(self, plain: bytes, aad: bytes) -> bytes:
        return plain

    def open(self, sealed: bytes, aad: bytes, where: str) -> bytes:
        return sealed

    def index(self, value: str) -> str:
        return value.replace("\x00", "/")[-64:]  # PostgreSQL's text holds no NUL

    def indexes(self, value: str) -> list[str]:
        return [self.index(value)]


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
    today = app.clock.now().date()  # the documents are made on the day they are recorded
    for case_id in ids:
        for kind in ("risk_analysis", "safety_plan"):
            service.record(app, case_id, kind, example(kind, today), actor=ACTOR)
    return app, ids


def _overdue_page(app: App) -> None:
    later = app.clock.now() + timedelta(days=120)  # every case has late timers and steps
    for _ in range(PAGE_CALLS):
        service.overdue(app, service.OverdueQuery(at=later), limit=100, actor=ACTOR)


def timed(url: str, n_cases: int, sealed: bool) -> tuple[float, float]:
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


def _cipher_alone() -> list[Result]:
    """Sealing and opening one 1 kB value, and one keyed hash, with nothing around them."""
    cipher = _app_cipher()
    sealed = cipher.seal(VALUE, b"documents.data|case|kind|1")
    work = {
        "seal 1 kB": lambda: cipher.seal(VALUE, b"documents.data|case|kind|1"),
        "open 1 kB": lambda: cipher.open(sealed, b"documents.data|case|kind|1", "bench"),
        "keyed hash of a reference": lambda: cipher.index("shelter-north\x00CLIENT-17"),
    }
    n = 20_000
    results = []
    for what, job in work.items():
        took = median_time(lambda j=job: _times(j, n), 3)
        results.append(Result("encryption", f"AES-GCM alone: {what}", took, f"{n:,} calls",
                              took / n))  # fmt: skip
    return results


def _times(job: Callable[[], object], n: int) -> None:
    for _ in range(n):
        job()


def _app_cipher() -> Cipher:
    return Cipher(parse_keys(BENCH_KEYS, "bench"))


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (100, 3) if quick else (1_000, 3)
    n = n_cases * TRIGGERS_PER_CASE
    results = _cipher_alone()
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():

            def url(f: Callable[[str], str] = fresh) -> str:
                return f(uuid.uuid4().hex)

            fire: dict[bool, list[float]] = {True: [], False: []}
            page: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(repeats):  # interleaved, so that drift hits both alike
                for sealed in (False, True):
                    fired, paged = timed(url(), n_cases, sealed)
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
