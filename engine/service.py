"""The application service: open a case, fire a trigger, record a document, show a case,
list what is overdue. One transaction each; entry points only translate to these calls."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, get_args

from sqlalchemy.exc import IntegrityError

from engine import export as exports
from engine import handover, socialmap
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
from engine.documents import SOCIALMAP_ID
from engine.domain import Case, CaseKind, DocumentVersion, Event
from engine.errors import CaseNotFound, Forbidden, InvalidInput, TriggerRefused, WorkflowInvalid
from engine.logs import get_logger
from engine.store import CaseRepository
from engine.store._repository import OverdueFilter
from engine.views import case_view, event_view, overdue_item, restrict_view

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
KINDS: tuple[str, ...] = get_args(CaseKind)
_COUNSELLOR_RULE = "counsellor: a user id of 1-64 letters, digits, '.', '_', '/' or '-'"
# A clock on another machine may run a little ahead; more than this is a mistake.
_FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_VERSION = 2**31 - 1  # the most versions of one document anyone asks for
# A case typed in now for a stay that began longer ago than this is a typing error.
_INTAKE_YEARS = 20

log = get_logger("engine.service")
T = TypeVar("T")
# Who acts: a name from a trusted local caller (the command line, a host embedding the
# engine), or a principal from the HTTP API, whose role limits what she may see and do.
Actor = str | Principal


def open_case(
    app: App,
    *,
    client_ref: str,
    organisation: str,
    kind: str,
    intake_on: date,
    actor: Actor,
    counsellor: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Open a new case in the first step of both tracks and start its timers.

    The case begins at its intake: a case typed in days later still counts its first step
    from the intake day, unless `at` says otherwise. A principal opens cases only as a
    counsellor of her own organisation."""
    if isinstance(actor, Principal) and (
        actor.role != "counsellor" or organisation != actor.organisation
    ):
        raise Forbidden(
            "cannot open the case", ["role: only a counsellor opens cases of her organisation"]
        )
    name = _name(actor)
    wf = app.workflow
    now = app.clock.now()
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
    today = _today(app, now)
    if intake_on > today:
        reasons.append(f"intake: {intake_on} lies in the future")
    if intake_on < _years_before(today, _INTAKE_YEARS):
        reasons.append(f"intake: {intake_on} lies more than {_INTAKE_YEARS} years ago")
    if reasons:
        raise InvalidInput("cannot open the case", reasons)
    started = wf.day_start(intake_on) if intake_on < today else now
    happened = _when(at, now) if at is not None else started
    if _today(app, happened) < intake_on:
        raise InvalidInput(
            "cannot open the case", [f"happened_at: lies before the intake on {intake_on}"]
        )
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
    wf.open_case(case, at=happened, now=now, actor=name)
    try:
        with app.uow.begin() as repo:
            if not isinstance(actor, Principal) and repo.registry_in_use():
                _registered_shelter(repo, organisation)
            if counsellor is not None and (isinstance(actor, Principal) or repo.registry_in_use()):
                _registered_counsellor(repo, counsellor, organisation)
            existing = repo.open_case_for(organisation, client_ref)
            if existing is not None:
                raise _already_open(client_ref, organisation, existing)
            repo.add(
                case,
                workflow=f"{wf.spec.id}@{wf.spec.version}",
                closed=False,
                step_due_on=wf.step_due_on(case.state, happened),
            )
            repo.audit(case.id, name, "open", now)
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
    actor: Actor,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Fire a trigger; the case, its events and timers change together or not at all."""

    def change(case: Case, happened: datetime, now: datetime) -> list[Event]:
        return app.workflow.fire(case, trigger, data, at=happened, now=now, actor=_name(actor))

    spec = app.workflow.spec.triggers.get(trigger)
    fields = [n for n, f in spec.data.items() if f.type == "organisation"] if spec else []
    places = [n for n, f in spec.data.items() if f.type == "socialmap"] if spec else []
    check = _checks(
        _partners_check(data or {}, fields),
        _socialmap_check(
            app, [(f"data.{f}", (data or {})[f]) for f in places if (data or {}).get(f)]
        ),
    )
    events, view = _change(
        app, case_id, f"fire:{trigger}", actor, at, change, ordered=True, check=check
    )
    moves = [f"{e.from_state}->{e.to_state}" for e in events]
    log.info("trigger_fired", case_id=case_id, trigger=trigger, transitions=moves)
    return view


def record(
    app: App,
    case_id: str,
    kind: str,
    data: Mapping[str, Any],
    *,
    actor: Actor,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Record a new version of a document on the case."""

    def change(case: Case, happened: datetime, now: datetime) -> DocumentVersion:
        doc = app.workflow.record(case, kind, data, at=happened, now=now, actor=_name(actor))
        if kind == "consent":  # a withdrawn or changed consent ends a hand-over offer at once
            handover.lapse_offer(case.facts, doc.data)
        return doc

    check = _checks(
        _partners_check(data, _PARTNER_FIELDS.get(kind, [])),
        _socialmap_check(app, _socialmap_ids(kind, data), local=False),
        _registered_check(_named_ids(kind, data, "organisation_id")),
    )
    doc, view = _change(
        app, case_id, f"record:{kind}", actor, at, change, ordered=False, check=check
    )
    log.info("document_recorded", case_id=case_id, kind=kind, version=doc.version)
    return view


def assign(
    app: App,
    case_id: str,
    counsellor: str,
    *,
    actor: Actor,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Make `counsellor` the case's counsellor: her reminders follow from the next stage on."""
    if not _REF.match(counsellor):
        raise InvalidInput("cannot assign the counsellor", [_COUNSELLOR_RULE])

    def check(repo: CaseRepository, case: Case) -> None:
        if isinstance(actor, Principal) or repo.registry_in_use():
            _registered_counsellor(repo, counsellor, case.organisation)

    def change(case: Case, happened: datetime, now: datetime) -> Event:
        data = {"counsellor": counsellor, "previous": case.counsellor}
        case.counsellor = counsellor
        return case.log(
            track="case", trigger="assign_counsellor", from_state=None, to_state=None,
            actor=_name(actor), happened_at=happened, recorded_at=now, data=data,
        )  # fmt: skip

    _, view = _change(app, case_id, "assign", actor, at, change, ordered=False, check=check)
    log.info("counsellor_assigned", case_id=case_id)
    return view


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
) -> tuple[T, dict[str, Any]]:
    """Load the case, change it in memory, save it and its audit row in one transaction.
    `check` looks at the registry once the case is known to be in the actor's scope.
    A refusal changes nothing but is itself audited, since its reasons reveal case facts."""
    now = app.clock.now()
    happened = _when(at, now)
    name = _name(actor)
    try:
        with app.uow.begin() as repo:
            case, scope = _load(app, repo, case_id, actor, action)
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
            repo.audit(case.id, name, action, now)
            # The case in memory is what was saved: no second read for the answer. It is
            # worked out before the commit, so that an answer that fails undoes the change
            # rather than leave the caller to retry a change that was made.
            return result, _view(app, actor, case, scope, now, repo)
    except (TriggerRefused, CaseNotFound, Forbidden) as refused:
        with app.uow.begin() as repo:
            what = "refused" if isinstance(refused, TriggerRefused) else "denied"
            repo.audit(case_id, name, f"{what}:{action}", now)
        raise


def show(app: App, case_id: str, *, actor: Actor, at: datetime | None = None) -> dict[str, Any]:
    """The case as the actor may see it (at `at`, default now); the read is audited."""
    now = app.clock.now()

    def read(repo: CaseRepository, case: Case, scope: Scope) -> dict[str, Any]:
        view = _view(app, actor, case, scope, _when(at, now, allow_future=True), repo)
        # only her counsellor: the suggestions would tell others her country
        if scope is Scope.FULL and app.workflow.states[case.state].suggests_socialmap(case.facts):
            documents = {kind: d.data for kind, d in case.documents.items()}
            smap = socialmap.compose(app.settings.socialmap_file, repo.socialmap_changes())
            view["suggestions"] = socialmap.suggest(
                smap, socialmap.country_from(documents), socialmap.needs_from(documents)
            )
            _mark_partners(view["suggestions"], repo.partners_on_map(), documents.get("consent"))
        return view

    return _read(app, case_id, actor, "read", read)


def _mark_partners(
    suggestions: dict[str, Any], partners: Mapping[str, list[str]], consent: Any
) -> None:
    """Mark each suggested organisation with the registered partner organisations that point
    at it (`partners`: the ids a hand-over may be offered to, L3259) and whether the client's
    standing consent names one of them (`consented`)."""
    consent = consent or {}
    named = None if consent.get("withdrawn") else consent.get("partner_organisation")
    for item in suggestions["organisations"]:
        ids = partners.get(item["id"], [])
        item["partners"] = ids
        item["consented"] = named is not None and named in ids


def timeline(app: App, case_id: str, *, actor: Actor) -> list[dict[str, Any]]:
    """Every event of the case in order: who, what, when it happened, when it was recorded.
    A coordinator sees what happened and when, not the data; a partner only the documents
    she may read."""

    def read(repo: CaseRepository, case: Case, scope: Scope) -> list[dict[str, Any]]:
        events = [event_view(e) for e in repo.events(case_id)]
        if scope is Scope.READ:
            return [{**e, "data": {}} for e in events]
        if scope is Scope.PARTNER:
            assert isinstance(actor, Principal)
            kinds = visible_documents(actor, case, scope) or frozenset()
            since = _handed_seq(repo, case)
            return [
                e
                for e in events
                if e["trigger"] == "record"
                and (
                    e["data"].get("kind") in kinds
                    or (e["data"].get("kind") in OWN_RECORDS and e["seq"] > since)
                )
            ]
        return events

    return _read(app, case_id, actor, "read:timeline", read)


def timers(
    app: App, case_id: str, *, actor: Actor, at: datetime | None = None
) -> list[dict[str, Any]]:
    """The case's timers (deadlines) with their status on the day of `at`."""
    return list(show(app, case_id, actor=actor, at=at)["timers"])


def document(
    app: App, case_id: str, kind: str, *, actor: Actor, version: int | None = None
) -> dict[str, Any]:
    """One recorded version of a document (default the latest) with its contents; a partner
    reads only what the client consented to share, a coordinator no contents at all."""

    if version is not None and not 1 <= version <= MAX_VERSION:
        raise InvalidInput("no such document", [f"version: from 1 to {MAX_VERSION}"])

    def read(repo: CaseRepository, case: Case, scope: Scope) -> dict[str, Any]:
        if scope is Scope.READ:
            raise Forbidden("cannot read the document", ["role: a coordinator sees no contents"])
        own = False
        if isinstance(actor, Principal) and scope is Scope.PARTNER:
            own = kind in OWN_RECORDS and kind not in _shared(case)
            allowed = _partner_kinds(repo, actor, case) | (OWN_RECORDS if own else frozenset())
            if kind not in allowed:
                raise Forbidden(
                    "cannot read the document",
                    [f"kind: the client did not consent to share {kind} with you"],
                )
        found = repo.document(case_id, kind, version)
        if found is None:
            raise InvalidInput("no such document", [f"kind: no {kind} version {version or 'yet'}"])
        if own and found.seq <= _handed_seq(repo, case):
            raise Forbidden(
                "cannot read the document",
                [f"kind: the client did not consent to share the {kind} made before the "
                 "hand-over with you"],
            )  # fmt: skip
        return {"kind": found.kind, "version": found.version, "data": found.data,
                "actor": found.actor, "happened_at": found.happened_at.isoformat(),
                "recorded_at": found.recorded_at.isoformat()}  # fmt: skip

    return _read(app, case_id, actor, f"read:document:{kind}", read)


def _read(
    app: App,
    case_id: str,
    actor: Actor,
    action: str,
    read: Callable[[CaseRepository, Case, Scope], T],
) -> T:
    """Load a case within the actor's scope, audit the read, and answer; a denied read is
    audited too."""
    now = app.clock.now()
    try:
        with app.uow.begin() as repo:
            case, scope = _load(app, repo, case_id, actor, action)
            answer = read(repo, case, scope)
            repo.audit(case.id, _name(actor), action, now)
            return answer
    except (CaseNotFound, Forbidden):
        with app.uow.begin() as repo:
            repo.audit(case_id, _name(actor), f"denied:{action}", now)
        raise


def partner_cases(app: App, *, actor: Principal) -> list[dict[str, Any]]:
    """The open cases offered or handed over to the partner's organisation, with the client's
    consent standing: where each stands and what its step still needs from the partner. Reads
    the open cases at step 12 and in re-integration (a partner's cases are among them); each
    listed case's read is audited."""
    if actor.role != "partner":
        raise Forbidden("cannot list hand-overs", [f"role: for a partner, not a {actor.role}"])
    now = app.clock.now()
    found = []
    with app.uow.begin() as repo:
        for case_id in repo.open_cases_in(["departure"], "reint_"):
            case = repo.get(case_id)
            if scope_of(actor, case, None) is not Scope.PARTNER:
                continue
            view = _view(app, actor, case, Scope.PARTNER, now, repo)
            _, status = handover.offer_state(case.facts, _consent_data(case))
            found.append({
                "id": case.id, "short_id": case.id[:8], "organisation": case.organisation,
                "state": case.state, "state_label": view["state_label"], "step": view["step"],
                "handover": "handed_over" if case.facts.get("handover_partner") else status,
                "triggers": [t["name"] for t in view["triggers"] if t["allowed"]],
                "missing_documents": view["missing_documents"],
            })  # fmt: skip
        repo.audit_many([f["id"] for f in found], _name(actor), "read:handovers", now)
    return found


def _consent_data(case: Case) -> dict[str, Any] | None:
    doc = case.documents.get("consent")
    return doc.data if doc is not None else None


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
    Items name the case by id, never the client. Each listed case's read is audited."""
    query = query or OverdueQuery()
    now = app.clock.now()
    today = _today(app, _when(query.at, now, allow_future=True))
    with app.uow.begin() as repo:
        filters = _overdue_filter(repo, actor, query)
        rows = repo.overdue(today, filters, _limit(limit))
        if actor is not None:
            listed = list(dict.fromkeys(r["case_id"] for r in rows))
            repo.audit_many(listed, _name(actor), "read:overdue", now)
    return [overdue_item(app.workflow, row, today) for row in rows]


def overdue_counts(
    app: App, query: OverdueQuery | None = None, *, actor: Actor | None = None
) -> dict[str, int]:
    """How many overdue items each organisation has, under the same filters and scope."""
    query = query or OverdueQuery()
    today = _today(app, _when(query.at, app.clock.now(), allow_future=True))
    with app.uow.begin() as repo:
        return repo.overdue_counts(today, _overdue_filter(repo, actor, query))


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
    raise Forbidden("cannot list overdue items", [f"role: not for a {actor.role}"])


def _overdue_filter(repo: CaseRepository, actor: Actor | None, q: OverdueQuery) -> OverdueFilter:
    """The repository's filter: the query's and the actor's scope together, as a list of
    organisations (an IN list plans better than a region subquery on SQLite)."""
    if q.min_days < 1 or q.min_days > 3650:
        raise InvalidInput("bad filter", ["min_days: from 1 to 3650"])
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
        raise InvalidInput("bad limit", ["limit: from 1 to 10000"])
    return limit


def _load(
    app: App, repo: CaseRepository, case_id: str, actor: Actor, action: str
) -> tuple[Case, Scope]:
    """The case and what the actor may do with it. A case outside a principal's scope does
    not exist for her; one she may only read refuses changes. Refuses a case whose steps the
    loaded workflow does not know."""
    case = repo.get(case_id)
    scope = Scope.FULL
    if isinstance(actor, Principal):
        found = scope_of(actor, case, repo.region_of(case.organisation))
        if found is None:
            raise CaseNotFound(f"no case {case_id}", [f"case: no case with id {case_id}"])
        scope = found
        changing = not action.startswith("read")
        if changing and scope is Scope.READ:
            raise Forbidden("cannot change the case", ["role: a coordinator only reads cases"])
        if changing and scope is Scope.PARTNER and not partner_may(case, action):
            raise Forbidden(
                "cannot change the case",
                [
                    "role: a partner answers a hand-over offer, works the re-integration steps "
                    "after departure and records their documents, contacts and reports"
                ],
            )
        if changing and scope is Scope.FULL and action in _PARTNER_ANSWERS:
            raise Forbidden(
                "cannot change the case",
                ["role: only the partner organisation offered the case answers the offer"],
            )
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


# The documents that name a partner organisation, and where (trigger data declares its own
# with `type: organisation`).
_PARTNER_FIELDS = {"consent": ["partner_organisation"]}


def _partners_check(
    data: Mapping[str, Any], fields: list[str]
) -> Callable[[CaseRepository, Case], None] | None:
    """Once organisations are registered, a partner a case names is a registered partner
    organisation, by id: never a display name, never a look-alike."""
    named = [(f, data[f]) for f in fields if isinstance(data.get(f), str)]
    if not named:
        return None

    def check(repo: CaseRepository, _: Case) -> None:
        if not repo.registry_in_use():
            return
        reasons = [
            f"{f}: {v!r} is not the id of a registered partner organisation "
            "(`safe-future org list`)"
            for f, v in named
            if repo.organisation_kind(v) != "partner"
        ]
        if reasons:
            raise InvalidInput("unknown partner organisation", reasons)

    return check


# The documents whose parts name an organisation by id (registered or on the social map).
_ORGANISATION_PARTS = {"return_funds": ["returned_through", "paid_to"]}


def _named_ids(kind: str, data: Mapping[str, Any], field: str) -> list[tuple[str, str]]:
    """(where, id) of each `field` in the document's organisation parts."""
    found = []
    for part in _ORGANISATION_PARTS.get(kind, []):
        value = data[part].get(field) if isinstance(data.get(part), dict) else None
        if isinstance(value, str):
            found.append((f"{kind}.{part}.{field}", value))
    return found


def _socialmap_ids(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return _named_ids(kind, data, "socialmap_id")


def _registered_check(
    named: list[tuple[str, str]],
) -> Callable[[CaseRepository, Case], None] | None:
    """Once organisations are registered, an organisation named by its registered id is
    one (of any kind)."""
    if not named:
        return None

    def check(repo: CaseRepository, _: Case) -> None:
        if not repo.registry_in_use():
            return
        reasons = [
            f"{where}: {value!r} is not the id of a registered organisation "
            "(`safe-future org list`)"
            for where, value in named
            if repo.organisation_kind(value) is None
        ]
        if reasons:
            raise InvalidInput("unknown organisation", reasons)

    return check


def _socialmap_check(
    app: App, named: list[tuple[str, str]], *, local: bool = True
) -> Callable[[CaseRepository, Case], None] | None:
    """The social-map ids a case names are on the map as it stands, not retired, and (for a
    local organisation) working in her country of origin when her profile gives it."""
    named = [(f, v) for f, v in named if isinstance(v, str) and re.fullmatch(SOCIALMAP_ID, v)]
    if not named:
        return None

    def check(repo: CaseRepository, case: Case) -> None:
        smap = socialmap.compose(app.settings.socialmap_file, repo.socialmap_changes())
        documents = {kind: d.data for kind, d in case.documents.items()}
        country = socialmap.country_from(documents) if local else None
        reasons = socialmap.wrong_references(smap, named, country)
        if reasons:
            raise InvalidInput("unknown organisation on the social map", reasons)

    return check


def _checks(
    *checks: Callable[[CaseRepository, Case], None] | None,
) -> Callable[[CaseRepository, Case], None] | None:
    """The given registry checks, one after the other; None when there are none."""
    present = [c for c in checks if c is not None]
    if not present:
        return None

    def check(repo: CaseRepository, case: Case) -> None:
        for one in present:
            one(repo, case)

    return check


def _registered_shelter(repo: CaseRepository, organisation: str) -> None:
    """Once organisations are registered, a case opens only in a registered shelter, so that
    no case is left where no coordinator can see it (the API's counsellor opens in her own)."""
    if repo.organisation_kind(organisation) != "shelter":
        raise InvalidInput(
            "cannot open the case",
            [f"org: {organisation} is not a registered shelter (`safe-future org list`)"],
        )


def _registered_counsellor(repo: CaseRepository, counsellor: str, organisation: str) -> None:
    if not repo.is_counsellor_of(counsellor, organisation):
        raise InvalidInput(
            "cannot assign the counsellor",
            [f"counsellor: {counsellor} is not an active counsellor of {organisation}"],
        )


def _name(actor: Actor) -> str:
    return actor.actor if isinstance(actor, Principal) else actor


def _already_open(client_ref: str, organisation: str, existing: str) -> InvalidInput:
    return InvalidInput(
        "the client already has an open case here",
        [f"client: {client_ref} has open case {existing} at {organisation}"],
    )


def _years_before(day: date, years: int) -> date:
    return day.replace(
        year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day
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


def export(
    app: App,
    case_id: str,
    kind: str,
    *,
    actor: Actor,
    format: str = "pdf",
    lang: str = "en",
    client_copy: bool = False,
) -> exports.Exported:
    """A document as a printable form (HTML or PDF/A, English or Dutch), read like
    `document()`: a partner only what the client consented to share, a coordinator nothing.
    It holds no client reference, unless it is the client's own copy, which only her
    counsellor makes. Audited as `read:export:<kind>`."""
    exports.form(kind)  # an unknown kind is refused before anything is read
    exports.check_options(format, lang)

    def read(repo: CaseRepository, case: Case, scope: Scope) -> tuple[exports.Source, str]:
        if scope is Scope.READ:
            raise Forbidden("cannot export the document", ["role: a coordinator sees no contents"])
        if client_copy and scope is not Scope.FULL:
            raise Forbidden(
                "cannot make the client's own copy",
                ["copy: only the client's counsellor makes her own copy, with her reference"],
            )
        if isinstance(actor, Principal):
            allowed = visible_documents(actor, case, scope)
            if allowed is not None and kind not in allowed:
                raise Forbidden(
                    "cannot export the document",
                    [f"kind: the client did not consent to share {kind} with you"],
                )
        found = repo.document(case_id, kind, None)
        if found is None:
            raise InvalidInput("no such document", [f"kind: no {kind} recorded on this case yet"])
        source = exports.Source(
            kind=kind, version=found.version, data=found.data, case_id=case.id,
            recorded_on=_today(app, found.recorded_at),
            client_ref=case.client_ref if client_copy else None,
        )  # fmt: skip
        return source, case.client_ref

    source, client_ref = _read(app, case_id, actor, f"read:export:{kind}", read)
    return exports.render(source, format, lang, redact=client_ref)
