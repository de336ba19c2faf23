"""Opening a case, firing a trigger, recording a document, assigning a counsellor: the
changes, each in one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, get_args

from sqlalchemy.exc import IntegrityError

from engine import handover
from engine.access import Principal, partner_may
from engine.bootstrap import App
from engine.domain import Case, CaseKind, DocumentVersion, Event
from engine.errors import Forbidden, InvalidInput
from engine.i18n import _
from engine.service._checks import (
    _PARTNER_FIELDS,
    _checks,
    _named_ids,
    _partners_check,
    _registered_check,
    _socialmap_check,
    _socialmap_ids,
)
from engine.service._common import Actor, _change, _name, _today, _when, log
from engine.store import CaseRepository
from engine.views import case_view

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


KINDS: tuple[str, ...] = get_args(CaseKind)

_COUNSELLOR_RULE = _("counsellor: a user id of 1-64 letters, digits, '.', '_', '/' or '-'")


# A case typed in now for a stay that began longer ago than this is a typing error.
_INTAKE_YEARS = 20


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
            _("cannot open the case"),
            [_("role: only a counsellor opens cases of her organisation")],
        )
    name = _name(actor)
    wf = app.workflow
    now = app.clock.now()
    reasons: list[str] = []
    if not _REF.match(client_ref):
        reasons.append(
            _(
                "client: a reference of 1-64 letters, digits, '.', '_', '/' or '-' "
                "(a pseudonymous file number, never a name)"
            )
        )
    if not _REF.match(organisation):
        reasons.append(_("org: 1-64 letters, digits, '.', '_', '/' or '-'"))
    if counsellor is not None and not _REF.match(counsellor):
        reasons.append(_COUNSELLOR_RULE)
    if kind not in KINDS:
        reasons.append(_("kind: must be one of {items}", items=", ".join(KINDS)))
    today = _today(app, now)
    if intake_on > today:
        reasons.append(_("intake: {intake_on} lies in the future", intake_on=intake_on))
    if intake_on < _years_before(today, _INTAKE_YEARS):
        reasons.append(
            _(
                "intake: {intake_on} lies more than {INTAKE_YEARS} years ago",
                intake_on=intake_on,
                INTAKE_YEARS=_INTAKE_YEARS,
            )
        )
    if reasons:
        raise InvalidInput(_("cannot open the case"), reasons)
    started = wf.day_start(intake_on) if intake_on < today else now
    happened = _when(at, now) if at is not None else started
    if _today(app, happened) < intake_on:
        raise InvalidInput(
            _("cannot open the case"),
            [_("happened_at: lies before the intake on {intake_on}", intake_on=intake_on)],
        )
    case = Case(
        id=app.new_id(),
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
    documents: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Fire a trigger; the case, its events and timers change together or not at all.

    `documents` ({kind: data}) are recorded first, in the same transaction, so that the
    trigger's guards see them: when one is invalid or the trigger is refused, none is kept."""
    documents = _documents(documents)

    def change(case: Case, happened: datetime, now: datetime) -> list[Event]:
        for kind, doc in documents.items():
            _record_on(app, case, kind, doc, happened, now, actor)
        return app.workflow.fire(case, trigger, data, at=happened, now=now, actor=_name(actor))

    spec = app.workflow.spec.triggers.get(trigger)
    fields = [n for n, f in spec.data.items() if f.type == "organisation"] if spec else []
    places = [n for n, f in spec.data.items() if f.type == "socialmap"] if spec else []
    check = _checks(
        _may_record(actor, list(documents)),
        *(_record_checks(app, kind, doc) for kind, doc in documents.items()),
        _partners_check(data or {}, fields),
        _socialmap_check(
            app, [(f"data.{f}", (data or {})[f]) for f in places if (data or {}).get(f)]
        ),
    )
    events, view = _change(
        app, case_id, f"fire:{trigger}", actor, at, change, ordered=True, check=check,
        also=[f"record:{kind}" for kind in documents],
    )  # fmt: skip
    moves = [f"{e.from_state}->{e.to_state}" for e in events]
    log.info("trigger_fired", case_id=view["id"], trigger=trigger, transitions=moves,
             documents=list(documents))  # fmt: skip
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
        return _record_on(app, case, kind, data, happened, now, actor)

    check = _record_checks(app, kind, data)
    doc, view = _change(
        app, case_id, f"record:{kind}", actor, at, change, ordered=False, check=check
    )
    log.info("document_recorded", case_id=view["id"], kind=kind, version=doc.version)
    return view


def _record_on(
    app: App,
    case: Case,
    kind: str,
    data: Mapping[str, Any],
    happened: datetime,
    now: datetime,
    actor: Actor,
) -> DocumentVersion:
    doc = app.workflow.record(case, kind, data, at=happened, now=now, actor=_name(actor))
    if kind == "consent":  # a withdrawn or changed consent ends a hand-over offer at once
        handover.lapse_offer(case.facts, doc.data)
    return doc


def _record_checks(
    app: App, kind: str, data: Mapping[str, Any]
) -> Callable[[CaseRepository, Case], None] | None:
    return _checks(
        _partners_check(data, _PARTNER_FIELDS.get(kind, [])),
        _socialmap_check(app, _socialmap_ids(kind, data), local=False),
        _registered_check(_named_ids(kind, data, "organisation_id")),
    )


def _documents(documents: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """The documents sent with a trigger: an object of KIND: DATA, each DATA an object."""
    if not documents:
        return {}
    if not isinstance(documents, Mapping):
        raise InvalidInput(_("bad documents"), [_("documents: must be an object of KIND: DATA")])
    wrong = [
        _("documents.{kind}: must be an object (the document's data)", kind=kind)
        for kind, doc in documents.items()
        if not isinstance(doc, Mapping)
    ]
    if wrong:
        raise InvalidInput(_("bad documents"), wrong)
    return dict(documents)


def _may_record(actor: Actor, kinds: list[str]) -> Callable[[CaseRepository, Case], None] | None:
    """A partner sends with a trigger only the kinds it may record on the case."""
    if not kinds or not isinstance(actor, Principal) or actor.role != "partner":
        return None

    def check(_repo: CaseRepository, case: Case) -> None:
        refused = [k for k in kinds if not partner_may(case, f"record:{k}")]
        if refused:
            raise Forbidden(
                _("cannot change the case"),
                [
                    _("documents.{kind}: a partner does not record this kind", kind=kind)
                    for kind in refused
                ],
            )

    return check


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
        raise InvalidInput(_("cannot assign the counsellor"), [_COUNSELLOR_RULE])

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

    _events, view = _change(app, case_id, "assign", actor, at, change, ordered=False, check=check)
    log.info("counsellor_assigned", case_id=view["id"])
    return view


def _registered_shelter(repo: CaseRepository, organisation: str) -> None:
    """Once organisations are registered, a case opens only in a registered shelter, so that
    no case is left where no coordinator can see it (the API's counsellor opens in her own)."""
    if repo.organisation_kind(organisation) != "shelter":
        raise InvalidInput(
            _("cannot open the case"),
            [
                _(
                    "org: {organisation} is not a registered shelter (`safe-future org list`)",
                    organisation=organisation,
                )
            ],
        )


def _registered_counsellor(repo: CaseRepository, counsellor: str, organisation: str) -> None:
    if not repo.is_counsellor_of(counsellor, organisation):
        raise InvalidInput(
            _("cannot assign the counsellor"),
            [
                _(
                    "counsellor: {counsellor} is not an active counsellor of {organisation}",
                    counsellor=counsellor,
                    organisation=organisation,
                )
            ],
        )


def _already_open(client_ref: str, organisation: str, existing: str) -> InvalidInput:
    return InvalidInput(
        _("the client already has an open case here"),
        [
            _(
                "client: {client_ref} has open case {existing} at {organisation}",
                client_ref=client_ref,
                existing=existing,
                organisation=organisation,
            )
        ],
    )


def _years_before(day: date, years: int) -> date:
    return day.replace(
        year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day
    )
