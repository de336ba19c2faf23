"""The case page's export links: a document as the book's form, downloaded as HTML or PDF in
the page's language, as the signed-in person (the API's scope, consent and audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from engine import service
from engine.export import attachment_headers, client_copy
from engine.pages._routes import PageRoute, _app, _who

router = APIRouter(prefix="/ui/cases", route_class=PageRoute, include_in_schema=False)


@router.get("/{case_id}/documents/{kind}/export")
def export_download(
    request: Request,
    case_id: Annotated[str, Path(max_length=36)],
    kind: Annotated[str, Path(max_length=64)],
    format: Annotated[str, Query(max_length=8)] = "pdf",
    lang: Annotated[str, Query(max_length=8)] = "nl",
    copy: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    who, app = _who(request), _app(request)
    made = service.export(
        app, case_id, kind, actor=who, format=format, lang=lang, client_copy=client_copy(copy)
    )
    return Response(
        made.content, media_type=made.media_type, headers=attachment_headers(made.filename)
    )
