"""The social map's service functions: read the map as it stands, and an administrator's
add, correct and retire (each audited under the case id `socialmap`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from engine.bootstrap import App
from engine.documents import validation_reasons
from engine.errors import InvalidInput
from engine.i18n import _
from engine.logs import get_logger
from engine.socialmap._load import compose
from engine.socialmap._map import Entry, Query, SocialMap
from engine.socialmap._model import Organisation

log = get_logger("engine.socialmap")


def current(app: App) -> SocialMap:
    """The map as it stands: the book's reading, the shelter's file, the administrators'
    changes."""
    with app.uow.socialmap() as repo:
        changes = repo.changes()
    return compose(app.settings.socialmap_file, changes)


def search(app: App, query: Query) -> list[dict[str, Any]]:
    return [e.item() for e in current(app).search(query)]


def show(app: App, org_id: str) -> dict[str, Any]:
    return current(app).get(org_id).item()


def add(app: App, data: Mapping[str, Any], *, actor: str) -> dict[str, Any]:
    """Put a new organisation on the map (an id not used yet)."""
    org = _valid(data, "cannot add the organisation")
    if org.id in current(app):
        raise InvalidInput(
            _("cannot add the organisation"),
            [_("id: {id} is on the map already; correct it", id=org.id)],
        )
    return _store(app, org, retired=False, action="add", actor=actor).item()


def correct(app: App, org_id: str, changes: Mapping[str, Any], *, actor: str) -> dict[str, Any]:
    """Change some fields of an organisation on the map; the others stay as they are. The
    shipped file keeps the book's reading; the correction lies over it."""
    before = current(app).get(org_id)
    if "id" in changes and changes["id"] != org_id:
        raise InvalidInput(_("cannot correct the organisation"), [_("id: cannot be changed")])
    merged = {**before.org.model_dump(mode="json"), **changes, "id": org_id}
    org = _valid(merged, "cannot correct the organisation")
    return _store(app, org, retired=before.retired, action="correct", actor=actor).item()


def retire(app: App, org_id: str, *, actor: str, undo: bool = False) -> dict[str, Any]:
    """Take an organisation off the searches and suggestions (it stays readable by id, marked
    retired), or with `undo` put it back."""
    before = current(app).get(org_id)
    action = "restore" if undo else "retire"
    return _store(app, before.org, retired=not undo, action=action, actor=actor).item()


def _valid(data: Mapping[str, Any], message: str) -> Organisation:
    try:
        return Organisation.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInput(message, validation_reasons("", exc, "organisation")) from None


def _store(app: App, org: Organisation, *, retired: bool, action: str, actor: str) -> Entry:
    now = app.clock.now()
    with app.uow.socialmap() as repo:
        repo.put(org.model_dump(mode="json"), retired=retired, action=action, actor=actor, at=now)
    log.info("socialmap_changed", organisation=org.id, action=action, issuer=actor)
    return current(app).get(org.id)
