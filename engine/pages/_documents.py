"""A recorded document as a page: each field's label and answer in the page's language, parts
indented (the lines of `engine.export.readable`, as `case document` prints them), with links to
its other versions. The shelter's pages and the partner's share it; who may read what is the
service's (`service.document`): a coordinator gets the 403 page, a partner its own scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from engine import service
from engine.bootstrap import App
from engine.clock import local_minute
from engine.errors import InvalidInput
from engine.export import readable
from engine.i18n import _
from engine.pages._i18n import pick_lang
from engine.pages._routes import PageRoute, _app, _render, _who

router = APIRouter(prefix="/ui/cases", route_class=PageRoute, include_in_schema=False)
CaseId = Annotated[str, Path(max_length=36)]
Kind = Annotated[str, Path(max_length=64)]
Version = Annotated[str, Query(max_length=12)]


@router.get("/{case_id}/documents/{kind}")
def document_page(
    request: Request, case_id: CaseId, kind: Kind, version: Version = ""
) -> HTMLResponse:
    """One version of a document (default the latest), readable."""
    who, app = _who(request), _app(request)
    found = service.document(app, case_id, kind, actor=who, version=version_asked(version))
    back = f"/ui/partner/cases/{case_id}" if who.role == "partner" else f"/ui/cases/{case_id}"
    return _render(request, "document.html", who=who, case_id=case_id, back=back,
                   **shown(app, found, pick_lang(request)))  # fmt: skip


def version_asked(text: str) -> int | None:
    """`?version=` as a number, or None (the latest) when not given."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(_("no such document"), [_("version: a whole number from 1")])
    return int(text)


def shown(app: App, doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """What a document page shows of `doc` (the service's answer) in `lang`."""
    wf = app.workflow
    words = {**wf.labels, **wf.timer_names}  # as `case document` reads them
    return {
        "doc": doc,
        "label": wf.labels.get(doc["kind"], doc["kind"]),
        "lines": readable(doc["kind"], doc["data"], lang, words=words),
        "happened": local_minute(doc["happened_at"], wf.tz),
        "recorded": local_minute(doc["recorded_at"], wf.tz),
        "versions": range(doc["latest"], 0, -1),
    }
