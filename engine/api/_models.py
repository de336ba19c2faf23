"""What the case endpoints answer, as documented in the OpenAPI schema. Times are ISO 8601
strings as the engine writes them; fields a role may not see are left out of the answer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Label(BaseModel):
    nl: str
    en: str


class TriggerOut(BaseModel):
    name: str
    track: str = Field(description="care or residence")
    label: Label
    allowed: bool
    reasons: list[str] | None = Field(None, description="why it is refused (when not allowed)")


class DocumentRef(BaseModel):
    kind: str
    version: int
    happened_at: Moment
    recorded_at: Moment
    actor: str


class TimerOut(BaseModel):
    kind: str
    due_on: Day
    due_at: Moment
    status: str = Field(description="pending, overdue, done or cancelled")
    days_overdue: int
    remind_on: list[Day]


class CaseOut(BaseModel):
    id: str
    client_ref: str | None = Field(None, description="only for the case's own organisation")
    organisation: str
    counsellor: str | None
    kind: str
    intake_on: Day
    state: str
    state_label: Label
    phase: str
    step: int | None
    closed: bool
    state_entered_at: Moment
    step_due_on: Day | None
    step_overdue: bool
    residence_state: str | None
    residence_label: Label | None
    article64: bool | None
    facts: dict[str, Any] | None = Field(None, description="only for the case's organisation")
    triggers: list[TriggerOut] = Field(
        description="empty for a role that may not change it; a partner's own (answer an "
        "offer, complete a re-integration step)"
    )
    missing_documents: list[str]
    deferred: list[str] = Field(
        [],
        description="what waits for later, e.g. the evaluation (step 7) an IND decision "
        "recorded in step 1 calls for, once step 1 is done",
    )
    hints: list[str] = Field(
        [],
        description="what to do next where the step's requirements and the refusals say "
        "nothing (e.g. the reflection period has ended); in English, as `deferred`",
    )
    documents: list[DocumentRef]
    timers: list[TimerOut]
    version: int
    suggestions: dict[str, Any] | None = Field(
        None,
        description="the social map's organisations in her country, for her counsellor where "
        "the step refers; `partners` marks the registered partner organisations behind each",
    )


class EventOut(BaseModel):
    seq: int
    track: str
    trigger: str
    from_state: str | None
    to_state: str | None
    actor: str = Field(description="who: person:<id>, system:<id>, cli:<login>")
    happened_at: Moment
    recorded_at: Moment
    data: dict[str, Any] = Field(description="empty for a coordinator")


class DocumentOut(BaseModel):
    kind: str
    version: int
    data: dict[str, Any]
    actor: str
    happened_at: Moment
    recorded_at: Moment
    latest: int = Field(description="the newest version of this document on the case")


class MissingDocument(BaseModel):
    kind: str
    label: Label


class DeadlineItem(BaseModel):
    """A deadline or a step's expected end of one case, as the lists give it."""

    case_id: str
    organisation: str
    counsellor: str | None
    label: Label
    state: str
    step: str
    step_number: int | None
    step_label: Label
    due_on: Day
    due_at: Moment
    missing: list[MissingDocument] = Field(
        description="document kinds the case's step still needs: never recorded, or not "
        "renewed since the step began (no contents are read)"
    )


class OverdueItem(DeadlineItem):
    kind: str = Field(description="a timer kind, or step_overdue")
    days_overdue: int


class OverdueList(BaseModel):
    items: list[OverdueItem] = Field(description="most overdue first")
    counts: dict[str, int] = Field(description="overdue items per organisation, all pages")
    next: str | None = Field(
        description="cursor of the next page (pass it as `cursor`); null on the last page"
    )
