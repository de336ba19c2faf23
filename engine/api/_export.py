"""The export endpoint: a case's document as the book's form, HTML or PDF/A, English or Dutch
(see `engine.export`). Who may have which is the service's to say."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import Field

from engine import service
from engine.api._deps import AppDep, PrincipalDep
from engine.export import attachment_headers, client_copy

router = APIRouter(tags=["cases"])


@router.get(
    "/cases/{case_id}/documents/{kind}/export",
    summary="A document as the book's form (PDF/A or HTML, English or Dutch)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/html": {}}}},
)
def export(
    case_id: Annotated[str, Field(max_length=36)],
    kind: Annotated[str, Field(max_length=64)],
    app: AppDep,
    who: PrincipalDep,
    format: Annotated[str, Query(max_length=8, description="pdf or html")] = "pdf",
    lang: Annotated[str, Query(max_length=8, description="en or nl")] = "en",
    copy: Annotated[
        str | None, Query(max_length=16, description="`client`: her own copy, with her reference")
    ] = None,
) -> Response:
    made = service.export(
        app, case_id, kind, actor=who, format=format, lang=lang, client_copy=client_copy(copy)
    )
    return Response(
        made.content, media_type=made.media_type, headers=attachment_headers(made.filename)
    )
