"""The social map's pages: search organisations by country, services and words (a GET form,
so a search is a link to share), and read one. For every signed-in role: the map holds
organisations only, no client's data, and reading it is not audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from engine import socialmap
from engine.errors import InvalidInput
from engine.i18n import gettext
from engine.pages import _mapview
from engine.pages._i18n import pick_lang
from engine.pages._routes import PageRoute, _app, _render, _who

MAX_TEXT = 100  # a country's name or the words: longer is refused on the page, not crashed on
MAX_SERVICES = len(socialmap.SERVICES)

router = APIRouter(prefix="/ui/socialmap", route_class=PageRoute, include_in_schema=False)


@router.get("")
def search_page(
    request: Request,
    country: str = "",
    service: Annotated[list[str] | None, Query()] = None,
    q: str = "",
) -> HTMLResponse:
    who, app = _who(request), _app(request)
    lang = pick_lang(request)
    t = gettext(lang)
    asked = service or []
    chosen = {"country": country[:MAX_TEXT], "services": set(asked), "q": q[:MAX_TEXT]}
    smap = socialmap.current(app)
    code, problems = _understand(smap, country, asked, q)
    if problems:
        return _render(
            request, "socialmap.html", 422, who=who, chosen=chosen, errors=problems,
            services=_mapview.services(lang), groups=[], count=0, code=None, filtered=True,
        )  # fmt: skip
    entries = smap.search(socialmap.Query(country=code, services=asked, text=q or None))
    return _render(
        request,
        "socialmap.html",
        who=who,
        chosen=chosen,
        errors=[],
        services=_mapview.services(lang),
        groups=_mapview.groups(entries, code, lang, t),
        count=len(entries),
        code=code,
        filtered=bool(country.strip() or asked or q.strip()),
    )


@router.get("/{org_id}")
def organisation_page(request: Request, org_id: str) -> HTMLResponse:
    who, app = _who(request), _app(request)
    lang = pick_lang(request)
    entry = socialmap.current(app).get(org_id)  # NotFound: the 404 page
    return _render(
        request,
        "socialmap_organisation.html",
        who=who,
        org=_mapview.detail(entry, lang, gettext(lang)),
    )


def _understand(
    smap: socialmap.SocialMap, country: str, services: list[str], text: str
) -> tuple[str | None, list[str]]:
    """The country's code and what is wrong with the search: sizes, an unknown country (the
    reasons name the countries on the map), unknown services (they name the 12), all at once."""
    problems = [
        f"{name}: at most {MAX_TEXT} characters"
        for name, value in (("country", country), ("q", text))
        if len(value) > MAX_TEXT
    ]
    if len(services) > MAX_SERVICES or any(len(s) > MAX_TEXT for s in services):
        problems.append(
            f"service: at most {MAX_SERVICES}, each one of {', '.join(socialmap.SERVICES)}"
        )
    if problems:
        return None, problems
    code = None
    try:
        code = smap.country_code(country.strip()) if country.strip() else None
    except InvalidInput as unknown:
        problems += unknown.reasons
    try:
        socialmap.check_services(services)
    except InvalidInput as unknown:
        problems += unknown.reasons
    return code, problems
