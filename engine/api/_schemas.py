"""What to send: the JSON Schemas of the document kinds and of each trigger's data, for any
signed-in role (they hold no case data)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from engine.api._deps import AppDep, PrincipalDep
from engine.documents import DOCUMENT_MODELS, document_model, document_title
from engine.errors import NotFound
from engine.i18n import _
from engine.states import trigger_names, trigger_schema

router = APIRouter(tags=["schemas"])

Name = Annotated[str, Field(max_length=64)]


class DocumentKind(BaseModel):
    kind: str
    title: str
    schema_url: str = Field(description="where its JSON Schema is")


class TriggerName(BaseModel):
    trigger: str
    track: str = Field(description="care or residence")
    label: str
    schema_url: str = Field(description="where the JSON Schema of its data is")


@router.get(
    "/schema/documents",
    summary="The document kinds a case records",
    response_model=list[DocumentKind],
)
def documents(who: PrincipalDep) -> list[dict[str, str]]:
    return [
        {"kind": k, "title": document_title(m), "schema_url": f"/schema/documents/{k}"}
        for k, m in sorted(DOCUMENT_MODELS.items())
    ]


@router.get("/schema/documents/{kind}", summary="The JSON Schema of a document kind")
def document(kind: Name, who: PrincipalDep) -> dict[str, Any]:
    if kind not in DOCUMENT_MODELS:
        raise NotFound(
            _("unknown document kind {kind}", kind=repr(kind)),
            [_("kind: must be one of {kinds}", kinds=", ".join(sorted(DOCUMENT_MODELS)))],
        )
    return document_model(kind).model_json_schema()


@router.get(
    "/schema/triggers",
    summary="The triggers of the workflow",
    response_model=list[TriggerName],
)
def triggers(app: AppDep, who: PrincipalDep) -> list[dict[str, str]]:
    return [
        {**t, "schema_url": f"/schema/triggers/{t['trigger']}"} for t in trigger_names(app.workflow)
    ]


@router.get("/schema/triggers/{trigger}", summary="The JSON Schema of a trigger's data")
def trigger(trigger: Name, app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return trigger_schema(app.workflow, trigger)
