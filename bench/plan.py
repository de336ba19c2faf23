"""The query plans of the coordinator's overdue list on a database of 100,000 open cases:
`python -m bench.plan [--db URL] [--cases N]`. Prints, for one region's first page and its
counts, the SQL the engine runs and PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of it. The
README's operations section quotes its output."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, func, select, text

from bench._harness import PG_URL, bench_codec, fresh_pg
from bench.dataset import fill
from bench.overdue import BASELINE
from engine.states import Workflow
from engine.store import create_schema
from engine.store._repository import CaseRepository, OverdueFilter
from engine.store._tables import organisations

TODAY = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=PG_URL)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=100, help="rows on the first page")
    parser.add_argument("--reuse", action="store_true", help="keep the filled database")
    args = parser.parse_args()
    db = create_engine(args.db)
    if not args.reuse:
        if fresh_pg(args.db) is None:
            raise SystemExit(f"no PostgreSQL answers at {args.db}")
        create_schema(db)
        started = datetime.now(UTC)
        data = fill(db, Workflow.load(), args.cases, today=TODAY, codec=bench_codec())
        seconds = (datetime.now(UTC) - started).total_seconds()
        print(f"-- {data.cases} open cases, {data.timers} timers (filled in {seconds:.0f} s)")
    create_schema(db)  # a database filled before an index was added gets it now
    # As autovacuum leaves a settled database: statistics and the visibility map up to date.
    with db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    with db.connect() as conn:
        regions = conn.execute(
            select(organisations.c.id).where(organisations.c.kind == "region").order_by("id")
        ).scalars().all()  # fmt: skip
    region = regions[len(regions) // 2]
    with db.connect() as conn:
        pending = conn.execute(text("SELECT count(*) FROM timers WHERE status = 'pending'"))
        print(f"-- {pending.scalar()} pending timers; the coordinator of {region}")
        repo = CaseRepository(conn, bench_codec())
        shelters = repo.organisations_in(region)
        filters = OverdueFilter(organisations=frozenset(shelters))  # a coordinator's page
        page, *counts = repo.overdue_statements(TODAY, filters, args.limit)
        statements = [("first page", page), ("counts per shelter, timers", counts[0]),
                      ("counts per shelter, steps", counts[1])]  # fmt: skip
        baseline = BASELINE.bindparams(
            last=TODAY - timedelta(days=1), orgs=sorted(shelters), page=args.limit
        )
        statements.append(("baseline of bench/overdue.py: the same rows in one query", baseline))
        for title, statement in statements:
            sql = statement.compile(db, compile_kwargs={"literal_binds": True})
            print(f"\n-- {title}\n{sql};\n")
            for _ in range(3):  # warm the cache; the last run is printed
                plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").scalars().all()
            print("\n".join(plan))
        print(f"\n-- {conn.execute(select(func.version())).scalar()}")
    db.dispose()


if __name__ == "__main__":
    main()
