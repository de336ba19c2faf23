"""The partner organisation's own pages, in English unless its browser or `?lang=` asks for
another catalog language (see `engine.pages._i18n.pick_lang`): its cases (offered to it or handed
over), one case with what its step still needs, the answer to an offer, and forms for the
re-integration documents (chapter 7, L3529-3860). They call the same service functions as the
API, as the signed-in partner, so scope and audit are the API's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from engine import service
from engine.access import PARTNER_TRIGGERS
from engine.errors import Forbidden, InvalidInput
from engine.i18n import _
from engine.pages._documents import Kind, Version, shown, version_asked
from engine.pages._i18n import pick_lang
from engine.pages._partner_forms import CHOICE_WORDS, CHOICES, FORMS, GOAL_ROWS, document_from
from engine.pages._routes import PageRoute, _app, _render, _same_origin, _today, _who

router = APIRouter(prefix="/ui/partner", route_class=PageRoute, include_in_schema=False)
CaseId = Annotated[str, Path(max_length=36)]
DECLINE_REASONS = ("no_capacity", "no_services_in_region", "outside_mandate", "safety_concerns",
                   "other")  # fmt: skip


@router.get("")
def cases_page(request: Request) -> HTMLResponse:
    who, app = _who(request), _app(request)
    items = service.partner_cases(app, actor=who)
    return _render(request, "partner.html", who=who, items=items, labels=app.workflow.labels)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: CaseId) -> HTMLResponse:
    who, app = _who(request), _app(request)
    if who.role != "partner":
        raise Forbidden(_("not a partner"), [_("role: these pages are for a partner organisation")])
    case = service.show(app, case_id, actor=who)
    labels = app.workflow.labels
    handed = case["state"].startswith("reint_")
    forms = [k for k in case["missing_documents"] if k in FORMS]
    if handed and "contact" not in forms:
        forms.append("contact")
    return _render(
        request,
        "partner_case.html",
        who=who,
        case=case,
        labels=labels,
        forms=forms,
        choices=CHOICES,
        goal_rows=range(GOAL_ROWS),
        reasons=DECLINE_REASONS,
        words=CHOICE_WORDS,
        today=_today(app).isoformat(),
        timer_labels={tm.kind: tm.label for tm in app.workflow.spec.timers},
    )


@router.get("/cases/{case_id}/documents/{kind}")
def document_page(
    request: Request, case_id: CaseId, kind: Kind, version: Version = ""
) -> HTMLResponse:
    """One document shared with the partner (or its own), readable: its fields in order."""
    who, app = _who(request), _app(request)
    found = service.document(app, case_id, kind, actor=who, version=version_asked(version))
    return _render(request, "partner_document.html", who=who, case_id=case_id,
                   **shown(app, found, pick_lang(request)))  # fmt: skip


@router.post("/cases/{case_id}/fire/{trigger}")
async def fire(request: Request, case_id: CaseId, trigger: str) -> Response:
    _same_origin(request)
    who, app = _who(request), _app(request)
    if trigger not in PARTNER_TRIGGERS:
        raise InvalidInput(
            _("unknown action"),
            [_("trigger: one of {triggers}", triggers=", ".join(PARTNER_TRIGGERS))],
        )
    form = await request.form()
    data: dict[str, Any] = {}
    if trigger == "decline_handover":
        data = {k: str(form[k]).strip() for k in ("reason", "note") if str(form.get(k, "")).strip()}
    service.fire(app, case_id, trigger, data, actor=who)
    target = "/ui/partner" if trigger == "decline_handover" else f"/ui/partner/cases/{case_id}"
    return RedirectResponse(target + _lang_query(request), 303)


@router.post("/cases/{case_id}/documents/{kind}")
async def record(request: Request, case_id: CaseId, kind: str) -> Response:
    _same_origin(request)
    who, app = _who(request), _app(request)
    if kind not in FORMS:
        raise InvalidInput(
            _("no form for this document"), [_("kind: one of {kinds}", kinds=", ".join(FORMS))]
        )
    form = await request.form()
    single = {k: str(v) for k, v in form.items()}
    lists = {k: [str(v) for v in form.getlist(k)] for k in form}
    service.record(app, case_id, kind, document_from(kind, single, lists), actor=who)
    return RedirectResponse(f"/ui/partner/cases/{case_id}{_lang_query(request)}#saved-{kind}", 303)


def _lang_query(request: Request) -> str:
    """The language the form was posted in, kept for the page the answer leads to."""
    lang = pick_lang(request)
    return f"?lang={lang}"
