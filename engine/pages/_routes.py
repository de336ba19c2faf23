"""The coordinator's pages: log in with a token, the overdue overview, a case page (the
social map's pages are in `_socialmap`).

Every page is rendered on the server and runs no script. They call the same service functions
as the API, as the signed-in person, so scope and audit are the API's; a page shows no client
reference unless the viewer's role may see it. Errors come back as pages, not problem+json."""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from engine import accounts, enrolment, export, service, throttle
from engine.access import Principal
from engine.bootstrap import App
from engine.clock import local_minute
from engine.errors import (
    CaseNotFound,
    EngineError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from engine.i18n import LANGS, N_, _, gettext
from engine.pages import _mapview
from engine.pages._diagram import draw
from engine.pages._i18n import (
    CASE_KINDS,
    language_name,
    pick_lang,
)
from engine.views import EVENTS, TIMER_STATUS

COOKIE = "sfe_session"
PAGE_LIMIT = 200  # rows on the overview; the counts on top cover all
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",  # shared devices: no case on the back button
    # same-origin, not no-referrer: with no-referrer Chromium posts forms with `Origin: null`
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
TEMPLATES = pathlib.Path(__file__).parent / "templates"


class _LoginNeeded(Exception):
    """No live session: the page sends the browser to the login form."""


class PageRoute(APIRoute):
    """A page route: the privacy headers on every answer, errors rendered as pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handler(request)
            except _LoginNeeded:
                back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                response = RedirectResponse(f"/ui/login?{urlencode({'next': back})}", 303)
            except EngineError as exc:
                response = _error_page(request, exc)
            response.headers.update(HEADERS)
            return response

        return page


router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)


def _app(request: Request) -> App:
    app: App = request.app.state.engine
    return app


def _who(request: Request) -> Principal:
    try:
        return accounts.authenticate(_app(request), request.cookies.get(COOKIE), "session")
    except Unauthenticated:
        raise _LoginNeeded from None


def _today(app: App) -> date:
    return app.clock.now().astimezone(app.workflow.tz).date()


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = pick_lang(request)
    # every value kept: a search may repeat a parameter (the social map's `service`)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    others = [
        (code, language_name(code), f"?{urlencode([*kept, ('lang', code)])}")
        for code in LANGS
        if code != lang
    ]
    say = gettext(lang)
    templates: Jinja2Templates = request.app.state.page_templates
    return templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "_": say,
            "gettext": say,
            "say": say,
            "other_langs": others,
            "case_kinds": CASE_KINDS,
            "status_words": TIMER_STATUS,
            **context,
        },
        status_code=status,
    )


def _error_page(request: Request, exc: EngineError) -> HTMLResponse:
    t = gettext(pick_lang(request))
    if isinstance(exc, CaseNotFound):
        status, message = 404, t(N_("This case does not exist or is outside your access."))
    elif isinstance(exc, NotFound):  # the social map's organisation
        status, message = 404, t(N_("This organisation is not on the social map."))
    elif isinstance(exc, Forbidden):
        role = all(r.startswith("role:") for r in exc.reasons)
        status, message = 403, t(N_("This view is not for your role.")) if role else exc.message
    elif isinstance(exc, InvalidInput):  # a case's page (a document asked for) says what
        filters = not request.url.path.startswith("/ui/cases/")
        status, message = 422, t(N_("The filters are not valid")) if filters else exc.message
    elif isinstance(exc, TooManyAttempts):
        status, message = 429, t(N_("Too many wrong tokens. Try again later."))
    elif isinstance(exc, Unauthenticated):
        status, message = 401, exc.message
    else:
        status, message = 409, exc.message
    on_map = request.url.path.startswith("/ui/socialmap")
    page = _render(
        request, "error.html", status, message=message, reasons=exc.reasons,
        back=("/ui/socialmap", t(N_("Back to the social map"))) if on_map
        else ("/ui/overdue", t(N_("Back to the overview"))),
    )  # fmt: skip
    if isinstance(exc, TooManyAttempts):
        page.headers["Retry-After"] = str(exc.retry_after)
    return page


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_OWN_SITE = frozenset({"same-origin", "none"})  # Sec-Fetch-Site values a form may carry


def _origin(request: Request) -> str | None:
    """Where people reach the pages: the configured public URL behind a proxy. Without it,
    the request's own address only when that is this machine (localhost): any other Host
    header may be chosen by an attacker (DNS rebinding), so it proves nothing."""
    configured: str | None = _app(request).settings.public_url
    if configured is not None:
        return configured
    if request.url.hostname in _LOOPBACK:
        return f"{request.url.scheme}://{request.url.netloc}"
    return None


def _same_origin(request: Request) -> None:
    """Forms are accepted only when the browser says they come from our own pages: an
    `Origin` equal to ours (a form without one is refused) and, when sent, `Sec-Fetch-Site`
    same-origin or none. The session cookie is SameSite=Strict as well."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in _OWN_SITE:
        raise Forbidden(
            "cross-site form", ["sec-fetch-site: forms are accepted from this site only"]
        )
    origin, ours = request.headers.get("origin"), _origin(request)
    if ours is None:
        raise Forbidden(
            "this address is not configured",
            ["SAFE_FUTURE_PUBLIC_URL: set it to accept forms at an address other than localhost"],
        )
    if origin is None:
        raise Forbidden("form without origin", ["origin: a form must carry the browser's Origin"])
    if origin != ours:
        raise Forbidden("cross-site form", ["origin: forms are accepted from this site only"])


@router.get("")
def home() -> RedirectResponse:
    return RedirectResponse("/ui/overdue", 303)


@router.get("/login")
def login_form(request: Request, next: str = "/ui/overdue") -> HTMLResponse:
    return _render(request, "login.html", next=_local(next), failed=False)


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/ui/overdue",
) -> Response:
    _same_origin(request)
    app, secret = _app(request), token.strip()
    try:
        session, expires = throttle.sign_in(
            app,
            throttle.request_address(app, request),
            secret,
            lambda: accounts.start_session(app, secret),
        )
    except Unauthenticated:
        return _render(request, "login.html", 401, next=_local(next), failed=True)
    response = RedirectResponse(_local(next), 303)
    response.set_cookie(
        COOKIE,
        session,
        # Max-Age, not Expires: the browser's own clock counts down from now
        max_age=int((expires - app.clock.now()).total_seconds()),
        path="/ui",
        secure=(_origin(request) or "").startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    _same_origin(request)
    secret = request.cookies.get(COOKIE)
    if secret:
        accounts.end_session(_app(request), secret)
    response = RedirectResponse("/ui/login", 303)
    response.delete_cookie(COOKIE, path="/ui")
    return response


@router.get("/enrol/{secret}")
def enrol_form(request: Request, secret: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    """Her enrolment link: says whom it is for and offers to show the token. Opening it uses
    nothing up (a mail scanner that follows links must not spend it); the button does."""
    app = _app(request)
    user = throttle.sign_in(
        app,
        throttle.request_address(app, request),
        secret,
        lambda: enrolment.check_link(app, secret),
    )
    return _render(request, "enrol.html", user=user, action=request.url.path, token=None)


@router.post("/enrol/{secret}")
def enrol(request: Request, secret: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    _same_origin(request)
    app = _app(request)
    made = throttle.sign_in(
        app, throttle.request_address(app, request), secret, lambda: enrolment.redeem(app, secret)
    )
    return _render(request, "enrol.html", user=made["user_id"], token=made["token"])


def _local(target: str) -> str:
    """Only a page of ours to go on to after login (no open redirect)."""
    return target if target.startswith("/ui/") else "/ui/overdue"


def overdue_query(
    organisation: str, counsellor: str, kind: str, min_days: str
) -> service.OverdueQuery:
    """The overdue page's filters (and its CSV's) as the service's query."""
    if not (min_days.isascii() and min_days.strip().isdigit()):
        raise InvalidInput(_("bad filter"), [_("min_days: a whole number from 1 to 3650")])
    return service.OverdueQuery(
        organisation=organisation or None,
        counsellor=counsellor or None,
        kinds=frozenset({kind}) if kind else None,
        min_days=int(min_days),
    )


def counsellors_of(app: App, organisations: list[dict[str, Any]]) -> list[str]:
    """The active counsellors of these organisations, for a page's filter."""
    in_scope = {o["id"] for o in organisations}
    return sorted(
        u["id"]
        for u in accounts.users(app)
        if u["role"] == "counsellor" and u["organisation"] in in_scope and u["active"]
    )


@router.get("/overdue")
def overdue_page(
    request: Request,
    organisation: Annotated[str, Query(max_length=64)] = "",
    counsellor: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[str, Query(max_length=64)] = "",
    min_days: Annotated[str, Query(max_length=4)] = "1",
) -> Response:
    who, app = _who(request), _app(request)
    if who.role == "partner":  # a partner has no overview: its own cases instead
        return RedirectResponse("/ui/partner", 303)
    query = overdue_query(organisation, counsellor, kind, min_days)
    organisations = service.organisations_in_scope(app, who)
    items = service.overdue(app, query, limit=PAGE_LIMIT, actor=who)
    counts = service.overdue_counts(app, service.OverdueQuery(
        counsellor=query.counsellor, kinds=query.kinds, min_days=query.min_days
    ), actor=who)  # fmt: skip
    counsellors = counsellors_of(app, organisations)
    lang = pick_lang(request)
    say = gettext(lang)
    kinds = [(t.kind, say(t.label)) for t in app.workflow.spec.timers]
    kinds.append(("step_overdue", say(N_("Step open too long"))))
    total = counts.get(organisation, 0) if organisation else sum(counts.values())

    def filtered(**change: str) -> str:
        keep = {"organisation": organisation, "counsellor": counsellor, "kind": kind,
                "min_days": min_days, "lang": lang, **change}  # fmt: skip
        if keep["min_days"] == "1":  # the default says nothing
            del keep["min_days"]
        return "?" + urlencode({k: v for k, v in keep.items() if v})

    return _render(
        request,
        "overdue.html",
        who=who,
        today=_today(app),
        items=items,
        total=total,
        counts=[(o, counts.get(o["id"], 0)) for o in organisations],
        names={o["id"]: o["name"] for o in organisations},
        organisations=organisations,
        counsellors=counsellors,
        kinds=kinds,
        chosen={
            "organisation": organisation,
            "counsellor": counsellor,
            "kind": kind,
            "min_days": min_days,
        },
        filtered=filtered,
        download="/ui/overdue.csv" + filtered(),
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: Annotated[str, Path(max_length=36)]) -> HTMLResponse:
    who, app = _who(request), _app(request)
    lang = pick_lang(request)
    case = service.show(app, case_id, actor=who)
    events = service.timeline(app, case_id, actor=who)
    spec = app.workflow.spec
    current = {case["state"], case["residence_state"]} - {None}
    passed = {e["to_state"] for e in events if e.get("to_state")}
    t = gettext(lang)
    drawings = [
        draw(spec, spec.care, lang, title=t(N_("Care")), current=current, passed=passed),
    ]
    if case["residence_state"] is not None:
        drawings.append(
            draw(spec, spec.residence, lang, title=t(N_("Residence")), current=current,
                 passed=passed)
        )  # fmt: skip
    tz = app.workflow.tz
    names = {o["id"]: o["name"] for o in accounts.organisations(app)}
    return _render(
        request,
        "case.html",
        who=who,
        case=case,
        organisation_name=names.get(case["organisation"], case["organisation"]),
        events=[
            {
                **e,
                "happened": local_minute(e["happened_at"], tz),
                "recorded": local_minute(e["recorded_at"], tz),
            }
            for e in events
        ],
        drawings=drawings,
        timer_labels={tm.kind: t(tm.label) for tm in spec.timers},
        document_labels={kind: t(label) for kind, label in app.workflow.labels.items()},
        local_day=lambda moment: local_minute(moment, tz)[:10],
        may_read_documents=who.role in ("counsellor", "partner"),  # the document view: contents
        trigger_labels={
            **{n: t(text) for n, text in EVENTS.items()},
            **{n: t(tr.label) for n, tr in spec.triggers.items()},
        },
        state_labels={st.id: t(st.label) for tr in (spec.care, spec.residence) for st in tr.states},
        may_see_client="client_ref" in case,
        # the forms a counsellor, or a partner for what was shared with her, downloads
        export_kinds=export.KINDS if who.role in ("counsellor", "partner") else (),
        # only a counsellor's view at a referring step has them (engine.service.show)
        suggestions=(
            _mapview.suggestions(case["suggestions"], lang, t) if "suggestions" in case else None
        ),
    )
