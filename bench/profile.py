"""Where the engine's time goes in the transitions benchmark, as pyinstrument's call tree:
`python -m bench.profile [--db sqlite|postgresql] [--cases N]`.

The same loop as `bench/transitions.py` (each case takes the ten triggers of its residence
track, one transaction each), sampled every 0.2 ms. Read the tree top-down: the commit, the
save's statements and the audit row are what the bare baseline also pays; the read, the
workflow (`Workflow.fire`) and the answer (`case_view`) are the engine's own."""

from __future__ import annotations

import argparse
import tempfile
import uuid
from pathlib import Path

from pyinstrument import Profiler

from bench._harness import databases
from bench.transitions import engine_app, fire_all, open_cases
from engine.logs import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cases", type=int, default=500, help="cases, ten triggers each")
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = databases(Path(tmp)).get(args.db)
        if fresh is None:
            raise SystemExit(f"no {args.db} database here (see SAFE_FUTURE_BENCH_PG)")
        app = engine_app(fresh(uuid.uuid4().hex))
        ids = open_cases(app, args.cases)
        profiler = Profiler(interval=0.0002)
        profiler.start()
        fire_all(app, ids)
        profiler.stop()
        app.db.dispose()
    print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
