"""Timing, the results table and the JSON file: every benchmark reports medians, and each
engine figure beside its baseline measured in the same run."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from engine.crypto import Cipher, parse_keys
from engine.settings import Settings
from engine.store._codec import Codec

PG_URL = os.environ.get(
    "SAFE_FUTURE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
)
# The benchmarks' one key, the same in every process they spawn: made from a constant, so it
# protects nothing; it only makes the engine seal as it does with a real key.
BENCH_KEYS = "bench:" + base64.urlsafe_b64encode(hashlib.sha256(b"bench").digest()).decode()


def settings(url: str) -> Settings:
    """The engine's settings for a benchmark database."""
    return Settings(db=url, keys=SecretStr(BENCH_KEYS))


def bench_codec() -> Codec:
    """The codec the engine uses with the benchmarks' key, for rows written in bulk."""
    return Codec(Cipher(parse_keys(BENCH_KEYS, "bench")))


@dataclass
class Result:
    bench: str  # which benchmark (transitions, overdue, …)
    what: str  # the row: "engine, sqlite", "baseline: bare Core, sqlite"
    median: float  # seconds per repetition
    unit: str  # what one repetition is ("20,000 triggers", "one page")
    per_item: float | None = None  # seconds per item (per trigger, per reminder)
    ratio: float | None = None  # engine / baseline, where a baseline exists
    target: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # shown after the target in the table


def median_time(run: Callable[[], object], repeats: int = 1) -> float:
    """The median wall time of `repeats` runs of `run`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fresh_pg(url: str = PG_URL) -> str | None:
    """An empty PostgreSQL database at `url` (created if missing), or None when no server
    answers: the PostgreSQL rows are then left out, not failed."""
    parsed = make_url(url)
    if "bench" not in (parsed.database or ""):  # it is emptied: never a database in use
        raise SystemExit(f"refusing to empty {parsed.database!r}: its name must say 'bench'")
    try:
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).scalar()
            if not found:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    except OperationalError:  # no server answers here
        return None
    db = create_engine(url)
    with db.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    db.dispose()
    return url


def databases(folder: Path) -> dict[str, Callable[[str], str]]:
    """Where each benchmark runs: for each backend, a function giving the URL of a fresh,
    empty database for a label (a new SQLite file in `folder` per label; the PostgreSQL
    database, emptied, on each call, when a server answers)."""
    found: dict[str, Callable[[str], str]] = {
        "sqlite": lambda label: f"sqlite:///{folder / label}.db"
    }
    if fresh_pg() is not None:
        found["postgresql"] = lambda _label: fresh_pg() or ""
    return found


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def table(results: list[Result]) -> str:
    head = f"{'benchmark':<12} {'what':<44} {'median':>10} {'per item':>10} {'ratio':>6}  target"
    lines = [head, "-" * len(head)]
    for r in results:
        per = f"{r.per_item * 1e3:.3f}ms" if r.per_item is not None else ""
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        median = f"{r.median:.3f}s" if r.median >= 1 else f"{r.median * 1e3:.2f}ms"
        lines.append(
            f"{r.bench:<12} {r.what:<44} {median:>10} {per:>10} {ratio:>6}  {r.target or ''}"
            f"{'  ' + r.note if r.note else ''}"
        )
    return "\n".join(lines)


def write(results: list[Result], path: Path, *, quick: bool) -> None:
    body = {"quick": quick, "machine": machine(), "results": [asdict(r) for r in results]}
    path.write_text(json.dumps(body, indent=2, default=str) + "\n")
