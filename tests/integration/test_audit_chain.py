"""The hash chain of each case's events and audit rows: an intact database verifies, and the
security review's tampering (finding 5), done with plain SQL, is named case by case and seq by
seq; rows already there when the chain arrived are chained by the migration."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import text, update

from engine import audit, service
from engine.bootstrap import App
from engine.store import create_schema
from engine.store._tables import documents
from tests.support import ACTOR, CaseDriver
from tests.workers import audit_reads

SPAWN = multiprocessing.get_context("spawn")


def _sql(app: App, statement: str, **params: Any) -> int:
    with app.db.begin() as conn:
        return conn.execute(text(statement), params).rowcount


def _broken(app: App, case_id: str | None = None) -> list[tuple[str, int, str]]:
    report = audit.verify(app, case_id, actor="cli:auditor")
    assert report["ok"] is not report["broken"]
    return [(b["case_id"], b["seq"], b["what"]) for b in report["broken"]]


def _history(case: CaseDriver, client: str = "A-1") -> str:
    """A case with events, two documents, triggers and reads: its id."""
    case.open(client=client)
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    service.show(case.app, case.id, actor="person:anna")
    service.document(case.app, case.id, "risk_analysis", actor="person:anna")
    service.timeline(case.app, case.id, actor="person:anna")
    return case.id


def test_an_untouched_database_verifies(case: CaseDriver) -> None:
    """Events, documents, reads, refusals and list reads leave every chain intact."""
    case_id = _history(case)
    case.refused("choose_return")
    report = audit.verify(case.app, actor="cli:auditor")
    assert {"ok": True, "broken": []} == {k: report[k] for k in ("ok", "broken")}
    events = _sql(case.app, "UPDATE events SET hash = hash WHERE case_id = :c", c=case_id)
    audits = _sql(case.app, "UPDATE audit SET hash = hash WHERE case_id = :c", c=case_id)
    assert events + audits == report["checked"]


def test_a_changed_audit_actor_is_named(case: CaseDriver) -> None:
    """update audit set actor=… breaks exactly that row's link."""
    case_id = _history(case)
    _sql(case.app, "UPDATE audit SET actor = 'person:nobody' WHERE case_id = :c AND seq = 2",
         c=case_id)  # fmt: skip
    assert [(case_id, 2, "audit row changed (hash does not match)")] == _broken(case.app)


def test_deleted_reads_are_named(case: CaseDriver) -> None:
    """Deleting the document reads leaves a gap the verify names by seq."""
    case_id = _history(case)
    read = "SELECT seq FROM audit WHERE case_id = :c AND action LIKE 'read:document%'"
    with case.app.db.connect() as conn:
        (seq,) = conn.execute(text(read), {"c": case_id}).scalars()
    _sql(case.app, "DELETE FROM audit WHERE action LIKE 'read:document%'")
    assert [
        (case_id, seq, f"audit row {seq} missing"),
        (case_id, seq + 1, "audit row does not chain to the one before it (hash does not match)"),
    ] == _broken(case.app)


def test_a_rewritten_event_is_named(case: CaseDriver) -> None:
    """Rewriting an event's actor and data breaks that event's link."""
    case_id = _history(case)
    _sql(case.app, "UPDATE events SET actor = 'person:ghost' WHERE case_id = :c AND seq = 1",
         c=case_id)  # fmt: skip
    assert [(case_id, 1, "event changed (hash does not match)")] == _broken(case.app, case_id)
    _sql(case.app, "UPDATE events SET actor = :a WHERE case_id = :c AND seq = 1",
         a=ACTOR, c=case_id)  # fmt: skip
    assert [] == _broken(case.app, case_id)
    _sql(case.app, """UPDATE events SET data = '{"version": 99}' WHERE case_id = :c AND seq = 1""",
         c=case_id)  # fmt: skip
    assert [(case_id, 1, "event changed (hash does not match)")] == _broken(case.app, case_id)


def test_an_edited_document_breaks_its_record_event(case: CaseDriver) -> None:
    """A document's data edited in the database shows as its record event's broken link."""
    case_id = _history(case)
    doc = service.document(case.app, case_id, "risk_analysis", actor="cli:t")
    edited = {**doc["data"], "threat_level": "none"}  # sealed properly: someone with the key
    sealed = case.app.uow.codec.document(case_id, "risk_analysis", doc["version"], edited)
    with case.app.db.begin() as conn:
        seq = conn.execute(
            update(documents)
            .where(documents.c.case_id == case_id, documents.c.kind == "risk_analysis")
            .values(data=sealed)
            .returning(documents.c.seq)
        ).scalar_one()
    assert [(case_id, seq, "event changed (hash does not match)")] == _broken(case.app)


def test_a_deleted_last_event_shows_at_the_head(case: CaseDriver) -> None:
    """Cutting the last event off the log is seen: the case's head names a later seq."""
    case_id = _history(case)
    last = _sql(case.app, "DELETE FROM events WHERE case_id = :c AND seq = "
                "(SELECT MAX(seq) FROM events WHERE case_id = :c)", c=case_id)  # fmt: skip
    with case.app.db.connect() as conn:
        head = conn.execute(text("SELECT seq FROM cases WHERE id = :c"), {"c": case_id}).scalar()
    assert 1 == last
    assert [(case_id, head, f"event {head} missing at the end")] == _broken(case.app)


def test_deleted_last_audit_rows_show_at_the_head(case: CaseDriver) -> None:
    """Cutting the newest audit rows off is seen against the audit chain's head."""
    case_id = _history(case)
    with case.app.db.connect() as conn:
        head = conn.execute(
            text("SELECT seq FROM audit_heads WHERE case_id = :c"), {"c": case_id}
        ).scalar_one()
    _sql(case.app, "DELETE FROM audit WHERE case_id = :c AND seq >= :s", c=case_id, s=head - 1)
    assert [(case_id, head - 1, f"audit rows {head - 1}-{head} missing at the end")] == _broken(
        case.app
    )


def test_the_review_tampering_names_each_case_and_seq(case: CaseDriver) -> None:
    """The review's repro on one case of two: only that case is named, each break by seq."""
    other = CaseDriver(case.app, case.clock)
    _history(other, "A-2")
    case_id = _history(case)
    _sql(case.app, "UPDATE audit SET actor = 'person:nobody' WHERE case_id = :c", c=case_id)
    _sql(case.app, "UPDATE events SET actor = 'person:ghost' WHERE case_id = :c AND seq = 1",
         c=case_id)  # fmt: skip
    broken = _broken(case.app)
    assert {case_id} == {b[0] for b in broken}
    with case.app.db.connect() as conn:
        n_audit = conn.execute(
            text("SELECT COUNT(*) FROM audit WHERE case_id = :c"), {"c": case_id}
        ).scalar_one()
    assert [1, *range(1, n_audit + 1)] == [b[1] for b in broken]
    assert [] == _broken(case.app, other.id)


def test_the_migration_chains_the_rows_already_there(case: CaseDriver) -> None:
    """A database from before the chain (revision 0003) gets its history chained on upgrade,
    with the same hashes the engine writes, and verifies."""
    from alembic import command

    from engine.store._migrations import _config

    case_id = _history(case)
    with case.app.db.connect() as conn:
        before = conn.execute(text("SELECT seq, hash FROM events ORDER BY seq")).all()
        audit_before = conn.execute(text("SELECT seq, hash FROM audit ORDER BY id")).all()
    config = _config()
    with case.app.db.connect() as conn:
        if conn.dialect.name == "sqlite":  # tables are copied: as migrate() does, keys off
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with conn.begin():
            config.attributes["connection"] = conn
            config.attributes["codec"] = case.app.uow.codec  # 0006 opens the sealed rows
            command.downgrade(config, "0003")
    create_schema(case.app.db, case.app.uow.codec)
    with case.app.db.connect() as conn:
        assert before == conn.execute(text("SELECT seq, hash FROM events ORDER BY seq")).all()
        assert audit_before == conn.execute(text("SELECT seq, hash FROM audit ORDER BY id")).all()
    assert [] == _broken(case.app)
    case.fire("evaluate")
    service.show(case.app, case_id, actor="person:anna")
    assert [] == _broken(case.app)


def test_audit_show_says_who_read_or_changed_the_case_without_contents(case: CaseDriver) -> None:
    """The trail lists each read and change by seq, with who and when, and no contents;
    reading it is itself in the trail."""
    case_id = _history(case)
    rows = audit.trail(case.app, case_id, actor="cli:auditor")
    assert [
        "open", "record:risk_analysis", "record:safety_plan", "fire:complete", "read",
        "read:document:risk_analysis", "read:timeline",
    ] == [r["action"] for r in rows]  # fmt: skip
    assert list(range(1, 8)) == [r["seq"] for r in rows]
    assert {"seq", "at", "actor", "action"} == set(rows[0])
    assert "read:audit" == audit.trail(case.app, case_id, actor="cli:auditor")[-1]["action"]


def test_concurrent_writers_do_not_fork_a_chain(
    case: CaseDriver, db_url: str, key_file: Path
) -> None:
    """Two processes changing and reading the same cases at once (PostgreSQL: truly in
    parallel) leave each chain whole: every seq once, every link intact."""
    other = CaseDriver(case.app, case.clock)
    ids = [_history(case), _history(other, "A-2")]
    workers = [
        SPAWN.Process(target=audit_reads, args=((db_url, str(key_file)), ids, 40, f"person:w{n}"))
        for n in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [0, 0] == [w.exitcode for w in workers]
    report = audit.verify(case.app, actor="cli:auditor")
    assert (True, []) == (report["ok"], report["broken"])
    with case.app.db.connect() as conn:
        counts = conn.execute(
            text("SELECT case_id, COUNT(*), MAX(seq) FROM audit GROUP BY case_id")
        ).all()
    assert {(c, n, n) for c, n, _ in counts} == set(counts)
    with case.app.db.connect() as conn:
        assigned = conn.execute(
            text("SELECT COUNT(*) FROM events WHERE trigger = 'assign_counsellor'")
        ).scalar_one()
    # each case's history (7 rows); per worker and round one show and two list reads; and
    # one audit row per reassignment that was saved
    assert (True, 2 * 7 + 2 * 40 * 3 + assigned) == (assigned > 0, sum(n for _, n, _ in counts))
