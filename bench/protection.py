"""Benchmark 9: what issue 11's protections cost together, per trigger and on the overdue
page: the engine as shipped (AES-GCM at rest and the hash chain) against the same engine with
the plaintext stand-in of bench/encryption.py and the chain switched off as bench/chain.py does,
interleaved in one run, on cases that hold a risk analysis and a safety plan. Target: the fire
path within 1.25x of the unprotected engine."""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import uuid
from pathlib import Path

from bench import chain, encryption
from bench._harness import Result, databases
from bench.transitions import TRIGGERS_PER_CASE


def _timed(url: str, n_cases: int, protected: bool) -> tuple[float, float]:
    """Seconds for the triggers and for the overdue pages, with or without both protections."""
    with contextlib.nullcontext() if protected else chain.unchained():
        return encryption.timed(url, n_cases, sealed=protected)


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (100, 3) if quick else (1_000, 3)
    n = n_cases * TRIGGERS_PER_CASE
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():
            fire: dict[bool, list[float]] = {True: [], False: []}
            page: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(repeats):  # interleaved, so that drift hits both alike
                for protected in (False, True):
                    fired, paged = _timed(fresh(uuid.uuid4().hex), n_cases, protected)
                    fire[protected].append(fired)
                    page[protected].append(paged)
            f_on, f_off = statistics.median(fire[True]), statistics.median(fire[False])
            p_on, p_off = statistics.median(page[True]), statistics.median(page[False])
            calls = encryption.PAGE_CALLS
            results += [
                Result("protection", f"fire, sealed and chained, {name}", f_on,
                       f"{n:,} triggers", f_on / n, f_on / f_off, "≤ 1.25",
                       note="vs neither, same run"),
                Result("protection", f"fire, neither, {name}", f_off, f"{n:,} triggers",
                       f_off / n),
                Result("protection", f"overdue page, sealed and chained, {name}", p_on / calls,
                       "one page", None, p_on / p_off),
                Result("protection", f"overdue page, neither, {name}", p_off / calls,
                       "one page"),
            ]  # fmt: skip
    return results
