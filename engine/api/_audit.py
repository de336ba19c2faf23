"""The audit of a case for an administrator or a privacy officer: who read or changed it and
when (no contents), and whether its hash chains are intact. Out of scope answers 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from engine import audit
from engine.api._cases import CaseId
from engine.api._deps import AppDep, PrincipalDep

router = APIRouter(tags=["audit"])


class AuditRow(BaseModel):
    seq: int
    at: str
    actor: str
    action: str


class ChainBreak(BaseModel):
    case_id: str
    seq: int
    what: str


class Verified(BaseModel):
    ok: bool
    checked: int
    broken: list[ChainBreak]


@router.get(
    "/cases/{case_id}/audit",
    summary="Who read or changed the case, when (administrator, privacy officer)",
    response_model=list[AuditRow],
)
def trail(case_id: CaseId, app: AppDep, who: PrincipalDep) -> list[dict[str, Any]]:
    return audit.trail(app, case_id, actor=who)


@router.get(
    "/cases/{case_id}/audit/verify",
    summary="Check the hash chains of the case's events and audit rows",
    response_model=Verified,
)
def verify(case_id: CaseId, app: AppDep, who: PrincipalDep) -> dict[str, Any]:
    return audit.verify(app, case_id, actor=who)
