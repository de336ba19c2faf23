"""Short case ids: the first 8 characters of a case's id, as the pages, reminders and
calendar show it, name the case too, within the caller's scope. The one resolver every
entry point's case id passes through (the service's `_load`, the audit)."""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.access import Principal, scope_of
from engine.domain import SHORT_ID
from engine.errors import AmbiguousCase, CaseNotFound
from engine.i18n import _
from engine.store import CaseRepository

FULL = 36  # a whole id (a UUID)
# What may start a case id: at least the short id, lower-case hexadecimal and dashes.
_PREFIX = re.compile(rf"[0-9a-f-]{{{SHORT_ID},{FULL - 1}}}")

# Whether a case (by id and organisation) exists for the caller.
Visible = Callable[[str, str], bool]


def resolve(repo: CaseRepository, given: str, visible: Visible) -> str:
    """The full id of the one case `given` names: a whole id as it is (its scope is the
    caller's to check, as before), else the one case the caller may see whose id starts with
    it. No such case is `CaseNotFound`, as for a whole id; more than one is `AmbiguousCase`,
    counted only among cases the caller may see."""
    prefix = given.lower()
    if len(given) >= FULL or not _PREFIX.fullmatch(prefix):
        return given
    found = [i for i, organisation in repo.ids_starting(prefix) if visible(i, organisation)]
    if not found:
        raise CaseNotFound(
            _("no case {case_id}", case_id=given),
            [_("case: no case with id {case_id}", case_id=given)],
        )
    if len(found) > 1:
        raise AmbiguousCase(
            _("the short id {case_id} names more than one case", case_id=given),
            [
                _(
                    "case: {case_id} starts the ids of {items}; give more of the id",
                    case_id=given,
                    items=", ".join(found),
                )
            ],
        )
    return found[0]


def case_visible(repo: CaseRepository, actor: str | Principal) -> Visible:
    """Whether a case exists for the actor (`engine.access.scope_of`): any case for a
    trusted local caller, her organisation's for a counsellor, her region's for a
    coordinator, those handed over or offered to it for a partner."""
    if not isinstance(actor, Principal):
        return lambda _id, _organisation: True
    if actor.role == "counsellor":
        return lambda _id, organisation: organisation == actor.organisation
    if actor.role == "coordinator":
        return lambda _id, organisation: repo.region_of(organisation) == actor.organisation
    if actor.role == "partner":
        return lambda case_id, _organisation: scope_of(actor, repo.get(case_id), None) is not None
    return lambda _id, _organisation: False
