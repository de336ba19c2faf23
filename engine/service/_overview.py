"""The overview beyond "overdue": deadlines coming up in the next weeks, open cases without a
counsellor, and open cases per step and shelter. Scoped like the overdue list (a counsellor
her organisation, a coordinator her region); each case listed is audited as read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.bootstrap import App
from engine.errors import InvalidInput
from engine.i18n import Message, _, label_map
from engine.service._common import Actor, _name, _today, _when
from engine.service._overdue import OverdueQuery, _overdue_filter
from engine.store._overview import open_counts, recorded_kinds, upcoming, without_counsellor
from engine.views import missing_kinds, overdue_item, step_names

MAX_WEEKS = 52
LIST_LIMIT = 500  # rows per list; the counts cover every open case


@dataclass(frozen=True)
class OverviewQuery:
    """Which part of the region to look at: one organisation, one region (within the
    actor's scope), `weeks` ahead from the day of `at` (default now)."""

    organisation: str | None = None
    region: str | None = None
    weeks: int = 2
    at: datetime | None = None


def overview(app: App, query: OverviewQuery | None = None, *, actor: Actor) -> dict[str, Any]:
    """`{"as_of", "weeks", "upcoming", "without_counsellor", "counts"}`: deadlines due from
    today up to `weeks` ahead (with the documents the step still misses), the open cases no
    counsellor is assigned to, and the open cases per organisation and step."""
    query = query or OverviewQuery()
    if not 1 <= query.weeks <= MAX_WEEKS:
        raise InvalidInput(_("bad filter"), [_("weeks: from 1 to {n}", n=MAX_WEEKS)])
    now = app.clock.now()
    today = _today(app, _when(query.at, now, allow_future=True))
    last = today + timedelta(weeks=query.weeks)
    scope = OverdueQuery(organisation=query.organisation, region=query.region)
    with app.uow.begin() as repo:
        orgs = _overdue_filter(app, repo, actor, scope).organisations
        soon = upcoming(repo.conn, today, last, orgs, LIST_LIMIT)
        alone = without_counsellor(repo.conn, orgs, LIST_LIMIT)
        counts = open_counts(repo.conn, orgs)
        listed = list(dict.fromkeys([r["case_id"] for r in soon] + [r["case_id"] for r in alone]))
        recorded = recorded_kinds(repo.conn, listed)
        repo.audit_many(listed, _name(actor), "read:overview", now)
    return {
        "as_of": today.isoformat(),
        "weeks": query.weeks,
        "upcoming": [_coming(app, row, today, recorded[row["case_id"]]) for row in soon],
        "without_counsellor": [
            {
                "case_id": r["case_id"],
                "organisation": r["organisation"],
                "state": r["state"],
                **_step(app, r["state"]),
                "intake_on": r["intake_on"].isoformat(),
                "days_waiting": (today - r["intake_on"]).days,
            }
            for r in alone
        ],
        "counts": [
            {
                "organisation": org,
                "state": state,
                **_step(app, state),
                "open": n,
            }
            for org, state, n in sorted(counts, key=lambda c: (c[0], _order(app, c[1])))
        ],
    }


def _step(app: App, state: str) -> dict[str, Any]:
    number, label = step_names(app.workflow, state)
    return {"step_number": number, "step_label": label}


def _coming(
    app: App, row: dict[str, Any], today: date, recorded: tuple[int, dict[str, int]]
) -> dict[str, Any]:
    """One deadline coming up; a step's expected end is `step_due` here (it is not late)."""
    wf = app.workflow
    item = overdue_item(wf, row, today)
    days = -item.pop("days_overdue")
    if item["kind"] == "step_overdue":
        known = wf.states.get(row["state"])
        step = Message(known.label) if known is not None else row["state"]
        item.update(kind="step_due", label=label_map(_("Step to complete: {step}", step=step)))
    return {**item, "days_left": days, "missing": missing_kinds(wf, row["state"], *recorded)}


def _order(app: App, state: str) -> int:
    """A step's place in the workflow file (Bijlage 2 order), unknown ones last."""
    ids = list(app.workflow.states)
    return ids.index(state) if state in ids else len(ids)
