"""Loading and saving cases. The only module that speaks SQL."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.engine import RowMapping

from engine.domain import Case, DocumentVersion, Event, Timer
from engine.errors import CaseNotFound, ConcurrentChange
from engine.store._tables import audit, cases, documents, events, timers


class CaseRepository:
    """Reads and writes cases inside one transaction (the caller's connection)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- reading ----------------------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        """The case with its latest documents and all its timers."""
        row = self.conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise CaseNotFound(f"no case {case_id}", [f"case: no case with id {case_id}"])
        case = _case_from_row(row)
        case.documents = self._latest_documents(case_id)
        wanted = select(timers).where(timers.c.case_id == case_id)
        case.timers = [
            _timer_from_row(r) for r in self.conn.execute(wanted.order_by(timers.c.id)).mappings()
        ]
        return case

    def _latest_documents(self, case_id: str) -> dict[str, DocumentVersion]:
        latest = (
            select(documents.c.kind, func.max(documents.c.version).label("version"))
            .where(documents.c.case_id == case_id)
            .group_by(documents.c.kind)
            .subquery()
        )
        query = select(documents).join(
            latest,
            and_(
                documents.c.case_id == case_id,
                documents.c.kind == latest.c.kind,
                documents.c.version == latest.c.version,
            ),
        )
        return {
            r["kind"]: DocumentVersion(
                r["kind"],
                r["version"],
                r["data"],
                r["seq"],
                r["actor"],
                r["happened_at"],
                r["recorded_at"],
            )
            for r in self.conn.execute(query).mappings()
        }

    def open_case_for(self, organisation: str, client_ref: str) -> str | None:
        """The id of an open case of this client at this organisation, if any."""
        found = self.conn.execute(
            select(cases.c.id).where(
                cases.c.organisation == organisation,
                cases.c.client_ref == client_ref,
                cases.c.closed.is_(False),
            )
        ).first()
        return None if found is None else str(found[0])

    def events(self, case_id: str) -> list[Event]:
        rows = self.conn.execute(
            select(events).where(events.c.case_id == case_id).order_by(events.c.seq)
        ).mappings()
        return [
            Event(
                r["seq"],
                r["track"],
                r["trigger"],
                r["from_state"],
                r["to_state"],
                r["actor"],
                r["happened_at"],
                r["recorded_at"],
                r["data"],
            )
            for r in rows
        ]

    def overdue_timers(self, today: date, organisation: str | None) -> list[dict[str, Any]]:
        query = (
            select(
                timers.c.case_id,
                timers.c.kind,
                timers.c.due_on,
                timers.c.due_at,
                cases.c.organisation,
                cases.c.state,
            )
            .join(cases, cases.c.id == timers.c.case_id)
            .where(timers.c.status == "pending", timers.c.due_on < today)
        )
        if organisation is not None:
            query = query.where(cases.c.organisation == organisation)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def overdue_steps(self, today: date, organisation: str | None) -> list[dict[str, Any]]:
        query = select(
            cases.c.id.label("case_id"),
            cases.c.step_due_on,
            cases.c.organisation,
            cases.c.state,
        ).where(cases.c.closed.is_(False), cases.c.step_due_on < today)
        if organisation is not None:
            query = query.where(cases.c.organisation == organisation)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    # -- writing ----------------------------------------------------------------------------

    def add(self, case: Case, *, workflow: str, closed: bool, step_due_on: date | None) -> None:
        self.conn.execute(
            insert(cases).values(
                id=case.id,
                client_ref=case.client_ref,
                organisation=case.organisation,
                kind=case.kind,
                intake_on=case.intake_on,
                opened_at=case.opened_at,
                workflow=workflow,
                version=1,
                **_mutable(case, closed, step_due_on),
            )
        )
        case.version = 1
        self._write_changes(case)

    def save(self, case: Case, *, closed: bool, step_due_on: date | None) -> None:
        """Write the case's changes; refuse if someone else saved it since it was read."""
        result = self.conn.execute(
            update(cases)
            .where(cases.c.id == case.id, cases.c.version == case.version)
            .values(version=case.version + 1, **_mutable(case, closed, step_due_on))
        )
        if result.rowcount != 1:
            raise ConcurrentChange(
                "the case was changed by someone else meanwhile; nothing was saved",
                ["case: reload the case and try again"],
            )
        case.version += 1
        self._write_changes(case)

    def _write_changes(self, case: Case) -> None:
        changes = case.changes
        if changes.events:
            self.conn.execute(
                insert(events), [{"case_id": case.id, **asdict(e)} for e in changes.events]
            )
        if changes.documents:
            self.conn.execute(
                insert(documents), [{"case_id": case.id, **asdict(d)} for d in changes.documents]
            )
        new = [t for t in changes.timers if t.id is None]
        if new:
            self.conn.execute(
                insert(timers),
                [
                    {
                        "case_id": case.id,
                        "kind": t.kind,
                        "due_on": t.due_on,
                        "due_at": t.due_at,
                        "status": t.status,
                        "started_seq": t.started_seq,
                        "closed_seq": t.closed_seq,
                        "remind_on": [d.isoformat() for d in t.remind_on],
                        "remind_from": min([*t.remind_on, t.due_on]),
                    }
                    for t in new
                ],
            )
        for t in changes.timers:
            if t.id is not None:
                self.conn.execute(
                    update(timers)
                    .where(timers.c.id == t.id)
                    .values(status=t.status, closed_seq=t.closed_seq)
                )
        changes.events.clear()
        changes.documents.clear()
        changes.timers.clear()

    def audit(self, case_id: str, actor: str, action: str, at: datetime) -> None:
        self.conn.execute(insert(audit).values(case_id=case_id, actor=actor, action=action, at=at))


def _mutable(case: Case, closed: bool, step_due_on: date | None) -> dict[str, Any]:
    return {
        "state": case.state,
        "residence_state": case.residence_state,
        "counsellor": case.counsellor,
        "closed": closed,
        "state_entered_seq": case.state_entered_seq,
        "state_entered_at": case.state_entered_at,
        "step_due_on": step_due_on,
        "seq": case.seq,
        "last_happened_at": case.last_happened_at,
        "facts": case.facts,
    }


def _case_from_row(row: RowMapping) -> Case:
    return Case(
        id=row["id"],
        client_ref=row["client_ref"],
        organisation=row["organisation"],
        kind=row["kind"],
        intake_on=row["intake_on"],
        state=row["state"],
        residence_state=row["residence_state"],
        opened_at=row["opened_at"],
        counsellor=row["counsellor"],
        state_entered_seq=row["state_entered_seq"],
        state_entered_at=row["state_entered_at"],
        seq=row["seq"],
        last_happened_at=row["last_happened_at"],
        facts=dict(row["facts"]),
        version=row["version"],
    )


def _timer_from_row(row: RowMapping) -> Timer:
    return Timer(
        kind=row["kind"],
        due_on=row["due_on"],
        due_at=row["due_at"],
        status=row["status"],
        started_seq=row["started_seq"],
        closed_seq=row["closed_seq"],
        remind_on=[date.fromisoformat(d) for d in row["remind_on"]],
        id=row["id"],
    )
