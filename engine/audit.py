"""The audit trail for those who answer for it: who read or changed a case file, and when
(never its contents), and whether the hash chains of the history are intact.

An operator on the command line sees every case. Over the API, an administrator sees the
audit of any case, a privacy officer that of her own organisation's cases; for anyone else,
and for a case outside her scope, the case does not exist (404, as everywhere)."""

from __future__ import annotations

from typing import Any

from engine.access import Principal
from engine.bootstrap import App
from engine.errors import CaseNotFound
from engine.i18n import _
from engine.service._resolve import resolve
from engine.store import CaseRepository, ChainReport

# Who may read the audit of a case over the API.
AUDITORS = ("admin", "privacy_officer")


def trail(app: App, case_id: str, *, actor: str | Principal) -> list[dict[str, Any]]:
    """Each read and change of the case: seq, when, who, what (an action name, no contents).
    Reading it is audited too, and a denied attempt as well."""
    name = actor.actor if isinstance(actor, Principal) else actor
    now = app.clock.now()
    try:
        with app.uow.begin() as repo:
            case_id = _in_scope(repo, case_id, actor)
            rows = repo.audit_trail(case_id)
            repo.audit(case_id, name, "read:audit", now)
    except CaseNotFound:
        with app.uow.begin() as repo:
            repo.audit(case_id, name, "denied:read:audit", now)
        raise
    return [{**r, "at": r["at"].isoformat()} for r in rows]


def verify(app: App, case_id: str | None = None, *, actor: str | Principal) -> dict[str, Any]:
    """Check the hash chains (of one case, or of all for an operator):
    {"ok", "checked", "broken": [{"case_id", "seq", "what"}]}. The API checks one case."""
    with app.uow.begin() as repo:
        if case_id is not None:
            case_id = _in_scope(repo, case_id, actor)
        report = repo.verify(case_id)
    return as_dict(report)


def as_dict(report: ChainReport) -> dict[str, Any]:
    broken = [{"case_id": b.case_id, "seq": b.seq, "what": b.what} for b in report.broken]
    return {"ok": report.ok, "checked": report.checked, "broken": broken}


def _in_scope(repo: CaseRepository, case_id: str, actor: str | Principal) -> str:
    """The full id of the case (`case_id` may be its short id): an operator reaches any
    case_id, a principal only an existing case within her role."""
    case_id = resolve(repo, case_id, lambda _id, organisation: _auditor_of(actor, organisation))
    if not isinstance(actor, Principal):
        return case_id
    organisation = repo.organisation_of(case_id)
    if organisation is None or not _auditor_of(actor, organisation):
        raise CaseNotFound(
            _("no case {case_id}", case_id=case_id),
            [_("case: no case with id {case_id}", case_id=case_id)],
        )
    return case_id


def _auditor_of(actor: str | Principal, organisation: str) -> bool:
    """Whether the actor reads the audit of a case of this organisation."""
    if not isinstance(actor, Principal):
        return True
    return actor.role == "admin" or (
        actor.role == "privacy_officer" and organisation == actor.organisation
    )
