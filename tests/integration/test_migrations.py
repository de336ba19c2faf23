"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike: a new database
gets exactly the tables the code expects, and running the upgrade again keeps every case."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import insert, text

from engine import service
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.logs import configure_logging
from engine.settings import Settings
from engine.states import Workflow
from engine.store import create_schema
from engine.store._migrations import current_revision, drift, migrate
from engine.store._tables import organisations
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
    settings: Settings, workflow: Workflow, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database at 0003 whose hand-overs and consents name partners by display name: a name
    matching exactly one partner organisation becomes its id; an ambiguous, unknown or
    non-partner name is kept unchanged and reported (never guessed); the events keep what was
    typed then."""
    app = bootstrap(settings, clock=clock, workflow=workflow, configure_logs=False)
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
        facts = {k: _json(v) for k, v in conn.execute(text("SELECT id, facts FROM cases"))}
        consents = {k: _json(v) for k, v in conn.execute(
            text("SELECT case_id, data FROM documents WHERE kind = 'consent'")
        )}  # fmt: skip
        typed = conn.execute(text("SELECT data FROM events WHERE trigger = 'depart'")).scalars()
        assert {str(_json(d)["partner_organisation"]) for d in typed} == set(LEGACY_PARTNERS)
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
    """A case as schema 0003 stored it (in clear, before encryption), with a hand-over and
    consent naming the partner in free text."""
    case_id = f"case-{client}"
    now = app.clock.now()
    with app.db.begin() as conn:
        conn.execute(text(
            "INSERT INTO cases (id, client_ref, organisation, kind, intake_on, state, "
            "residence_state, closed, state_entered_seq, state_entered_at, seq, facts, "
            "opened_at, workflow, version) VALUES (:id, :ref, 'shelter-a', 'trafficking', "
            "'2026-01-05', 'reint_basic_needs', 'no_status', false, 2, :now, 2, :facts, "
            ":now, 'safe_future@1', 2)"
        ), {"id": case_id, "ref": client, "now": now,
            "facts": json.dumps({"handover_partner": partner})})  # fmt: skip
        consent = {"given_on": "2026-01-05", "handover_to_partner": True,
                   "partner_organisation": partner, "share_documents": ["return_plan"]}  # fmt: skip
        conn.execute(text(
            "INSERT INTO documents (case_id, kind, version, data, seq, actor, happened_at, "
            "recorded_at) VALUES (:id, 'consent', 1, :data, 2, 'cli:t', :now, :now)"
        ), {"id": case_id, "data": json.dumps(consent), "now": now})  # fmt: skip
        conn.execute(text(
            "INSERT INTO events (case_id, seq, track, trigger, from_state, to_state, actor, "
            "happened_at, recorded_at, data) VALUES (:id, 2, 'care', 'depart', 'departure', "
            "'reint_basic_needs', 'cli:t', :now, :now, :data)"
        ), {"id": case_id, "now": now,
            "data": json.dumps({"partner_organisation": partner})})  # fmt: skip
    return case_id


def _json(value: object) -> Any:
    """A JSON column as read back in clear: a dict (PostgreSQL) or its text (SQLite)."""
    return value if isinstance(value, dict) else json.loads(str(value))
