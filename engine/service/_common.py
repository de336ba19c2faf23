"""What the service's operations share: who acts, loading a case within the actor's scope,
the one transaction of a change or a read, and the view a scope may see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from engine.access import (
    OWN_RECORDS,
    PARTNER_TRIGGERS,
    Principal,
    Scope,
    partner_may,
    scope_of,
    visible_documents,
)
from engine.bootstrap import App
from engine.clock import as_utc
from engine.domain import Case
from engine.errors import CaseNotFound, Forbidden, InvalidInput, TriggerRefused, WorkflowInvalid
from engine.i18n import _
from engine.logs import get_logger
from engine.service._resolve import case_visible, resolve
from engine.store import CaseRepository
from engine.views import case_view, restrict_view

# A clock on another machine may run a little ahead; more than this is a mistake.
_FUTURE_TOLERANCE = timedelta(minutes=5)

log = get_logger("engine.service")

T = TypeVar("T")


# Who acts: a name from a trusted local caller (the command line, a host embedding the
# engine), or a principal from the HTTP API, whose role limits what she may see and do.
Actor = str | Principal


def _change(
    app: App,
    case_id: str,
    action: str,
    actor: Actor,
    at: datetime | None,
    change: Callable[[Case, datetime, datetime], T],
    *,
    ordered: bool,
    check: Callable[[CaseRepository, Case], None] | None = None,
    also: Sequence[str] = (),
) -> tuple[T, dict[str, Any]]:
    """Load the case, change it in memory, save it and its audit row in one transaction.
    `check` looks at the registry once the case is known to be in the actor's scope; `also`
    names changes made together with `action` (documents sent with a trigger), audited first.
    A refusal changes nothing but is itself audited, since its reasons reveal case facts."""
    now = app.clock.now()
    happened = _when(at, now)
    name = _name(actor)
    target = case_id  # the full id once the short id is resolved: what the audit names
    try:
        with app.uow.begin() as repo:
            target = resolve(repo, case_id, case_visible(repo, actor))
            case, scope = _load(app, repo, target, actor, action)
            _not_before(app, case, happened, ordered=ordered)
            if check is not None:
                check(repo, case)
            result = change(case, happened, now)
            assert case.state_entered_at is not None
            repo.save(
                case,
                closed=app.workflow.is_closed(case),
                step_due_on=app.workflow.step_due_on(case.state, case.state_entered_at),
            )
            for done in (*also, action):
                repo.audit(case.id, name, done, now)
            # The case in memory is what was saved: no second read for the answer. It is
            # worked out before the commit, so that an answer that fails undoes the change
            # rather than leave the caller to retry a change that was made.
            return result, _view(app, actor, case, scope, now, repo)
    except (TriggerRefused, CaseNotFound, Forbidden) as refused:
        with app.uow.begin() as repo:
            what = "refused" if isinstance(refused, TriggerRefused) else "denied"
            repo.audit(target, name, f"{what}:{action}", now)
        raise


def _read(
    app: App,
    case_id: str,
    actor: Actor,
    action: str,
    read: Callable[[CaseRepository, Case, Scope], T],
) -> T:
    """Load a case within the actor's scope (by its id or short id), audit the read under
    its full id, and answer; a denied read is audited too."""
    now = app.clock.now()
    target = case_id  # the full id once the short id is resolved: what the audit names
    try:
        with app.uow.begin() as repo:
            target = resolve(repo, case_id, case_visible(repo, actor))
            case, scope = _load(app, repo, target, actor, action)
            answer = read(repo, case, scope)
            repo.audit(case.id, _name(actor), action, now)
            return answer
    except (CaseNotFound, Forbidden):
        with app.uow.begin() as repo:
            repo.audit(target, _name(actor), f"denied:{action}", now)
        raise


def _load(
    app: App, repo: CaseRepository, case_id: str, actor: Actor, action: str
) -> tuple[Case, Scope]:
    """The case and what the actor may do with it. A case outside a principal's scope does
    not exist for her; one she may only read refuses changes. Refuses a case whose steps the
    loaded workflow does not know. `case_id` is a full id (engine/service/_resolve.py)."""
    case = repo.get(case_id)
    scope = Scope.FULL
    if isinstance(actor, Principal):
        found = scope_of(actor, case, repo.region_of(case.organisation))
        if found is None:
            raise CaseNotFound(
                _("no case {case_id}", case_id=case_id),
                [_("case: no case with id {case_id}", case_id=case_id)],
            )
        scope = found
        changing = not action.startswith("read")
        if changing and scope is Scope.READ:
            raise Forbidden(
                _("cannot change the case"), [_("role: a coordinator only reads cases")]
            )
        if changing and scope is Scope.PARTNER and not partner_may(case, action):
            raise Forbidden(
                _("cannot change the case"),
                [
                    _(
                        "role: a partner answers a hand-over offer, works the re-integration steps "
                        "after departure and records their documents, contacts and reports"
                    )
                ],
            )
        if changing and scope is Scope.FULL and action in _PARTNER_ANSWERS:
            raise Forbidden(
                _("cannot change the case"),
                [_("role: only the partner organisation offered the case answers the offer")],
            )
    unknown = [s for s in (case.state, case.residence_state) if s not in app.workflow.states]
    if unknown:
        spec = app.workflow.spec
        raise WorkflowInvalid(
            _("the workflow file does not know this case's steps"),
            [
                _(
                    "case {case_id} is in {items}, which workflow {id}@{version} does not "
                    "define; use the workflow file the case was opened with",
                    case_id=case_id,
                    items=", ".join(unknown),
                    id=spec.id,
                    version=spec.version,
                )
            ],
        )
    return case, scope


_PARTNER_ANSWERS = frozenset({"fire:accept_handover", "fire:decline_handover"})


def _view(
    app: App, actor: Actor, case: Case, scope: Scope, at: datetime, repo: CaseRepository
) -> dict[str, Any]:
    view = case_view(app.workflow, case, at)
    if scope is Scope.FULL:
        return view
    assert isinstance(actor, Principal)
    if scope is not Scope.PARTNER:
        return restrict_view(view, scope.value, visible_documents(actor, case, scope))
    kinds = _partner_kinds(repo, actor, case)
    fire = frozenset(t for t in PARTNER_TRIGGERS if partner_may(case, f"fire:{t}"))
    mine = frozenset(k for k in view["missing_documents"] if partner_may(case, f"record:{k}"))
    return restrict_view(view, scope.value, kinds, partner_triggers=fire, partner_records=mine)


def _partner_kinds(repo: CaseRepository, actor: Principal, case: Case) -> frozenset[str]:
    """The document kinds a partner reads: what the client consented to share, and its own
    records; of the kinds both shelter and partner record (a strengths inventory, an action
    plan) only the versions made since the hand-over, unless she consented to share them."""
    kinds = visible_documents(actor, case, Scope.PARTNER) or frozenset()
    since = _handed_seq(repo, case)
    own = {k for k in OWN_RECORDS if k in case.documents and case.documents[k].seq > since}
    return kinds | own


def _shared(case: Case) -> frozenset[str]:
    doc = case.documents.get("consent")
    return frozenset(doc.data.get("share_documents", [])) if doc is not None else frozenset()


def _handed_seq(repo: CaseRepository, case: Case) -> int:
    """The sequence number of the departure that handed the case over (no hand-over: past
    every event, so nothing counts as recorded since)."""
    if not case.facts.get("handover_partner"):
        return case.seq + 1
    departs = [e.seq for e in repo.events(case.id) if e.trigger == "depart"]
    return departs[-1] if departs else case.seq + 1


def _name(actor: Actor) -> str:
    return actor.actor if isinstance(actor, Principal) else actor


def _today(app: App, moment: datetime) -> date:
    return moment.astimezone(app.workflow.tz).date()


def _when(at: datetime | None, now: datetime, *, allow_future: bool = False) -> datetime:
    if at is None:
        return now
    try:
        moment = as_utc(at)
    except ValueError as exc:
        raise InvalidInput(_("bad time"), [_("at: {exc}", exc=exc)]) from exc
    if not allow_future and moment > now + _FUTURE_TOLERANCE:
        raise InvalidInput(
            _("bad time"), [_("at: {moment} lies in the future", moment=moment.isoformat())]
        )
    return moment


def _not_before(app: App, case: Case, happened: datetime, *, ordered: bool) -> None:
    if _today(app, happened) < case.intake_on:
        raise InvalidInput(
            _("bad time"),
            [_("at: lies before the intake on {intake_on}", intake_on=case.intake_on)],
        )
    if ordered and case.last_happened_at and happened < case.last_happened_at:
        raise InvalidInput(
            _("bad time"),
            [
                _(
                    "at: lies before the case's last step or residence event ({moment}); record "
                    "triggers in the order they happened",
                    moment=case.last_happened_at.isoformat(),
                )
            ],
        )
