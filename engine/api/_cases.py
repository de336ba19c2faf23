"""Case endpoints: open, fire, record and read documents, show, timeline, timers, diagram
(the overdue list and the overview are in `_overview`). Each calls one service function
within the caller's scope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import PlainTextResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from engine import service
from engine.api._deps import AppDep, PrincipalDep
from engine.api._models import CaseOut, DocumentOut, EventOut, TimerOut
from engine.errors import InvalidInput
from engine.i18n import LANGS, _
from engine.service import MAX_VERSION
from engine.states import dot, mermaid

router = APIRouter(tags=["cases"])

CaseId = Annotated[str, Field(max_length=36)]
DiagramLang = Annotated[
    str, Query(max_length=8, description=f"language of the labels: {' or '.join(LANGS)}")
]


def check_lang(lang: str) -> None:
    """`lang` is one of the catalogs' languages (`engine.i18n.LANGS`), else bad input naming
    them: a translator's new catalog is offered here without a code change."""
    if lang not in LANGS:
        raise InvalidInput(
            _("bad language"),
            [_("lang: {lang} is not a language of the labels; use {langs}",
               lang=repr(lang), langs="|".join(LANGS))],
        )  # fmt: skip


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenCase(_Body):
    client_ref: str = Field(description="pseudonymous file number, never a name", max_length=64)
    organisation: str | None = Field(
        default=None, max_length=64, description="default: the caller's organisation"
    )
    kind: Literal["trafficking", "domestic_violence", "honour_violence"]
    intake_on: date
    counsellor: str | None = Field(default=None, max_length=64)
    happened_at: AwareDatetime | None = Field(
        default=None, description="with its UTC offset; default: the intake day"
    )


class FireTrigger(_Body):
    data: dict[str, Any] = Field(
        default={}, description="the trigger's data: see GET /schema/triggers/{trigger}"
    )
    documents: dict[str, dict[str, Any]] = Field(
        default={},
        description="documents to record first, in the same transaction: {KIND: DATA}, each "
        "DATA as GET /schema/documents/{kind} describes; when the trigger is refused or a "
        "document is invalid, none is recorded",
    )
    happened_at: AwareDatetime | None = Field(
        default=None, description="when it happened, with its UTC offset; default now"
    )


class RecordDocument(_Body):
    data: dict[str, Any] = Field(description="the document: see GET /schema/documents/{kind}")
    happened_at: AwareDatetime | None = Field(
        default=None, description="when it was made, with its UTC offset; default now"
    )


class Assign(_Body):
    counsellor: str = Field(max_length=64)


@router.post(
    "/cases",
    status_code=status.HTTP_201_CREATED,
    summary="Open a case at intake",
    response_model=CaseOut,
    response_model_exclude_unset=True,
)
def open_case(body: OpenCase, app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return service.open_case(
        app,
        client_ref=body.client_ref,
        organisation=body.organisation or who.organisation,
        kind=body.kind,
        intake_on=body.intake_on,
        counsellor=body.counsellor,
        actor=who,
        at=body.happened_at,
    )


@router.get(
    "/cases/{case_id}",
    summary="A case with its allowed triggers and refusal reasons",
    response_model=CaseOut,
    response_model_exclude_unset=True,
)
def show(
    case_id: CaseId, app: AppDep, who: PrincipalDep, at: datetime | None = None
) -> dict[str, Any]:
    return service.show(app, case_id, actor=who, at=at)


@router.post(
    "/cases/{case_id}/triggers/{trigger}",
    summary="Fire a trigger, with the step's documents if given",
    response_model=CaseOut,
    response_model_exclude_unset=True,
)
def fire(
    case_id: CaseId,
    trigger: Annotated[str, Field(max_length=64)],
    app: AppDep,
    who: PrincipalDep,
    body: FireTrigger | None = None,
) -> dict[str, Any]:
    body = body or FireTrigger()  # no body: no data, no documents, now
    return service.fire(
        app, case_id, trigger, body.data, actor=who, at=body.happened_at, documents=body.documents
    )


@router.post(
    "/cases/{case_id}/documents/{kind}",
    status_code=status.HTTP_201_CREATED,
    summary="Record a new version of a document",
    response_model=CaseOut,
    response_model_exclude_unset=True,
)
def record(
    case_id: CaseId,
    kind: Annotated[str, Field(max_length=64)],
    body: RecordDocument,
    app: AppDep,
    who: PrincipalDep,
) -> dict[str, Any]:
    return service.record(app, case_id, kind, body.data, actor=who, at=body.happened_at)


@router.get(
    "/cases/{case_id}/documents/{kind}",
    summary="Read a document (latest or a version)",
    response_model=DocumentOut,
)
def document(
    case_id: CaseId,
    kind: Annotated[str, Field(max_length=64)],
    app: AppDep,
    who: PrincipalDep,
    version: Annotated[int | None, Query(ge=1, le=MAX_VERSION)] = None,
) -> dict[str, Any]:
    return service.document(app, case_id, kind, actor=who, version=version)


@router.get(
    "/handovers",
    summary="A partner's cases: offered to it (awaiting its answer, accepted) or handed over",
)
def handovers(app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return {"items": service.partner_cases(app, actor=who)}


@router.put(
    "/cases/{case_id}/counsellor",
    summary="Give the case to a (new) counsellor",
    response_model=CaseOut,
    response_model_exclude_unset=True,
)
def assign(case_id: CaseId, body: Assign, app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return service.assign(app, case_id, body.counsellor, actor=who)


@router.get(
    "/cases/{case_id}/timeline",
    summary="Every event: who, when happened, recorded",
    response_model=list[EventOut],
)
def timeline(case_id: CaseId, app: AppDep, who: PrincipalDep) -> list[dict[str, Any]]:
    return service.timeline(app, case_id, actor=who)


@router.get(
    "/cases/{case_id}/timers",
    summary="The case's deadlines and their status",
    response_model=list[TimerOut],
)
def timers(
    case_id: CaseId, app: AppDep, who: PrincipalDep, at: datetime | None = None
) -> list[dict[str, Any]]:
    return service.timers(app, case_id, actor=who, at=at)


@router.get(
    "/cases/{case_id}/diagram",
    response_class=PlainTextResponse,
    summary="The workflow with this case's current steps highlighted",
)
def case_diagram(
    case_id: CaseId,
    app: AppDep,
    who: PrincipalDep,
    format: Literal["mermaid", "dot"] = "mermaid",
    lang: DiagramLang = "en",
) -> str:
    check_lang(lang)
    view = service.show(app, case_id, actor=who)
    draw = mermaid if format == "mermaid" else dot
    return draw(app.workflow.spec, lang, [s for s in (view["state"], view["residence_state"]) if s])


@router.get("/workflow/diagram", response_class=PlainTextResponse, summary="The workflow")
def workflow_diagram(
    app: AppDep,
    who: PrincipalDep,
    format: Literal["mermaid", "dot"] = "mermaid",
    lang: DiagramLang = "en",
) -> str:
    check_lang(lang)
    return (mermaid if format == "mermaid" else dot)(app.workflow.spec, lang)
