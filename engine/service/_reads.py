"""Reading a case: its view (with the social map's suggestions for her counsellor), the
timeline, the deadlines, one document, and a document exported as the book's form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.access import (
    OWN_RECORDS,
    Principal,
    Scope,
    visible_documents,
)
from engine.bootstrap import App
from engine.documents import as_read
from engine.domain import Case
from engine.errors import Forbidden, InvalidInput
from engine.i18n import _
from engine.service._common import (
    Actor,
    _handed_seq,
    _partner_kinds,
    _read,
    _shared,
    _today,
    _view,
    _when,
)
from engine.store import CaseRepository
from engine.views import event_view

if TYPE_CHECKING:  # the export (jinja2, WeasyPrint) is imported when a form is made
    from engine import export as exports

MAX_VERSION = 2**31 - 1  # the most versions of one document anyone asks for


def show(app: App, case_id: str, *, actor: Actor, at: datetime | None = None) -> dict[str, Any]:
    """The case as the actor may see it (at `at`, default now); the read is audited."""
    now = app.clock.now()

    def read(repo: CaseRepository, case: Case, scope: Scope) -> dict[str, Any]:
        view = _view(app, actor, case, scope, _when(at, now, allow_future=True), repo)
        # only her counsellor: the suggestions would tell others her country
        if scope is Scope.FULL and app.workflow.states[case.state].suggests_socialmap(case.facts):
            from engine import socialmap  # only in the states that suggest

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
        events = [event_view(e) for e in repo.events(case.id)]
        if scope is Scope.READ:
            return [{**e, "data": {}} for e in events]
        if scope is Scope.PARTNER:
            assert isinstance(actor, Principal)
            kinds = visible_documents(actor, case, scope) or frozenset()
            since = _handed_seq(repo, case)
            events = [
                e
                for e in events
                if e["trigger"] == "record"
                and (
                    e["data"].get("kind") in kinds
                    or (e["data"].get("kind") in OWN_RECORDS and e["seq"] > since)
                )
            ]
        return [_which(repo, case.id, e) for e in events]

    return _read(app, case_id, actor, "read:timeline", read)


# The field that says which one a recorded document is, where a case holds several of a kind
# (a contact: the arrival confirmation, the contact after a month, a report): its record event
# in the timeline carries it, so the timeline tells them apart.
WHICH = {"contact": "about"}


def _which(repo: CaseRepository, case_id: str, event: dict[str, Any]) -> dict[str, Any]:
    kind = event["data"].get("kind") if event["trigger"] == "record" else None
    if kind not in WHICH:
        return event
    found = repo.document(case_id, kind, event["data"].get("version"))
    if found is None or found.data.get(WHICH[kind]) is None:
        return event
    return {**event, "data": {**event["data"], WHICH[kind]: found.data[WHICH[kind]]}}


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

    known = app.workflow.spec.documents
    if kind not in known:
        raise InvalidInput(
            _("unknown document kind {kind}", kind=repr(kind)),
            [_("kind: must be one of {known}", known=", ".join(sorted(known)))],
        )
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise InvalidInput(
            _("no such document"), [_("version: from 1 to {MAX_VERSION}", MAX_VERSION=MAX_VERSION)]
        )

    def read(repo: CaseRepository, case: Case, scope: Scope) -> dict[str, Any]:
        if scope is Scope.READ:
            raise Forbidden(
                _("cannot read the document"), [_("role: a coordinator sees no contents")]
            )
        own = False
        if isinstance(actor, Principal) and scope is Scope.PARTNER:
            own = kind in OWN_RECORDS and kind not in _shared(case)
            allowed = _partner_kinds(repo, actor, case) | (OWN_RECORDS if own else frozenset())
            if kind not in allowed:
                raise Forbidden(
                    _("cannot read the document"),
                    [_("kind: the client did not consent to share {kind} with you", kind=kind)],
                )
        latest = repo.document(case.id, kind, None)
        if latest is None:
            raise InvalidInput(
                _("no such document"), [_("kind: no {kind} recorded on this case yet", kind=kind)]
            )
        same = version in (None, latest.version)
        found = latest if same else repo.document(case.id, kind, version)
        if found is None:
            raise InvalidInput(
                _("no such document"),
                [_("version: {kind} has versions 1 to {latest}", kind=kind, latest=latest.version)],
            )
        if own and found.seq <= _handed_seq(repo, case):
            raise Forbidden(
                _("cannot read the document"),
                [_("kind: the client did not consent to share the {kind} made before the "
                   "hand-over with you", kind=kind)],
            )  # fmt: skip
        return {"kind": found.kind, "version": found.version,
                "data": as_read(found.kind, found.data),
                "actor": found.actor, "happened_at": found.happened_at.isoformat(),
                "recorded_at": found.recorded_at.isoformat(),
                "latest": latest.version}  # fmt: skip

    return _read(app, case_id, actor, f"read:document:{kind}", read)


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
    from engine import export as exports

    exports.form(kind)  # an unknown kind is refused before anything is read
    exports.check_options(format, lang)

    def read(repo: CaseRepository, case: Case, scope: Scope) -> tuple[exports.Source, str]:
        if scope is Scope.READ:
            raise Forbidden(
                _("cannot export the document"), [_("role: a coordinator sees no contents")]
            )
        if client_copy and scope is not Scope.FULL:
            raise Forbidden(
                _("cannot make the client's own copy"),
                [_("copy: only the client's counsellor makes her own copy, with her reference")],
            )
        if isinstance(actor, Principal):
            allowed = visible_documents(actor, case, scope)
            if allowed is not None and kind not in allowed:
                raise Forbidden(
                    _("cannot export the document"),
                    [_("kind: the client did not consent to share {kind} with you", kind=kind)],
                )
        found = repo.document(case.id, kind, None)
        if found is None:
            raise InvalidInput(
                _("no such document"), [_("kind: no {kind} recorded on this case yet", kind=kind)]
            )
        source = exports.Source(
            kind=kind, version=found.version, data=found.data, case_id=case.id,
            recorded_on=_today(app, found.recorded_at),
            client_ref=case.client_ref if client_copy else None,
        )  # fmt: skip
        return source, case.client_ref

    source, client_ref = _read(app, case_id, actor, f"read:export:{kind}", read)
    return exports.render(source, format, lang, redact=client_ref)
