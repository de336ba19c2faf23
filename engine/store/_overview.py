"""The statements of the coordinator's overview: which document kinds cases have recorded,
deadlines coming up, cases without a counsellor and open cases per step and shelter. They
read ids, kinds, states and days only: no client reference, no document contents."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, literal, select, union_all

from engine.store._tables import cases, documents, timers


def recorded_kinds(
    conn: Connection, case_ids: Collection[str]
) -> dict[str, tuple[int, dict[str, int]]]:
    """Per case: the sequence number its current step began at, and the document kinds it
    has recorded with the sequence number of each kind's latest version (one statement)."""
    if not case_ids:
        return {}
    query = (
        select(cases.c.id, cases.c.state_entered_seq, documents.c.kind, func.max(documents.c.seq))
        .select_from(cases.outerjoin(documents, documents.c.case_id == cases.c.id))
        .where(cases.c.id.in_(sorted(case_ids)))
        .group_by(cases.c.id, cases.c.state_entered_seq, documents.c.kind)
    )
    found: dict[str, tuple[int, dict[str, int]]] = {}
    for case_id, entered, kind, seq in conn.execute(query):
        kinds = found.setdefault(case_id, (entered, {}))[1]
        if kind is not None:
            kinds[kind] = seq
    return found


def _scoped(query: Any, organisations: frozenset[str] | None) -> Any:
    if organisations is None:
        return query
    return query.where(cases.c.organisation.in_(sorted(organisations)))


def upcoming(
    conn: Connection, first: date, last: date, organisations: frozenset[str] | None, limit: int
) -> list[dict[str, Any]]:
    """Pending deadlines and open steps' expected ends due from `first` to `last` (both
    included) in open cases, soonest first."""
    columns = (cases.c.organisation, cases.c.counsellor, cases.c.state)
    timer_q = _scoped(
        select(timers.c.case_id, timers.c.kind, timers.c.due_on, *columns)
        .join(cases, cases.c.id == timers.c.case_id)
        .where(
            timers.c.status == "pending",
            timers.c.due_on >= first,
            timers.c.due_on <= last,
            cases.c.closed.is_(False),
        ),
        organisations,
    )
    step_q = _scoped(
        select(
            cases.c.id.label("case_id"),
            literal("step_overdue").label("kind"),
            cases.c.step_due_on.label("due_on"),
            *columns,
        ).where(
            cases.c.closed.is_(False), cases.c.step_due_on >= first, cases.c.step_due_on <= last
        ),
        organisations,
    )
    merged = union_all(timer_q, step_q).subquery()
    query = select(merged).order_by(merged.c.due_on, merged.c.case_id, merged.c.kind).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def without_counsellor(
    conn: Connection, organisations: frozenset[str] | None, limit: int
) -> list[dict[str, Any]]:
    """Open cases no counsellor is assigned to, the longest waiting first."""
    query = _scoped(
        select(
            cases.c.id.label("case_id"), cases.c.organisation, cases.c.state,
            cases.c.intake_on, cases.c.opened_at,
        ).where(cases.c.closed.is_(False), cases.c.counsellor.is_(None)),
        organisations,
    )  # fmt: skip
    query = query.order_by(cases.c.opened_at, cases.c.id).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def open_counts(
    conn: Connection, organisations: frozenset[str] | None
) -> list[tuple[str, str, int]]:
    """How many open cases each organisation has in each step: (organisation, state, n)."""
    query = _scoped(
        select(cases.c.organisation, cases.c.state, func.count())
        .where(cases.c.closed.is_(False))
        .group_by(cases.c.organisation, cases.c.state),
        organisations,
    )
    return [(str(o), str(s), int(n)) for o, s, n in conn.execute(query)]
