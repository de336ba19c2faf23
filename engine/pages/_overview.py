"""The coordinator's overview page (open cases per shelter and step, deadlines coming up,
cases without a counsellor) and the overdue list as a CSV download with the overdue page's
filters. Same service calls, scope and audit as the API's `/overview` and `/overdue`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from engine import service
from engine.errors import InvalidInput
from engine.i18n import _
from engine.overdue_csv import MEDIA_TYPE, overdue_csv
from engine.pages._i18n import pick_lang
from engine.pages._routes import PageRoute, _app, _render, _who, overdue_query

CSV_LIMIT = 10_000  # the whole list for the regional meeting, not one page of it

router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)


@router.get("/overview")
def overview_page(
    request: Request,
    organisation: Annotated[str, Query(max_length=64)] = "",
    weeks: Annotated[str, Query(max_length=2)] = "2",
) -> Response:
    who, app = _who(request), _app(request)
    if who.role == "partner":  # a partner has no overview: its own cases instead
        return RedirectResponse("/ui/partner", 303)
    if not (weeks.isascii() and weeks.isdigit() and 1 <= int(weeks) <= service.MAX_WEEKS):
        raise InvalidInput(
            _("bad filter"), [_("weeks: a whole number from 1 to {n}", n=service.MAX_WEEKS)]
        )
    organisations = service.organisations_in_scope(app, who)
    view = service.overview(
        app, service.OverviewQuery(organisation=organisation or None, weeks=int(weeks)), actor=who
    )
    names = {o["id"]: o["name"] for o in organisations}
    per_org: dict[str, list[dict[str, object]]] = {}
    for c in view["counts"]:
        per_org.setdefault(c["organisation"], []).append(c)
    return _render(
        request,
        "overview.html",
        who=who,
        view=view,
        names=names,
        organisations=organisations,
        per_org=per_org,
        chosen={"organisation": organisation, "weeks": weeks},
    )


@router.get("/overdue.csv")
def overdue_download(
    request: Request,
    organisation: Annotated[str, Query(max_length=64)] = "",
    counsellor: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[str, Query(max_length=64)] = "",
    min_days: Annotated[str, Query(max_length=4)] = "1",
) -> Response:
    """The overdue page's rows, with its filters, as CSV in the page's language."""
    who, app = _who(request), _app(request)
    query = overdue_query(organisation, counsellor, kind, min_days)
    items = service.overdue(app, query, limit=CSV_LIMIT, actor=who)
    names = {o["id"]: o["name"] for o in service.organisations_in_scope(app, who)}
    day = app.clock.now().astimezone(app.workflow.tz).date()
    return Response(
        overdue_csv(items, pick_lang(request), names),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="overdue-{day}.csv"'},
    )
