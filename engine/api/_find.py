"""`GET /cases`: the case list of the caller's scope (a counsellor's shelter, a coordinator's
region, a partner's hand-overs), filtered, most urgent first, paged with an opaque cursor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from engine import service
from engine.api._deps import AppDep, PrincipalDep
from engine.api._models import Day, Label
from engine.service import MAX_LIST

router = APIRouter(tags=["cases"])


class NextDeadline(BaseModel):
    kind: str = Field(description="a timer kind, or step_due for the step's expected end")
    label: Label
    due_on: Day
    days_overdue: int
    overdue: bool


class CaseItem(BaseModel):
    id: str
    short_id: str = Field(description="the first 8 characters, accepted wherever an id is")
    client_ref: str | None = Field(None, description="only for the case's own organisation")
    organisation: str
    kind: str
    state: str
    state_label: Label
    step: int | None
    residence_state: str | None = Field(description="not for a partner")
    residence_label: Label | None
    counsellor: str | None
    opened_on: Day = Field(description="the intake day")
    closed: bool
    next_deadline: NextDeadline | None = Field(
        description="the first pending deadline or the step's expected end"
    )
    missing_documents: list[str] = Field(description="what the step still needs")


class CaseList(BaseModel):
    items: list[CaseItem]
    next: str | None = Field(description="the cursor of the next page; null on the last")


@router.get(
    "/cases",
    summary="Find cases: open ones most urgent first, then closed ones, page by page",
    response_model=CaseList,
    response_model_exclude_unset=True,
)
def list_cases(
    app: AppDep,
    who: PrincipalDep,
    organisation: Annotated[str | None, Query(max_length=64)] = None,
    counsellor: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[
        str | None, Query(max_length=64, description="a step id or a residence state id")
    ] = None,
    client_ref: Annotated[
        str | None, Query(max_length=64, description="the client's file number (counsellor)")
    ] = None,
    closed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> dict[str, Any]:
    query = service.CaseQuery(organisation, counsellor, state, client_ref, closed)
    return service.list_cases(app, query, actor=who, limit=limit, cursor=cursor)
