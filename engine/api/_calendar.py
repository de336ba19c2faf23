"""The counsellor's calendar feed (a secret URL) and asking for that URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from engine import accounts, calendar, throttle
from engine.api._deps import AppDep, PrincipalDep, address

router = APIRouter(tags=["calendar"])


@router.post(
    "/me/calendar",
    summary="A (new) secret calendar feed URL; the old one stops",
    description="Counsellors only (others: 403). The URL starts with SAFE_FUTURE_PUBLIC_URL; "
    "without that setting the answer is 409 and no secret is made.",
)
def new_feed(app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return calendar.new_feed(app, who)


@router.get("/calendar/{secret}.ics", name="calendar_feed", summary="iCalendar feed")
def calendar_feed(
    request: Request, secret: Annotated[str, Path(max_length=100)], app: AppDep
) -> Response:
    principal = throttle.sign_in(
        app, address(request), secret, lambda: accounts.authenticate(app, secret, "calendar")
    )
    body = calendar.feed(app, principal, link=app.settings.case_link)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-store"})  # fmt: skip
