"""The case list page ("my cases"): a counsellor's own open cases by default, most urgent
first, with the filters of `case list`; a coordinator sees her region's cases without client
references. The same service call as `GET /cases`, as the signed-in person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from engine import service
from engine.errors import InvalidInput
from engine.i18n import _, gettext
from engine.pages._i18n import PARTNER_PAGES, pick_lang
from engine.pages._routes import (
    PageRoute,
    _app,
    _render,
    _same_origin,
    _today,
    _who,
    counsellors_of,
)

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
    status: Annotated[str, Query(max_length=8)] = "open",
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    return _page(request, _Filters(organisation, counsellor, state, status), cursor=cursor)


@router.post("")
def search_page(
    request: Request,
    client: Annotated[str, Form(max_length=64)] = "",
    status: Annotated[str, Form(max_length=8)] = "all",
) -> Response:
    """The search by file number is a form post, not a link: a client's file number stays out
    of the address bar, the browser's history and the access logs of a shared device."""
    _same_origin(request)
    return _page(request, _Filters(counsellor="", status=status), client=client.strip())


@dataclass(frozen=True)
class _Filters:
    """The page's filters, as they go into its links (never the client's file number)."""

    organisation: str = ""
    counsellor: str | None = None
    state: str = ""
    status: str = "open"


def _page(
    request: Request, filters: _Filters, *, cursor: str | None = None, client: str = ""
) -> Response:
    who, app = _who(request), _app(request)
    if who.role == "partner":  # a partner's cases are its hand-overs
        return RedirectResponse(PARTNER_PAGES, 303)
    if filters.status not in _STATUS:
        raise InvalidInput(_("bad filter"), [_("status: open, closed or all")])
    # Her own cases until she chooses "all counsellors" (an empty choice).
    counsellor = filters.counsellor
    if counsellor is None:
        counsellor = who.user_id if who.role == "counsellor" else ""
    query = service.CaseQuery(
        organisation=filters.organisation or None,
        counsellor=counsellor or None,
        state=filters.state or None,
        client_ref=client or None,
        closed=_STATUS[filters.status],
    )
    page = service.list_cases(app, query, actor=who, limit=PAGE_SIZE, cursor=cursor)
    organisations = service.organisations_in_scope(app, who)
    counsellors = counsellors_of(app, organisations)
    lang = pick_lang(request)
    say = gettext(lang)
    spec = app.workflow.spec
    chosen = {"organisation": filters.organisation, "counsellor": counsellor,
              "state": filters.state, "status": filters.status, "lang": lang}  # fmt: skip

    def link(**change: str) -> str:
        return "?" + urlencode({**chosen, **change})

    # A search's few results are one page: its next page would need the file number again.
    more = page["next"] and not client
    return _render(
        request,
        "cases.html",
        who=who,
        today=_today(app),
        items=page["items"],
        next_link=link(cursor=page["next"]) if more else None,
        first_link=link() if cursor or client else None,
        names={o["id"]: o["name"] for o in organisations},
        organisations=organisations,
        counsellors=counsellors,
        steps=[(s.id, f"{s.step or ''} {say(s.label)}".strip()) for s in spec.care.states],
        residence=[(s.id, say(s.label)) for s in spec.residence.states],
        documents={k: say(d.label) for k, d in spec.documents.items()},
        chosen=chosen,
        client=client,
        may_see_client=who.role == "counsellor",
    )
