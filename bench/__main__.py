"""Run the benchmarks: `python -m bench [--quick] [--only NAME …] [--out FILE]`.

Prints one table of medians with each engine figure's ratio to its baseline measured in the
same run, and writes the results with the machine's description to a JSON file. PostgreSQL
rows need a server at SAFE_FUTURE_BENCH_PG (default: the `bench` database on 127.0.0.1:5432,
which is emptied); without one they are left out. Nothing is asserted: see docs/performance.md
for the targets and the numbers of a full run."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    chain,
    coldstart,
    encryption,
    overdue,
    peer,
    per_case,
    protection,
    reminders,
    socialmap,
    transitions,
)
from bench._harness import Result, table, write
from engine.logs import configure_logging

BENCHMARKS: dict[str, Callable[[bool], list[Result]]] = {
    "transitions": transitions.run,
    "per-case": per_case.run,
    "overdue": overdue.run,
    "reminders": reminders.run,
    "peer": peer.run,
    "coldstart": coldstart.run,
    "encryption": encryption.run,
    "chain": chain.run,
    "protection": protection.run,
    "socialmap": socialmap.run,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--out", type=Path, default=None, help="default bench/results[-quick].json")
    args = parser.parse_args()
    configure_logging("WARNING")
    out = args.out or Path(__file__).parent / f"results{'-quick' if args.quick else ''}.json"
    results: list[Result] = []
    started = time.perf_counter()
    for name in args.only or list(BENCHMARKS):
        print(f"… {name}", flush=True)
        results.extend(BENCHMARKS[name](args.quick))
        write(results, out, quick=args.quick)  # what is done is kept if a later one fails
    print()
    print(table(results))
    print(f"\n{len(results)} rows in {time.perf_counter() - started:.0f} s; written to {out}")


if __name__ == "__main__":
    main()
