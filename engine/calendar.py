"""A counsellor's deadlines as an iCalendar feed she subscribes to in her own calendar.

The feed's URL holds a secret (a `calendar` token, revocable, replaced when she asks for a new
one). Its events name the case by a short id and what is due, never the client: calendar
services keep copies of feeds beyond our reach."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from icalendar import Calendar, Event

from engine import accounts
from engine.access import Principal
from engine.bootstrap import App
from engine.domain import short_id
from engine.errors import Forbidden, NotConfigured
from engine.views import overdue_item


def _counsellor_only(principal: Principal) -> None:
    if principal.role != "counsellor":
        raise Forbidden("no calendar for this role", ["role: the feed is a counsellor's"])


def new_feed(app: App, principal: Principal) -> dict[str, Any]:
    """A new secret feed URL for a counsellor (the old one stops working). The URL is built
    from `SAFE_FUTURE_PUBLIC_URL`, never from a request's Host header: without that setting
    none is handed out. Other roles have no calendar and get no secret."""
    _counsellor_only(principal)
    if app.settings.public_url is None:
        raise NotConfigured(
            "the calendar address is not configured",
            ["SAFE_FUTURE_PUBLIC_URL: set it to where people reach this service (https://host)"],
        )
    token = accounts.issue_token(
        app, principal.user_id, issuer=principal.actor, purpose="calendar", label="calendar feed"
    )
    url = f"{app.settings.public_url}/calendar/{token['token']}.ics"
    return {"url": url, "token_id": token["id"]}


def feed(app: App, principal: Principal, *, link: str | None = None) -> bytes:
    """The .ics feed of the principal's own open cases: each pending deadline and each step's
    expected end as an all-day event. Every case it names is audited as read."""
    _counsellor_only(principal)
    now = app.clock.now()
    wf = app.workflow
    with app.uow.begin() as repo:
        rows = repo.deadlines_of(principal.user_id, principal.organisation)
        listed = list(dict.fromkeys(r["case_id"] for r in rows))
        repo.audit_many(listed, principal.actor, "read:calendar", now)
    cal = Calendar()
    cal.add("prodid", "-//Safe Future Engine//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Safe Future")
    for row in rows:
        item = overdue_item(wf, {**row, "organisation": "", "counsellor": None}, row["due_on"])
        event = Event()
        event.add("uid", f"{row['kind']}-{row['case_id']}-{row['id']}@safe-future")
        event.add("dtstamp", now)
        event.add("dtstart", row["due_on"])
        event.add("dtend", row["due_on"] + timedelta(days=1))
        event.add("summary", f"{item['label']['en']} (case {short_id(row['case_id'])})")
        event.add("categories", [row["kind"]])
        if link:
            event.add("url", link.format(case_id=row["case_id"]))
        cal.add_component(event)
    return bytes(cal.to_ical())
