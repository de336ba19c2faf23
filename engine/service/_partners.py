"""A partner organisation's cases: those offered or handed over to it."""

from __future__ import annotations

from typing import Any

from engine import handover
from engine.access import (
    Principal,
    Scope,
    scope_of,
)
from engine.bootstrap import App
from engine.domain import Case, short_id
from engine.errors import Forbidden
from engine.i18n import _
from engine.service._common import _name, _view


def partner_cases(app: App, *, actor: Principal) -> list[dict[str, Any]]:
    """The open cases offered or handed over to the partner's organisation, with the client's
    consent standing: where each stands and what its step still needs from the partner. Reads
    the open cases at step 12 and in re-integration (a partner's cases are among them); each
    listed case's read is audited."""
    if actor.role != "partner":
        raise Forbidden(
            _("cannot list hand-overs"), [_("role: for a partner, not a {role}", role=actor.role)]
        )
    now = app.clock.now()
    found = []
    with app.uow.begin() as repo:
        for case_id in repo.open_cases_in(["departure"], "reint_"):
            case = repo.get(case_id)
            if scope_of(actor, case, None) is not Scope.PARTNER:
                continue
            view = _view(app, actor, case, Scope.PARTNER, now, repo)
            _partner, status = handover.offer_state(case.facts, _consent_data(case))
            found.append({
                "id": case.id, "short_id": short_id(case.id), "organisation": case.organisation,
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
