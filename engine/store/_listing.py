"""Finding cases: by the short id people see (a prefix of the full id), and the case list
(filters, most urgent first, paged by keyset so a page boundary holds under inserts)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)

from engine.store._tables import cases, timers

# The sort key of a case with no deadline pending, and of every closed case.
NO_DEADLINE = date(9999, 12, 31)


@dataclass(frozen=True)
class CaseFilter:
    """Which cases to list; None means no restriction. `client_hashes` are the keyed hashes
    of one client reference under each organisation (and live key) in scope; `handed_over`
    keeps the steps where a case can be a partner's (departure, re-integration)."""

    organisations: frozenset[str] | None = None
    counsellor: str | None = None
    state: str | None = None
    residence_state: str | None = None
    client_hashes: frozenset[str] | None = None
    closed: bool | None = None
    handed_over: bool = False


@dataclass(frozen=True)
class After:
    """Where the previous page ended: its last case's sort key."""

    closed: bool
    due: date
    case_id: str


def ids_starting(conn: Connection, prefix: str) -> list[tuple[str, str]]:
    """The ids and organisations of the cases whose id starts with `prefix` (lower-case
    hexadecimal digits and dashes only, so it holds no LIKE wildcard)."""
    query = select(cases.c.id, cases.c.organisation).where(cases.c.id.startswith(prefix))
    return [(str(i), str(o)) for i, o in conn.execute(query.order_by(cases.c.id))]


def list_cases(
    conn: Connection, filters: CaseFilter, after: After | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` cases after `after`: open ones by their next due day (a pending
    deadline's or the step's expected end), most urgent first, then closed ones; ties by id.
    Each row has the case's `id`, `organisation`, `closed` and `due`, the sort key."""
    listing = _listing(_Shape.of(filters))
    params = _params(filters, after, limit)
    return [dict(r) for r in conn.execute(listing, params).mappings()]


@dataclass(frozen=True)
class _Shape:
    organisations: bool
    counsellor: bool
    state: bool
    residence_state: bool
    client: bool
    closed: bool
    handed_over: bool

    @staticmethod
    def of(f: CaseFilter) -> _Shape:
        return _Shape(
            organisations=f.organisations is not None,
            counsellor=f.counsellor is not None,
            state=f.state is not None,
            residence_state=f.residence_state is not None,
            client=f.client_hashes is not None,
            closed=f.closed is not None,
            handed_over=f.handed_over,
        )


def _params(f: CaseFilter, after: After | None, limit: int) -> dict[str, Any]:
    start = after or After(False, date.min, "")
    return {
        "organisations": sorted(f.organisations or ()),
        "counsellor": f.counsellor,
        "state": f.state,
        "residence_state": f.residence_state,
        "client_hashes": sorted(f.client_hashes or ()),
        "closed": bool(f.closed),
        "after_closed": start.closed,
        "after_due": start.due,
        "after_id": start.case_id,
        "page": limit,
    }


@functools.cache
def _listing(shape: _Shape) -> Any:
    """The statement of one filter shape, with the values as bind parameters (built once)."""
    pending = and_(timers.c.case_id == cases.c.id, timers.c.status == "pending")
    timer_due = select(func.min(timers.c.due_on)).where(pending).scalar_subquery()
    step_due = cases.c.step_due_on
    far = literal(NO_DEADLINE, Date)
    sooner = case((timer_due < step_due, timer_due), else_=step_due)
    due = case((cases.c.closed, far), else_=func.coalesce(sooner, timer_due, step_due, far))
    conditions: list[ColumnElement[bool]] = []
    if shape.organisations:
        conditions.append(cases.c.organisation.in_(bindparam("organisations", expanding=True)))
    if shape.counsellor:
        conditions.append(cases.c.counsellor == bindparam("counsellor"))
    if shape.state:
        conditions.append(cases.c.state == bindparam("state"))
    if shape.residence_state:
        conditions.append(cases.c.residence_state == bindparam("residence_state"))
    if shape.client:
        conditions.append(cases.c.client_hash.in_(bindparam("client_hashes", expanding=True)))
    if shape.closed:
        conditions.append(cases.c.closed == bindparam("closed"))
    if shape.handed_over:
        conditions.append(
            cases.c.closed.is_(False)
            & ((cases.c.state == "departure") | cases.c.state.startswith("reint_", autoescape=True))
        )
    key = type_coerce(due, Date).label("due")
    columns = select(cases.c.id, cases.c.organisation, cases.c.closed, key)
    inner = columns.where(and_(true(), *conditions)).subquery()
    after_closed: Any = bindparam("after_closed", type_=Boolean)
    after_due: Any = bindparam("after_due", type_=Date)
    after_id: Any = bindparam("after_id")
    # (closed, due, id) > (after_closed, after_due, after_id), spelt out for both databases
    later = or_(
        and_(inner.c.closed, ~after_closed),
        and_(
            inner.c.closed == after_closed,
            or_(inner.c.due > after_due, and_(inner.c.due == after_due, inner.c.id > after_id)),
        ),
    )
    return (
        select(inner)
        .where(later)
        .order_by(inner.c.closed, inner.c.due, inner.c.id)
        .limit(bindparam("page"))
    )
