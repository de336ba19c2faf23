"""Benchmark 6: cold start. `safe-future case show` as a whole new process on an SQLite
database (Python's start-up, the imports, the workflow and the read), against
`python -c "import sqlalchemy"`, the least any command that reads the database pays; then what
the command imports, by `-X importtime`. Also loading and checking the workflow file in this
process, from its kept checked copy and from the file, and `python -c pass` as the floor of
any Python command."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench._harness import Result
from engine.states import Workflow, default_workflow_path, read_spec

SAFE_FUTURE = Path(sys.executable).with_name("safe-future")
TOP_IMPORTS = 12
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")


def _env(db: str, **extra: str) -> dict[str, str]:
    """A clean environment: the database, and the caller's PATH and PYTHONPATH (to measure
    another checkout of the engine with the same installation); no SAFE_FUTURE_ setting."""
    kept = {k: os.environ[k] for k in ("PATH", "PYTHONPATH") if k in os.environ}
    return {**kept, "SAFE_FUTURE_DB": db, **extra}


def _process(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def _package(module: str) -> str:
    """What an import belongs to: the top-level package, or `engine.<part>` for ours."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "engine" and len(parts) > 1 else parts[0]


def top_imports(stderr: str, count: int = TOP_IMPORTS) -> list[tuple[str, float]]:
    """The packages that cost most to import, from `-X importtime` output: for each package
    the cumulative time (its own modules and what they import) of its outermost import, in
    seconds, largest first. `engine.cli` itself, which holds everything, is left out."""
    cumulative: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found is None:
            continue
        package = _package(found[3])
        cumulative[package] = max(cumulative[package], int(found[2]) / 1e6)
    cumulative.pop("engine.cli", None)
    return sorted(cumulative.items(), key=lambda item: -item[1])[:count]


def _prepared(folder: Path) -> tuple[str, str]:
    """An SQLite database with one case: its URL and the case's id."""
    db = f"sqlite:///{folder / 'cold.db'}"
    subprocess.run([str(SAFE_FUTURE), "init-db"], check=True, capture_output=True, env=_env(db))
    opened = subprocess.run(
        [str(SAFE_FUTURE), "case", "open", "--client", "C-1", "--org", "bench",
         "--kind", "trafficking", "--intake", "2026-01-05", "--json"],
        check=True, capture_output=True, text=True, env=_env(db, SAFE_FUTURE_ACTOR="cli:bench"),
    )  # fmt: skip
    return db, json.loads(opened.stdout)["id"]


def run(quick: bool) -> list[Result]:
    repeats = 3 if quick else 10
    loads: list[float] = []
    checks: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        Workflow.load()  # the checked copy kept between processes (engine/states/_cache.py)
        loads.append(time.perf_counter() - started)
        started = time.perf_counter()
        Workflow(read_spec(default_workflow_path()))  # the file read and checked
        checks.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        db, case_id = _prepared(Path(tmp))
        env = _env(db, SAFE_FUTURE_ACTOR="cli:bench")
        show = [str(SAFE_FUTURE), "case", "show", case_id]
        baseline = [sys.executable, "-c", "import sqlalchemy"]
        floor = [sys.executable, "-c", "pass"]
        times: dict[str, list[float]] = {"show": [], "baseline": [], "floor": []}
        for _ in range(repeats):  # interleaved, so a busy moment hits each alike
            times["show"].append(_process(show, env))
            times["baseline"].append(_process(baseline, env))
            times["floor"].append(_process(floor, env))
        traced = subprocess.run(show, check=True, capture_output=True, text=True,
                                env={**env, "PYTHONPROFILEIMPORTTIME": "1"})  # fmt: skip
    load, check = statistics.median(loads), statistics.median(checks)
    whole, base, bare = (statistics.median(times[k]) for k in ("show", "baseline", "floor"))
    results = [
        Result("coldstart", "safe-future case show (new process)", whole, "once",
               ratio=whole / base, target="< 2 x import sqlalchemy"),
        Result("coldstart", 'baseline: python -c "import sqlalchemy"', base, "once"),
        Result("coldstart", "floor: python -c pass", bare, "once"),
        Result("coldstart", "load the workflow (its checked copy kept)", load, "once"),
        Result("coldstart", "read, check and build the workflow file", check, "once"),
    ]  # fmt: skip
    results.extend(
        Result("coldstart", f"  import {package}", seconds, "cumulative, -X importtime")
        for package, seconds in top_imports(traced.stderr)
    )
    return results
