"""The application service: open a case, fire a trigger, record a document, show a case,
list what is overdue. One transaction each; entry points only translate to these calls."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, get_args

from sqlalchemy.exc import IntegrityError

from engine.bootstrap import App
from engine.clock import as_utc
from engine.domain import Case, CaseKind, DocumentVersion, Event
from engine.errors import InvalidInput, TriggerRefused, WorkflowInvalid
from engine.logs import get_logger
from engine.store import CaseRepository
from engine.views import case_view, event_view, overdue_item

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
KINDS: tuple[str, ...] = get_args(CaseKind)
_COUNSELLOR_RULE = "counsellor: a user id of 1-64 letters, digits, '.', '_', '/' or '-'"
# A clock on another machine may run a little ahead; more than this is a mistake.
_FUTURE_TOLERANCE = timedelta(minutes=5)

log = get_logger("engine.service")
T = TypeVar("T")


def open_case(
    app: App,
    *,
    client_ref: str,
    organisation: str,
    kind: str,
    intake_on: date,
    actor: str,
    counsellor: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Open a new case in the first step of both tracks and start its timers.

    The case begins at its intake: a case typed in days later still counts its first step
    from the intake day, unless `at` says otherwise."""
    wf = app.workflow
    now = app.clock.now()
    started = wf.day_start(intake_on) if intake_on < _today(app, now) else now
    happened = _when(at, now) if at is not None else started
    reasons = []
    if not _REF.match(client_ref):
        reasons.append(
            "client: a reference of 1-64 letters, digits, '.', '_', '/' or '-' "
            "(a pseudonymous file number, never a name)"
        )
    if not _REF.match(organisation):
        reasons.append("org: 1-64 letters, digits, '.', '_', '/' or '-'")
    if counsellor is not None and not _REF.match(counsellor):
        reasons.append(_COUNSELLOR_RULE)
    if kind not in KINDS:
        reasons.append(f"kind: must be one of {', '.join(KINDS)}")
    if intake_on > _today(app, now):
        reasons.append(f"intake: {intake_on} lies in the future")
    if reasons:
        raise InvalidInput("cannot open the case", reasons)
    case = Case(
        id=str(uuid.uuid4()),
        client_ref=client_ref,
        organisation=organisation,
        kind=kind,  # type: ignore[arg-type]  # checked against KINDS above
        intake_on=intake_on,
        state=wf.spec.care.initial,
        residence_state=wf.spec.residence.initial,
        opened_at=now,
        counsellor=counsellor,
    )
    wf.open_case(case, at=happened, now=now, actor=actor)
    try:
        with app.uow.begin() as repo:
            existing = repo.open_case_for(organisation, client_ref)
            if existing is not None:
                raise _already_open(client_ref, organisation, existing)
            repo.add(
                case,
                workflow=f"{wf.spec.id}@{wf.spec.version}",
                closed=False,
                step_due_on=wf.step_due_on(case.state, happened),
            )
            repo.audit(case.id, actor, "open", now)
            view = case_view(wf, repo.get(case.id), now)
    except IntegrityError as exc:  # a simultaneous open of the same client won the race
        raise _already_open(client_ref, organisation, "opened just now") from exc
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

    def change(case: Case, happened: datetime, now: datetime) -> list[Event]:
        return app.workflow.fire(case, trigger, data, at=happened, now=now, actor=actor)

    events, view = _change(app, case_id, f"fire:{trigger}", actor, at, change, ordered=True)
    moves = [f"{e.from_state}->{e.to_state}" for e in events]
    log.info("trigger_fired", case_id=case_id, trigger=trigger, transitions=moves)
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

    def change(case: Case, happened: datetime, now: datetime) -> DocumentVersion:
        return app.workflow.record(case, kind, data, at=happened, now=now, actor=actor)

    doc, view = _change(app, case_id, f"record:{kind}", actor, at, change, ordered=False)
    log.info("document_recorded", case_id=case_id, kind=kind, version=doc.version)
    return view


def assign(
    app: App,
    case_id: str,
    counsellor: str,
    *,
    actor: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Make `counsellor` the case's counsellor: her reminders follow from the next stage on."""
    if not _REF.match(counsellor):
        raise InvalidInput("cannot assign the counsellor", [_COUNSELLOR_RULE])

    def change(case: Case, happened: datetime, now: datetime) -> Event:
        data = {"counsellor": counsellor, "previous": case.counsellor}
        case.counsellor = counsellor
        return case.log(
            track="case", trigger="assign_counsellor", from_state=None, to_state=None,
            actor=actor, happened_at=happened, recorded_at=now, data=data,
        )  # fmt: skip

    _, view = _change(app, case_id, "assign", actor, at, change, ordered=False)
    log.info("counsellor_assigned", case_id=case_id)
    return view


def _change(
    app: App,
    case_id: str,
    action: str,
    actor: str,
    at: datetime | None,
    change: Callable[[Case, datetime, datetime], T],
    *,
    ordered: bool,
) -> tuple[T, dict[str, Any]]:
    """Load the case, change it in memory, save it and its audit row in one transaction.
    A refusal changes nothing but is itself audited, since its reasons reveal case facts."""
    now = app.clock.now()
    happened = _when(at, now)
    try:
        with app.uow.begin() as repo:
            case = _load(app, repo, case_id)
            _not_before(app, case, happened, ordered=ordered)
            result = change(case, happened, now)
            assert case.state_entered_at is not None
            repo.save(
                case,
                closed=app.workflow.is_closed(case),
                step_due_on=app.workflow.step_due_on(case.state, case.state_entered_at),
            )
            repo.audit(case.id, actor, action, now)
            return result, case_view(app.workflow, repo.get(case.id), now)
    except TriggerRefused:
        with app.uow.begin() as repo:
            repo.audit(case_id, actor, f"refused:{action}", now)
        raise


def show(app: App, case_id: str, *, actor: str, at: datetime | None = None) -> dict[str, Any]:
    """The case as a counsellor sees it (at `at`, default now); the read is audited."""
    now = app.clock.now()
    with app.uow.begin() as repo:
        case = _load(app, repo, case_id)
        repo.audit(case.id, actor, "read", now)
        return case_view(app.workflow, case, _when(at, now, allow_future=True))


def timeline(app: App, case_id: str, *, actor: str) -> list[dict[str, Any]]:
    """Every event of the case in order: who, what, when it happened, when it was recorded."""
    now = app.clock.now()
    with app.uow.begin() as repo:
        _load(app, repo, case_id)
        repo.audit(case_id, actor, "read:timeline", now)
        return [event_view(e) for e in repo.events(case_id)]


def overdue(
    app: App, *, at: datetime | None = None, organisation: str | None = None
) -> list[dict[str, Any]]:
    """Timers past their due day and steps open longer than expected, most overdue first.
    Items name the case by id only: the list crosses organisations."""
    wf = app.workflow
    today = _today(app, _when(at, app.clock.now(), allow_future=True))
    with app.uow.begin() as repo:
        items = [
            overdue_item(wf, row, row["kind"], row["due_on"], today)
            for row in repo.overdue_timers(today, organisation)
        ] + [
            overdue_item(wf, row, "step_overdue", row["step_due_on"], today)
            for row in repo.overdue_steps(today, organisation)
        ]
    items.sort(key=lambda i: (-i["days_overdue"], i["due_at"], i["case_id"]))
    return items


def _load(app: App, repo: CaseRepository, case_id: str) -> Case:
    """The case, refusing one whose steps the loaded workflow does not know."""
    case = repo.get(case_id)
    unknown = [s for s in (case.state, case.residence_state) if s not in app.workflow.states]
    if unknown:
        spec = app.workflow.spec
        raise WorkflowInvalid(
            "the workflow file does not know this case's steps",
            [
                f"case {case_id} is in {', '.join(unknown)}, which workflow "
                f"{spec.id}@{spec.version} does not define; use the workflow file the case "
                "was opened with"
            ],
        )
    return case


def _already_open(client_ref: str, organisation: str, existing: str) -> InvalidInput:
    return InvalidInput(
        "the client already has an open case here",
        [f"client: {client_ref} has open case {existing} at {organisation}"],
    )


def _today(app: App, moment: datetime) -> date:
    return moment.astimezone(app.workflow.tz).date()


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
    if _today(app, happened) < case.intake_on:
        raise InvalidInput("bad --at", [f"at: lies before the intake on {case.intake_on}"])
    if ordered and case.last_happened_at and happened < case.last_happened_at:
        raise InvalidInput(
            "bad --at",
            [
                f"at: lies before the case's last step or residence event "
                f"({case.last_happened_at.isoformat()}); record triggers in the order they "
                "happened"
            ],
        )
