"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike: a new database
gets exactly the tables the code expects, and running the upgrade again keeps every case."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import insert, select, update

from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.logs import configure_logging
from engine.settings import Settings
from engine.states import Workflow
from engine.store import create_schema
from engine.store._migrations import current_revision, drift, migrate
from engine.store._tables import cases, documents, events, organisations
from tests.support import CaseDriver


def test_the_migrations_build_exactly_the_schema_the_code_expects(app: App) -> None:
    """No table, column, index or type differs between the migrated database and the code
    (a change to the tables without a migration fails here)."""
    assert [] == drift(app.db)
    assert current_revision(app.db) is not None


def test_upgrading_again_keeps_every_case(case: CaseDriver) -> None:
    """`init-db` on a database in use changes nothing and loses nothing."""
    case.open()
    before = service.show(case.app, case.id, actor="t")
    revision = current_revision(case.app.db)
    assert revision == create_schema(case.app.db)
    assert before == service.show(case.app, case.id, actor="t")


# Stored partner values before 0004 (free text), and what 0004 makes of them: the id of the
# one partner organisation of that name, or unchanged and reported with the reason.
LEGACY_PARTNERS = {
    "  example partner FOUNDATION ": ("partner-x", None),
    "partner-x": ("partner-x", None),
    "Twin": ("Twin", "2 organisations have this name"),
    "Shelter A": ("Shelter A", "the organisation of this name is not a partner"),
    "Nobody Foundation": ("Nobody Foundation", "no organisation has this id or name"),
}


def test_0004_maps_partner_names_to_ids_and_reports_what_it_cannot(
    db_url: str, workflow: Workflow, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database at 0003 whose hand-overs and consents name partners by display name: a name
    matching exactly one partner organisation becomes its id; an ambiguous, unknown or
    non-partner name is kept unchanged and reported (never guessed); the events keep what was
    typed then."""
    app = bootstrap(Settings(db=db_url), clock=clock, workflow=workflow, configure_logs=False)
    migrate(app.db, "0003")
    with app.db.begin() as conn:
        conn.execute(insert(organisations), [
            {"id": "noord", "kind": "region", "name": "Regio Noord", "region": None},
            {"id": "shelter-a", "kind": "shelter", "name": "Shelter A", "region": "noord"},
            {"id": "partner-x", "kind": "partner", "name": "Example Partner Foundation",
             "region": None},
            {"id": "partner-t1", "kind": "partner", "name": "Twin", "region": None},
            {"id": "partner-t2", "kind": "partner", "name": "twin ", "region": None},
        ])  # fmt: skip
    ids = {}
    for n, legacy in enumerate(LEGACY_PARTNERS):
        ids[legacy] = _case_handed_to(app, f"C-{n}", legacy)
    configure_logging("WARNING")  # onto the captured standard error
    assert "0004" == migrate(app.db, "0004")
    with app.db.connect() as conn:
        facts = dict(conn.execute(select(cases.c.id, cases.c.facts)).all())
        consents = dict(conn.execute(
            select(documents.c.case_id, documents.c.data).where(documents.c.kind == "consent")
        ).all())  # fmt: skip
        typed = conn.execute(select(events.c.data).where(events.c.trigger == "depart")).scalars()
        assert {str(d["partner_organisation"]) for d in typed} == set(LEGACY_PARTNERS)
    reported = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    for legacy, (mapped, reason) in LEGACY_PARTNERS.items():
        case_id = ids[legacy]
        assert (mapped, mapped) == (
            facts[case_id]["handover_partner"],
            consents[case_id]["partner_organisation"],
        )
        why = {r["reason"] for r in reported
               if r["event"] == "partner_not_mapped" and r["case_id"] == case_id}  # fmt: skip
        assert (set() if reason is None else {reason}) == why
    app.db.dispose()


def _case_handed_to(app: App, client: str, partner: str) -> str:
    """A case opened through the service, then given a hand-over and consent as 0003 stored
    them: free text."""
    view = service.open_case(
        app,
        client_ref=client,
        organisation="shelter-a",
        kind="trafficking",
        intake_on=date(2026, 1, 5),
        actor="cli:t",
    )
    now = app.clock.now()
    with app.db.begin() as conn:
        conn.execute(
            update(cases).where(cases.c.id == view["id"])
            .values(facts={"handover_partner": partner})
        )  # fmt: skip
        consent = {"given_on": "2026-01-05", "handover_to_partner": True,
                   "partner_organisation": partner, "share_documents": ["return_plan"]}  # fmt: skip
        conn.execute(insert(documents).values(
            case_id=view["id"], kind="consent", version=1, data=consent, seq=2, actor="cli:t",
            happened_at=now, recorded_at=now))  # fmt: skip
        conn.execute(insert(events).values(
            case_id=view["id"], seq=2, track="care", trigger="depart", from_state="departure",
            to_state="reint_basic_needs", actor="cli:t", happened_at=now, recorded_at=now,
            data={"partner_organisation": partner}))  # fmt: skip
    return str(view["id"])
