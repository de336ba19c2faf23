"""Finding cases again: the case list of a counsellor ("my cases"), a coordinator's region or
a partner's hand-overs, filtered, most urgent first, paged with an opaque cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.access import Principal, Scope, partner_may, scope_of
from engine.bootstrap import App
from engine.domain import Case, short_id
from engine.errors import Forbidden, InvalidInput
from engine.i18n import Message, _, label_map
from engine.service._cases import _REF
from engine.service._common import Actor, _name, _today
from engine.service._cursor import decode_cursor, encode_cursor
from engine.store import After, CaseFilter, CaseRepository
from engine.views import PARTNER_TIMERS

MAX_LIST = 500
# Roles that list cases; a coordinator's and a partner's lists carry no client reference.
_LISTERS = ("counsellor", "coordinator", "partner")


@dataclass(frozen=True)
class CaseQuery:
    """The case list's filters (the CLI's options, the API's query, the page's form); None
    means any. `state` is a step id or a residence state id."""

    organisation: str | None = None
    counsellor: str | None = None
    state: str | None = None
    client_ref: str | None = None
    closed: bool | None = None


def list_cases(
    app: App,
    query: CaseQuery | None = None,
    *,
    actor: Actor,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """`{"items": [...], "next": CURSOR | None}`: the cases in the actor's scope under the
    filters, open ones by their next due day (most urgent first), then closed ones. `next`
    continues after this page's last case, whatever is opened meanwhile. Each listed case's
    read is audited."""
    query = query or CaseQuery()
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput(_("bad limit"), [_("limit: from 1 to {n}", n=MAX_LIST)])
    after = _decode(cursor)
    now = app.clock.now()
    principal = actor if isinstance(actor, Principal) else None
    partner = principal is not None and principal.role == "partner"
    with app.uow.begin() as repo:
        filters = _filter(app, repo, actor, query)
        page, following = _read_page(repo, filters, after, limit, principal if partner else None)
        repo.audit_many([c.id for c in page], _name(actor), "read:list", now)
    full = principal is None or principal.role == "counsellor"
    items = [_item(app, case, now, client=full, partner=partner) for case in page]
    return {"items": items, "next": _encode(following) if following else None}


def _read_page(
    repo: CaseRepository,
    filters: CaseFilter,
    after: After | None,
    limit: int,
    partner: Principal | None,
) -> tuple[list[Case], After | None]:
    """Up to `limit` cases after `after`, and where the next page starts (None: no case
    follows). A partner's scope lies in the sealed facts: its cases are judged one by one."""
    page: list[tuple[After, Case]] = []
    while True:
        rows = repo.list_cases(filters, after, limit + 1)
        for row in rows:
            if len(page) == limit and partner is None:
                return [c for _key, c in page], page[-1][0]  # a case follows: no need to read it
            case = repo.get(row["id"])
            if partner is not None and scope_of(partner, case, None) is not Scope.PARTNER:
                continue
            if len(page) == limit:
                return [c for _key, c in page], page[-1][0]
            page.append((_after(row), case))
        if len(rows) <= limit:
            return [c for _key, c in page], None
        after = _after(rows[-1])


def _filter(app: App, repo: CaseRepository, actor: Actor, q: CaseQuery) -> CaseFilter:
    """The repository's filter: the query's and the actor's scope together."""
    orgs: set[str] | None = None if q.organisation is None else {q.organisation}
    if isinstance(actor, Principal):
        if actor.role not in _LISTERS:
            raise Forbidden(_("cannot list cases"), [_("role: not for a {role}", role=actor.role)])
        if actor.role != "counsellor" and q.client_ref is not None:
            raise Forbidden(
                _("cannot search by client reference"),
                [_("client_ref: only a counsellor of the shelter sees client references")],
            )
        mine = _scope_organisations(repo, actor)
        if mine is not None:
            orgs = mine if orgs is None else orgs & mine
    state, residence = _states(app, q.state)
    if residence is not None and isinstance(actor, Principal) and actor.role == "partner":
        # a partner does not see the residence track: filtering by it would tell it
        raise Forbidden(
            _("cannot filter by residence status"),
            [_("state: a partner filters by the steps it sees, not by residence status")],
        )
    hashes = None
    if q.client_ref is not None:
        if not _REF.match(q.client_ref):
            raise InvalidInput(
                _("bad client reference"),
                [_("client_ref: 1-64 letters, digits, '.', '_', '/' or '-'")],
            )
        ref = q.client_ref
        each = orgs if orgs is not None else repo.organisations_with_cases()
        hashes = frozenset(h for o in each for h in repo.codec.client_hashes(o, ref))
    return CaseFilter(
        organisations=None if orgs is None else frozenset(orgs),
        counsellor=q.counsellor,
        state=state,
        residence_state=residence,
        client_hashes=hashes,
        closed=q.closed,
        handed_over=isinstance(actor, Principal) and actor.role == "partner",
    )


def _scope_organisations(repo: CaseRepository, actor: Principal) -> set[str] | None:
    """The organisations whose cases the principal lists (None: a partner's, judged per case)."""
    if actor.role == "counsellor":
        return {actor.organisation}
    if actor.role == "coordinator":
        return repo.organisations_in(actor.organisation)
    return None


def _states(app: App, state: str | None) -> tuple[str | None, str | None]:
    """`--state` as a step id or a residence state id; anything else is bad input naming
    the allowed values."""
    if state is None:
        return None, None
    spec = app.workflow.spec
    if state in {s.id for s in spec.care.states}:
        return state, None
    if state in {s.id for s in spec.residence.states}:
        return None, state
    allowed = [s.id for track in (spec.care, spec.residence) for s in track.states]
    raise InvalidInput(
        _("bad state"),
        [
            _(
                "state: {state} is neither a step nor a residence state; use one of {items}",
                state=repr(state),
                items=", ".join(allowed),
            )
        ],
    )


def _item(app: App, case: Case, now: datetime, *, client: bool, partner: bool) -> dict[str, Any]:
    """One line of the list: where the case stands and what it needs next."""
    wf = app.workflow
    closed = wf.is_closed(case)
    today = _today(app, now)
    missing = [] if closed else wf.missing_documents(case, now)
    if partner:
        missing = [k for k in missing if partner_may(case, f"record:{k}")]
    item: dict[str, Any] = {
        "id": case.id,
        "short_id": short_id(case.id),
        "organisation": case.organisation,
        "kind": case.kind,
        "state": case.state,
        "state_label": dict(wf.state_labels[case.state]),
        "step": wf.states[case.state].step,
        "residence_state": None if partner else case.residence_state,
        "residence_label": None if partner else dict(wf.state_labels[case.residence_state]),
        "counsellor": case.counsellor,
        "opened_on": case.intake_on.isoformat(),
        "closed": closed,
        "next_deadline": None if closed else _next_deadline(app, case, today, partner=partner),
        "missing_documents": missing,
    }
    if client:
        item["client_ref"] = case.client_ref
    return item


def _next_deadline(app: App, case: Case, today: date, *, partner: bool) -> dict[str, Any] | None:
    """The case's first pending deadline or its step's expected end, whichever comes first
    (a partner: only the deadlines that are hers)."""
    wf = app.workflow
    due: list[tuple[date, str, dict[str, str]]] = [
        (t.due_on, t.kind, label_map(wf.timer_specs[t.kind].label))
        for t in case.timers
        if t.status == "pending"
        and (not partner or t.kind in PARTNER_TIMERS)
        and t.kind in wf.timer_specs
    ]
    assert case.state_entered_at is not None
    step_due = wf.step_due_on(case.state, case.state_entered_at)
    if step_due is not None and not partner:
        step = Message(wf.states[case.state].label)
        due.append((step_due, "step_due", label_map(_("End of the step: {step}", step=step))))
    if not due:
        return None
    day, kind, label = min(due, key=lambda d: d[0])
    return {
        "kind": kind,
        "label": label,
        "due_on": day.isoformat(),
        "days_overdue": max(0, (today - day).days),
        "overdue": today > day,
    }


def _after(row: dict[str, Any]) -> After:
    return After(bool(row["closed"]), row["due"], str(row["id"]))


def _encode(after: After) -> str:
    return encode_cursor(after.closed, after.due.isoformat(), after.case_id)


def _decode(text: str | None) -> After | None:
    if text is None:
        return None
    refusal = InvalidInput(
        _("bad cursor"), [_("cursor: give the `next` of the page before, as it was")]
    )
    return decode_cursor(text, _place, refusal)


def _place(closed: object, due: str, case_id: object) -> After:
    if not (isinstance(closed, bool) and isinstance(case_id, str)):
        raise ValueError(case_id)
    return After(closed, date.fromisoformat(due), case_id)
