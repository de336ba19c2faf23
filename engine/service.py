"""The application service: open a case, fire a trigger, record a document, show a case,
list what is overdue. One transaction each; entry points only translate to these calls."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from engine.bootstrap import App
from engine.clock import as_utc
from engine.domain import Case, CaseKind
from engine.errors import InvalidInput
from engine.logs import get_logger
from engine.store import CaseRepository

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_KINDS = ("trafficking", "domestic_violence", "honour_violence")
# A clock on another machine may run a little ahead; more than this is a mistake.
_FUTURE_TOLERANCE = timedelta(minutes=5)

log = get_logger("engine.service")


def open_case(
    app: App,
    *,
    client_ref: str,
    organisation: str,
    kind: str,
    intake_on: date,
    actor: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Open a new case in the first step of both tracks and start its timers."""
    now = app.clock.now()
    happened = _when(at, now)
    reasons = []
    if not _REF.match(client_ref):
        reasons.append(
            "client: a reference of 1-64 letters, digits, '.', '_', '/' or '-' "
            "(a pseudonymous file number, never a name)"
        )
    if not _REF.match(organisation):
        reasons.append("org: 1-64 letters, digits, '.', '_', '/' or '-'")
    if kind not in _KINDS:
        reasons.append(f"kind: must be one of {', '.join(_KINDS)}")
    if intake_on > happened.astimezone(app.workflow.tz).date():
        reasons.append(f"intake: {intake_on} lies in the future")
    if reasons:
        raise InvalidInput("cannot open the case", reasons)
    wf = app.workflow
    case = Case(
        id=str(uuid.uuid4()),
        client_ref=client_ref,
        organisation=organisation,
        kind=_kind(kind),
        intake_on=intake_on,
        state=wf.spec.care.initial,
        residence_state=wf.spec.residence.initial,
        opened_at=now,
    )
    wf.open_case(case, at=happened, now=now, actor=actor)
    with app.uow.begin() as repo:
        existing = repo.open_case_for(organisation, client_ref)
        if existing is not None:
            raise InvalidInput(
                "the client already has an open case here",
                [f"client: {client_ref} has open case {existing} at {organisation}"],
            )
        repo.add(
            case,
            workflow=f"{wf.spec.id}@{wf.spec.version}",
            closed=False,
            step_due_on=wf.step_due_on(case.state, happened),
        )
        repo.audit(case.id, actor, "open", now)
        view = _view(app, repo, case, now)
    log.info("case_opened", case_id=case.id, organisation=organisation, kind=kind)
    return view


def fire(
    app: App,
    case_id: str,
    trigger: str,
    data: Mapping[str, Any] | None,
    *,
    actor: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Fire a trigger; the case, its events and timers change together or not at all."""
    now = app.clock.now()
    happened = _when(at, now)
    with app.uow.begin() as repo:
        case = repo.get(case_id)
        _not_before(app, case, happened, ordered=True)
        events = app.workflow.fire(case, trigger, data, at=happened, now=now, actor=actor)
        _save(app, repo, case)
        repo.audit(case.id, actor, f"fire:{trigger}", now)
        view = _view(app, repo, case, now)
    log.info(
        "trigger_fired",
        case_id=case_id,
        trigger=trigger,
        transitions=[f"{e.from_state}->{e.to_state}" for e in events],
    )
    return view


def record(
    app: App,
    case_id: str,
    kind: str,
    data: Mapping[str, Any],
    *,
    actor: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Record a new version of a document on the case."""
    now = app.clock.now()
    happened = _when(at, now)
    with app.uow.begin() as repo:
        case = repo.get(case_id)
        _not_before(app, case, happened, ordered=False)
        doc = app.workflow.record(case, kind, data, at=happened, now=now, actor=actor)
        _save(app, repo, case)
        repo.audit(case.id, actor, f"record:{kind}", now)
        view = _view(app, repo, case, now)
    log.info("document_recorded", case_id=case_id, kind=kind, version=doc.version)
    return view


def show(app: App, case_id: str, *, actor: str, at: datetime | None = None) -> dict[str, Any]:
    """The case as a counsellor sees it; the read itself is written to the audit trail."""
    now = app.clock.now()
    with app.uow.begin() as repo:
        case = repo.get(case_id)
        repo.audit(case.id, actor, "read", now)
        return _view(app, repo, case, _when(at, now))


def timeline(app: App, case_id: str, *, actor: str) -> list[dict[str, Any]]:
    """Every event of the case in order: who, what, when it happened, when it was recorded."""
    now = app.clock.now()
    with app.uow.begin() as repo:
        repo.get(case_id)
        repo.audit(case_id, actor, "read:timeline", now)
        return [
            {
                "seq": e.seq,
                "track": e.track,
                "trigger": e.trigger,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor,
                "happened_at": e.happened_at.isoformat(),
                "recorded_at": e.recorded_at.isoformat(),
                "data": e.data,
            }
            for e in repo.events(case_id)
        ]


def overdue(
    app: App, *, at: datetime | None = None, organisation: str | None = None
) -> list[dict[str, Any]]:
    """Timers past their due day and steps open longer than expected, latest first."""
    moment = _when(at, app.clock.now(), allow_future=True)
    wf = app.workflow
    today = moment.astimezone(wf.tz).date()
    items: list[dict[str, Any]] = []
    with app.uow.begin() as repo:
        for row in repo.overdue_timers(today, organisation):
            items.append(_overdue_item(row, row["kind"], row["due_on"], today, app))
        for row in repo.overdue_steps(today, organisation):
            item = _overdue_item(row, "step_overdue", row["step_due_on"], today, app)
            item["step"] = row["state"]
            items.append(item)
    items.sort(key=lambda i: (-i["days_overdue"], i["due_at"], i["case_id"]))
    return items


def _overdue_item(
    row: Mapping[str, Any], kind: str, due_on: date, today: date, app: App
) -> dict[str, Any]:
    return {
        "case_id": row["case_id"],
        "organisation": row["organisation"],
        "client_ref": row["client_ref"],
        "kind": kind,
        "state": row["state"],
        "due_on": due_on.isoformat(),
        "due_at": app.workflow.day_start(due_on).isoformat(),
        "days_overdue": (today - due_on).days,
    }


def _save(app: App, repo: CaseRepository, case: Case) -> None:
    wf = app.workflow
    assert case.state_entered_at is not None
    repo.save(
        case,
        closed=wf.is_closed(case),
        step_due_on=wf.step_due_on(case.state, case.state_entered_at),
    )


def _view(app: App, repo: CaseRepository, case: Case, at: datetime) -> dict[str, Any]:
    wf = app.workflow
    today = at.astimezone(wf.tz).date()
    full = repo.get(case.id, all_timers=True)
    state = wf.states[case.state]
    assert case.state_entered_at is not None
    step_due = wf.step_due_on(case.state, case.state_entered_at)
    return {
        "id": case.id,
        "client_ref": case.client_ref,
        "organisation": case.organisation,
        "kind": case.kind,
        "intake_on": case.intake_on.isoformat(),
        "state": case.state,
        "state_label": {"nl": state.label.nl, "en": state.label.en},
        "phase": state.phase,
        "step": state.step,
        "closed": wf.is_closed(case),
        "state_entered_at": case.state_entered_at.isoformat(),
        "step_due_on": step_due.isoformat() if step_due else None,
        "step_overdue": bool(step_due and today > step_due and not wf.is_closed(case)),
        "residence_state": case.residence_state,
        "article64": bool(case.facts.get("article64")),
        "facts": case.facts,
        "triggers": [
            {
                "name": o.name,
                "track": o.track,
                "allowed": o.allowed,
                **({"reasons": o.reasons} if not o.allowed else {}),
            }
            for o in wf.options(full, at)
        ],
        "missing_documents": wf.missing_documents(full, at),
        "documents": [
            {
                "kind": d.kind,
                "version": d.version,
                "happened_at": d.happened_at.isoformat(),
                "recorded_at": d.recorded_at.isoformat(),
                "actor": d.actor,
            }
            for d in sorted(full.documents.values(), key=lambda d: d.seq)
        ],
        "timers": [
            {
                "kind": t.kind,
                "due_on": t.due_on.isoformat(),
                "due_at": t.due_at.isoformat(),
                "status": t.status_on(today),
                "days_overdue": t.days_overdue(today),
                "remind_on": [d.isoformat() for d in t.remind_on],
            }
            for t in full.timers
        ],
        "version": full.version,
    }


def _when(at: datetime | None, now: datetime, *, allow_future: bool = False) -> datetime:
    if at is None:
        return now
    try:
        moment = as_utc(at)
    except ValueError as exc:
        raise InvalidInput("bad --at", [f"at: {exc}"]) from exc
    if not allow_future and moment > now + _FUTURE_TOLERANCE:
        raise InvalidInput("bad --at", [f"at: {moment.isoformat()} lies in the future"])
    return moment


def _not_before(app: App, case: Case, happened: datetime, *, ordered: bool) -> None:
    if happened.astimezone(app.workflow.tz).date() < case.intake_on:
        raise InvalidInput("bad --at", [f"at: lies before the intake on {case.intake_on}"])
    if ordered and case.last_happened_at and happened < case.last_happened_at:
        raise InvalidInput(
            "bad --at",
            [
                f"at: lies before the case's last event ({case.last_happened_at.isoformat()}); "
                "record events in the order they happened"
            ],
        )


def _kind(kind: str) -> CaseKind:
    assert kind in _KINDS
    return kind  # type: ignore[return-value]
