"""The counsellor's calendar feed (a secret URL) and asking for that URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from engine import accounts, calendar
from engine.api._deps import AppDep, PrincipalDep

router = APIRouter(tags=["calendar"])


@router.post("/me/calendar", summary="A (new) secret calendar feed URL; the old one stops")
def new_feed(request: Request, app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    token = accounts.issue_token(
        app, who.user_id, issuer=who.actor, purpose="calendar", label="calendar feed"
    )
    url = str(request.url_for("calendar_feed", secret=token["token"]))
    return {"url": url, "token_id": token["id"]}


@router.get("/calendar/{secret}.ics", name="calendar_feed", summary="iCalendar feed")
def calendar_feed(secret: Annotated[str, Path(max_length=100)], app: AppDep) -> Response:
    principal = accounts.authenticate(app, secret, purpose="calendar")
    body = calendar.feed(app, principal, link=app.settings.case_link)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-store"})  # fmt: skip
