"""Benchmark 3: the coordinator's overdue list for one region, first page, on 100,000 open
cases with about a million timers, against the one indexed SQL query that returns the same
rows. The engine's figure includes what the service does around the query: the region's
shelters, the audit row of each listed case, and the items as the API gives them."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Date, Engine, Integer, String, bindparam, text

from bench._harness import Result, databases, median_time, settings
from bench.dataset import fill
from engine import service
from engine.access import Principal
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.store import create_schema

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PAGE = 100
# The same rows in one statement: both kinds of overdue item, most overdue first.
BASELINE = text("""
    SELECT case_id, kind, due_on FROM (
        SELECT * FROM (
            SELECT t.case_id, t.kind, t.due_on FROM timers t JOIN cases c ON c.id = t.case_id
             WHERE t.status = 'pending' AND t.due_on <= :last AND c.organisation IN :orgs
             ORDER BY t.due_on, t.case_id LIMIT :page) AS late_timers
        UNION ALL
        SELECT * FROM (
            SELECT c.id, 'step_overdue', c.step_due_on FROM cases c
             WHERE NOT c.closed AND c.step_due_on <= :last AND c.organisation IN :orgs
             ORDER BY c.step_due_on, c.id LIMIT :page) AS late_steps
    ) AS overdue ORDER BY due_on, case_id, kind LIMIT :page
""").bindparams(
    bindparam("orgs", expanding=True, type_=String),
    bindparam("last", type_=Date),
    bindparam("page", type_=Integer),
)


def _filled(url: str, n_cases: int) -> App:
    app = bootstrap(settings(url), clock=FixedClock(NOW), configure_logs=False)
    create_schema(app.db)
    fill(app.db, app.workflow, n_cases, today=NOW.date(), codec=app.uow.codec)
    if app.db.dialect.name == "postgresql":  # settled, as autovacuum leaves it
        with app.db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with app.db.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return app


def _baseline(db: Engine, shelters: list[str]) -> list[tuple[str, str, str]]:
    last = NOW.date() - timedelta(days=1)
    with db.connect() as conn:
        rows = conn.execute(BASELINE, {"last": last, "orgs": shelters, "page": PAGE})
        return [(r.case_id, r.kind, str(r.due_on)) for r in rows]


def run(quick: bool) -> list[Result]:
    n_cases, repeats = (10_000, 5) if quick else (100_000, 25)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fresh in databases(Path(tmp)).items():
            app = _filled(fresh("overdue"), n_cases)
            region = "region-00"
            with app.db.connect() as conn:
                shelters = list(conn.execute(
                    text("SELECT id FROM organisations WHERE region = :r"), {"r": region}
                ).scalars())  # fmt: skip
            coordinator = Principal("zc", "coordinator", region, "person", region.title())

            def page(who: Principal = coordinator, a: App = app) -> list[dict[str, object]]:
                return service.overdue(a, limit=PAGE, actor=who)

            same = [(i["case_id"], i["kind"], i["due_on"]) for i in page()]
            if same != _baseline(app.db, shelters):
                raise SystemExit("overdue: the engine and the baseline disagree on the rows")
            median_time(page, 3)  # warm both
            eng = median_time(page, repeats)
            base = median_time(lambda a=app, s=shelters: _baseline(a.db, s), repeats)
            # The same list without writing the audit rows (a durable commit): what the read
            # itself costs. Not a path the service offers a person; it shows the audit's share.
            unaudited = median_time(
                lambda a=app, r=region: service.overdue(a, service.OverdueQuery(region=r),
                                                        limit=PAGE),
                repeats,
            )  # fmt: skip
            counts = median_time(
                lambda a=app, who=coordinator: service.overdue_counts(a, actor=who), repeats
            )
            what = f"{n_cases:,} cases, page of {PAGE}"
            results += [
                Result("overdue", f"engine, {name}", eng, what, ratio=eng / base,
                       target="≤ 1.5, < 100 ms"),
                Result("overdue", f"engine, read only (no audit rows), {name}", unaudited, what,
                       ratio=unaudited / base),
                Result("overdue", f"baseline: one indexed query, {name}", base, what),
                Result("overdue", f"engine counts per shelter, {name}", counts, what),
            ]  # fmt: skip
            app.db.dispose()
    return results
