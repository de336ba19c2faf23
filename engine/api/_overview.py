"""The coordinator's lists: what is overdue (JSON or CSV, paged with a cursor) and the
overview beyond it (deadlines coming up, cases without a counsellor, open cases per step
and shelter). Scoped and audited by the service, like every case read."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from engine import accounts, service
from engine.api._deps import AppDep, PrincipalDep
from engine.api._models import Day, DeadlineItem, Label, OverdueList
from engine.api._problems import language
from engine.clock import as_utc
from engine.errors import InvalidInput
from engine.i18n import _
from engine.overdue_csv import MEDIA_TYPE, overdue_csv

router = APIRouter(tags=["overview"])

At = Annotated[
    str | None,
    Query(
        max_length=40,
        description="the day judged: an ISO date (2027-03-10) or datetime (local time in "
        "Europe/Amsterdam without a zone); default now",
    ),
]


def parse_at(text: str | None, app: Any) -> datetime | None:
    """`at` as the CLI's `--at` takes it: a date is its local midnight, a datetime without a
    zone is local time; anything else is bad input naming `at`."""
    if text is None:
        return None
    tz = app.workflow.tz
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _("bad filter"),
            [_("at: {text} is not an ISO date or datetime (2026-03-01 or 2026-03-01T14:30)",
               text=repr(text))],
        ) from None  # fmt: skip
    try:
        return as_utc(moment if moment.tzinfo else moment.replace(tzinfo=tz))
    except ValueError as exc:
        raise InvalidInput(_("bad filter"), [_("at: {exc}", exc=exc)]) from None


@router.get(
    "/overdue",
    summary="Overdue deadlines and steps, most overdue first",
    response_model=OverdueList,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}},
)
def overdue(
    request: Request,
    app: AppDep,
    who: PrincipalDep,
    organisation: Annotated[str | None, Query(max_length=64)] = None,
    region: Annotated[str | None, Query(max_length=64)] = None,
    counsellor: Annotated[str | None, Query(max_length=64)] = None,
    kind: Annotated[
        list[str] | None, Query(description="a timer kind or step_overdue (repeatable)")
    ] = None,
    min_days: Annotated[int, Query(ge=1, le=3650)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    at: At = None,
    cursor: Annotated[
        str | None, Query(max_length=400, description="`next` of the page before")
    ] = None,
    format: Annotated[
        Literal["json", "csv"],
        Query(description="csv: the page's rows as text/csv, headers in Accept-Language"),
    ] = "json",
) -> Any:
    query = service.OverdueQuery(
        organisation, region, counsellor, frozenset(kind) if kind else None, min_days,
        parse_at(at, app),
    )  # fmt: skip
    page = service.overdue_page(app, query, limit=limit, cursor=cursor, actor=who)
    if format == "csv":
        lang = language(request)
        names = {o["id"]: o["name"] for o in accounts.organisations(app)}
        headers = {
            "Content-Language": lang,
            "Content-Disposition": 'attachment; filename="overdue.csv"',
        }
        if page["next"] is not None:
            headers["Next-Cursor"] = page["next"]
        return Response(
            overdue_csv(page["items"], lang, names), media_type=MEDIA_TYPE, headers=headers
        )
    return {**page, "counts": service.overdue_counts(app, query, actor=who)}


class UpcomingItem(DeadlineItem):
    kind: str = Field(description="a timer kind, or step_due (the step's expected end)")
    days_left: int


class UnassignedCase(BaseModel):
    case_id: str
    organisation: str
    state: str
    step_number: int | None
    step_label: Label
    intake_on: Day
    days_waiting: int = Field(description="days since the intake")


class OpenCount(BaseModel):
    organisation: str
    state: str
    step_number: int | None
    step_label: Label
    open: int


class Overview(BaseModel):
    as_of: Day
    weeks: int
    upcoming: list[UpcomingItem] = Field(description="soonest first, at most 500")
    without_counsellor: list[UnassignedCase] = Field(description="longest waiting first")
    counts: list[OpenCount] = Field(description="open cases per organisation and step")


@router.get(
    "/overview",
    summary="Deadlines coming up, cases without a counsellor, open cases per step and shelter",
    response_model=Overview,
)
def overview(
    app: AppDep,
    who: PrincipalDep,
    weeks: Annotated[int, Query(ge=1, le=service.MAX_WEEKS)] = 2,
    organisation: Annotated[str | None, Query(max_length=64)] = None,
    region: Annotated[str | None, Query(max_length=64)] = None,
    at: At = None,
) -> dict[str, Any]:
    query = service.OverviewQuery(organisation, region, weeks, parse_at(at, app))
    return service.overview(app, query, actor=who)
