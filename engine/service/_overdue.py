"""What is overdue, for the coordinator's overview and the counsellor's list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from engine.access import (
    Principal,
)
from engine.bootstrap import App
from engine.errors import Forbidden, InvalidInput
from engine.i18n import _
from engine.service._common import Actor, _name, _today, _when
from engine.service._cursor import decode_cursor, encode_cursor
from engine.store import CaseRepository
from engine.store._overview import recorded_kinds
from engine.store._repository import OverdueFilter
from engine.views import missing_kinds, overdue_item


@dataclass(frozen=True)
class OverdueQuery:
    """Which overdue items to list: the filters of the CLI, the API and the pages.
    `at` is the moment judged (default now); `kinds` holds timer kinds and `step_overdue`."""

    organisation: str | None = None
    region: str | None = None
    counsellor: str | None = None
    kinds: frozenset[str] | None = None
    min_days: int = 1
    at: datetime | None = None


def overdue(
    app: App,
    query: OverdueQuery | None = None,
    *,
    limit: int = 500,
    actor: Actor | None = None,
) -> list[dict[str, Any]]:
    """Timers past their due day and steps open longer than expected, most overdue first,
    within the actor's scope (a counsellor her organisation, a coordinator her region).
    Items name the case by id, never the client, and say which documents the case's step
    still misses (`missing`). Each listed case's read is audited."""
    return _overdue(app, query or OverdueQuery(), _limit(limit), None, actor)[0]


def overdue_page(
    app: App,
    query: OverdueQuery | None = None,
    *,
    limit: int = 100,
    cursor: str | None = None,
    actor: Actor | None = None,
) -> dict[str, Any]:
    """One page of the overdue list: `{"items", "next"}`, `next` the opaque cursor of the
    page after (None on the last page). Paging is by the list's order (due day, case, kind),
    so an item does not show twice, nor is one skipped, when items are added or resolved in
    between."""
    after = None if cursor is None else _decode(cursor)
    items, more = _overdue(app, query or OverdueQuery(), _limit(limit), after, actor)
    last = items[-1] if more else None
    return {
        "items": items,
        "next": None
        if last is None
        else encode_cursor(last["due_on"], last["case_id"], last["kind"]),
    }


def _overdue(
    app: App,
    query: OverdueQuery,
    limit: int,
    after: tuple[date, str, str] | None,
    actor: Actor | None,
) -> tuple[list[dict[str, Any]], bool]:
    """The items of one page, and whether more follow (one row more is read to know)."""
    now = app.clock.now()
    today = _today(app, _when(query.at, now, allow_future=True))
    with app.uow.begin() as repo:
        filters = replace(_overdue_filter(app, repo, actor, query), after=after)
        rows = repo.overdue(today, filters, limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        listed = list(dict.fromkeys(r["case_id"] for r in rows))
        recorded = recorded_kinds(repo.conn, listed)
        if actor is not None:
            repo.audit_many(listed, _name(actor), "read:overdue", now)
    wf = app.workflow
    items = [
        {
            **overdue_item(wf, row, today),
            "missing": missing_kinds(wf, row["state"], *recorded[row["case_id"]]),
        }
        for row in rows
    ]
    return items, more


def _decode(text: str) -> tuple[date, str, str]:
    """The position a cursor of `overdue_page` holds; anything else is bad input."""
    refusal = InvalidInput(
        _("bad cursor"),
        [_("cursor: not a cursor this list gave; use the `next` of the page before")],
    )
    return decode_cursor(text, _place, refusal)


def _place(due_on: str, case_id: object, kind: object) -> tuple[date, str, str]:
    if not (isinstance(case_id, str) and isinstance(kind, str)):
        raise ValueError(case_id)
    return date.fromisoformat(due_on), case_id, kind


def overdue_counts(
    app: App, query: OverdueQuery | None = None, *, actor: Actor | None = None
) -> dict[str, int]:
    """How many overdue items each organisation has, under the same filters and scope."""
    query = query or OverdueQuery()
    today = _today(app, _when(query.at, app.clock.now(), allow_future=True))
    with app.uow.begin() as repo:
        return repo.overdue_counts(today, _overdue_filter(app, repo, actor, query))


def organisations_in_scope(app: App, actor: Principal) -> list[dict[str, Any]]:
    """The organisations whose overdue items the principal may list, with their names:
    a counsellor's own, the shelters of a coordinator's region."""
    with app.uow.begin() as repo:
        mine = _scope_organisations(repo, actor)
    with app.uow.access() as access:
        return [o for o in access.organisations() if o["id"] in mine]


def _scope_organisations(repo: CaseRepository, actor: Principal) -> set[str]:
    if actor.role == "counsellor":
        return {actor.organisation}
    if actor.role == "coordinator":
        return repo.organisations_in(actor.organisation)
    raise Forbidden(_("cannot list overdue items"), [_("role: not for a {role}", role=actor.role)])


def _overdue_filter(
    app: App, repo: CaseRepository, actor: Actor | None, q: OverdueQuery
) -> OverdueFilter:
    """The repository's filter: the query's and the actor's scope together, as a list of
    organisations (an IN list plans better than a region subquery on SQLite)."""
    if q.min_days < 1 or q.min_days > 3650:
        raise InvalidInput(_("bad filter"), [_("min_days: from 1 to 3650")])
    if q.kinds is not None:
        known = sorted({t.kind for t in app.workflow.spec.timers} | {"step_overdue"})
        if unknown := sorted(q.kinds - set(known)):
            raise InvalidInput(
                _("bad filter"),
                [_("kind: {kinds} unknown; use {known}",
                   kinds=", ".join(unknown), known="|".join(known))],
            )  # fmt: skip
    orgs: set[str] | None = None if q.organisation is None else {q.organisation}
    if q.region is not None:
        in_region = repo.organisations_in(q.region)
        orgs = in_region if orgs is None else orgs & in_region
    if isinstance(actor, Principal):
        mine = _scope_organisations(repo, actor)
        orgs = mine if orgs is None else orgs & mine
    return OverdueFilter(
        organisations=None if orgs is None else frozenset(orgs),
        counsellor=q.counsellor,
        kinds=q.kinds,
        min_days=q.min_days,
    )


def _limit(limit: int) -> int:
    if not 1 <= limit <= 10_000:
        raise InvalidInput(_("bad limit"), [_("limit: from 1 to 10000")])
    return limit
