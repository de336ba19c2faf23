"""The case list page ("my cases"): a counsellor's own open cases by default, most urgent
first, with the filters of `case list`; a coordinator sees her region's cases without client
references. The same service call as `GET /cases`, as the signed-in person."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from engine import accounts, service
from engine.errors import InvalidInput
from engine.i18n import gettext
from engine.pages._i18n import PARTNER_PAGES, pick_lang
from engine.pages._routes import PageRoute, _app, _render, _today, _who

PAGE_SIZE = 25
# The page's "status" choices; without one, open cases.
_STATUS = {"open": False, "closed": True, "all": None}

router = APIRouter(prefix="/ui/cases", route_class=PageRoute, include_in_schema=False)


@router.get("")
def cases_page(
    request: Request,
    organisation: Annotated[str, Query(max_length=64)] = "",
    counsellor: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[str, Query(max_length=64)] = "",
    client: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=8)] = "open",
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    who, app = _who(request), _app(request)
    if who.role == "partner":  # a partner's cases are its hand-overs
        return RedirectResponse(PARTNER_PAGES, 303)
    # Her own cases until she chooses "all counsellors" (an empty choice).
    if status not in _STATUS:
        raise InvalidInput("bad filter", ["status: open, closed or all"])
    if counsellor is None:
        counsellor = who.user_id if who.role == "counsellor" else ""
    query = service.CaseQuery(
        organisation=organisation or None,
        counsellor=counsellor or None,
        state=state or None,
        client_ref=client or None,
        closed=_STATUS[status],
    )
    page = service.list_cases(app, query, actor=who, limit=PAGE_SIZE, cursor=cursor)
    organisations = service.organisations_in_scope(app, who)
    in_scope = {o["id"] for o in organisations}
    counsellors = sorted(
        u["id"]
        for u in accounts.users(app)
        if u["role"] == "counsellor" and u["organisation"] in in_scope and u["active"]
    )
    lang = pick_lang(request)
    say = gettext(lang)
    spec = app.workflow.spec
    chosen = {"organisation": organisation, "counsellor": counsellor, "state": state,
              "client": client, "status": status, "lang": lang}  # fmt: skip

    def link(**change: str) -> str:
        return "?" + urlencode({**chosen, **change})

    return _render(
        request,
        "cases.html",
        who=who,
        today=_today(app),
        items=page["items"],
        next_link=link(cursor=page["next"]) if page["next"] else None,
        first_link=link() if cursor else None,
        names={o["id"]: o["name"] for o in organisations},
        organisations=organisations,
        counsellors=counsellors,
        steps=[(s.id, f"{s.step or ''} {say(s.label)}".strip()) for s in spec.care.states],
        residence=[(s.id, say(s.label)) for s in spec.residence.states],
        documents={k: say(d.label) for k, d in spec.documents.items()},
        chosen=chosen,
        may_see_client=who.role == "counsellor",
    )
