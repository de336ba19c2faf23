"""Benchmark 6: cold start. Loading and checking the workflow file and building its machine
in this process, and `safe-future case show` as a whole new process (Python's start-up and
imports included), against `python -c pass` as the floor of any Python command."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import Result
from engine.states import Workflow

SAFE_FUTURE = Path(sys.executable).with_name("safe-future")


def _process(args: list[str], env_db: str) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env={"SAFE_FUTURE_DB": env_db})
    return time.perf_counter() - started


def run(quick: bool) -> list[Result]:
    repeats = 3 if quick else 10
    loads = []
    for _ in range(repeats):
        started = time.perf_counter()
        Workflow.load()
        loads.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'cold.db'}"
        subprocess.run([str(SAFE_FUTURE), "init-db"], check=True, capture_output=True,
                       env={"SAFE_FUTURE_DB": db})  # fmt: skip
        opened = subprocess.run(
            [str(SAFE_FUTURE), "case", "open", "--client", "C-1", "--org", "bench",
             "--kind", "trafficking", "--intake", "2026-01-05", "--json"],
            check=True, capture_output=True, text=True, env={"SAFE_FUTURE_DB": db},
        )  # fmt: skip
        case_id = json.loads(opened.stdout)["id"]
        show = [str(SAFE_FUTURE), "case", "show", case_id, "--json"]
        floor = [sys.executable, "-c", "pass"]
        shows = [_process(show, db) for _ in range(repeats)]
        floors = [_process(floor, db) for _ in range(repeats)]
    load, whole, bare = (statistics.median(x) for x in (loads, shows, floors))
    return [
        Result("coldstart", "load, check and build the workflow", load, "once"),
        Result("coldstart", "safe-future case show (new process)", whole, "once",
               ratio=whole / bare),
        Result("coldstart", "baseline: python -c pass", bare, "once"),
    ]  # fmt: skip
