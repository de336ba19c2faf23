"""The social map (book Bijlagen 11-14): search and read for every signed-in role; add,
correct and retire for administrators (audited under the case id `socialmap`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, status

from engine import socialmap
from engine.access import Principal
from engine.api._deps import AppDep, PrincipalDep, get_principal
from engine.errors import Forbidden
from engine.socialmap import SERVICES, Organisation

router = APIRouter(tags=["social map"])

OrgId = Annotated[str, Path(max_length=64, description="the organisation's id, e.g. ng-cosudow")]


def _maintainer(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal.role != "admin":
        raise Forbidden(
            "not for your role", ["role: only an administrator maintains the social map"]
        )
    return principal


MaintainerDep = Annotated[Principal, Depends(_maintainer)]


@router.get("/socialmap", summary="Search the social map")
def search(
    app: AppDep,
    _: PrincipalDep,
    country: Annotated[
        str | None,
        Query(max_length=80, description="ISO code (NG) or English or Dutch name (Nigerië)"),
    ] = None,
    service: Annotated[
        list[str],
        Query(max_length=12, description=f"services it must all offer: {', '.join(SERVICES)}"),
    ] = [],  # noqa: B006 (FastAPI copies the default)
    q: Annotated[str | None, Query(max_length=200, description="words in name or services")] = None,
    retired: Annotated[bool, Query(description="also retired entries")] = False,
) -> dict[str, Any]:
    """Organisations working in the country (based there first), offering every service
    asked for, whose name or services hold every word."""
    query = socialmap.Query(country, tuple(service), q, include_retired=retired)
    items = socialmap.search(app, query)
    return {"items": items, "count": len(items)}


@router.get("/socialmap/{org_id}", summary="One organisation on the social map")
def show(org_id: OrgId, app: AppDep, _: PrincipalDep) -> dict[str, Any]:
    return socialmap.show(app, org_id)


@router.post("/socialmap", status_code=status.HTTP_201_CREATED, summary="Add an organisation")
def add(body: Organisation, app: AppDep, who: MaintainerDep) -> dict[str, Any]:
    return socialmap.add(app, body.model_dump(mode="json"), actor=who.actor)


@router.patch("/socialmap/{org_id}", summary="Correct fields of an organisation")
def correct(
    org_id: OrgId,
    app: AppDep,
    who: MaintainerDep,
    changes: Annotated[dict[str, Any], Body(description="the fields to change")],
) -> dict[str, Any]:
    return socialmap.correct(app, org_id, changes, actor=who.actor)


@router.post("/socialmap/{org_id}/retire", summary="Take an organisation off the map")
def retire(org_id: OrgId, app: AppDep, who: MaintainerDep) -> dict[str, Any]:
    return socialmap.retire(app, org_id, actor=who.actor)


@router.post("/socialmap/{org_id}/restore", summary="Put a retired organisation back")
def restore(org_id: OrgId, app: AppDep, who: MaintainerDep) -> dict[str, Any]:
    return socialmap.retire(app, org_id, actor=who.actor, undo=True)
