"""Administration: organisations, people and systems, tokens. Admins only; `/me` for all."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from engine import accounts
from engine.api._deps import AdminDep, AppDep, PrincipalDep

router = APIRouter(tags=["accounts"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewOrganisation(_Body):
    id: str = Field(max_length=64)
    kind: Literal["shelter", "partner", "region"]
    name: str = Field(max_length=200)
    region: str | None = Field(default=None, max_length=64)


class NewUser(_Body):
    id: str = Field(max_length=64, description="a user id, never a name")
    organisation: str = Field(max_length=64)
    role: Literal["counsellor", "coordinator", "partner", "admin", "privacy_officer"]
    kind: Literal["person", "system"] = "person"


class NewToken(_Body):
    label: str | None = Field(default=None, max_length=100)
    expires_at: datetime | None = None


@router.get("/me", summary="Who the token belongs to")
def me(who: PrincipalDep) -> dict[str, Any]:
    return {"user_id": who.user_id, "role": who.role, "organisation": who.organisation,
            "kind": who.kind}  # fmt: skip


@router.post("/organisations", status_code=status.HTTP_201_CREATED)
def add_organisation(body: NewOrganisation, app: AppDep, _: AdminDep) -> dict[str, Any]:
    return accounts.add_organisation(
        app, body.id, kind=body.kind, name=body.name, region=body.region
    )


@router.get("/organisations")
def organisations(app: AppDep, _: AdminDep) -> list[dict[str, Any]]:
    return accounts.organisations(app)


@router.post("/users", status_code=status.HTTP_201_CREATED)
def add_user(body: NewUser, app: AppDep, _: AdminDep) -> dict[str, Any]:
    return accounts.add_user(
        app, body.id, organisation=body.organisation, role=body.role, kind=body.kind
    )


@router.get("/users")
def users(app: AppDep, _: AdminDep, organisation: str | None = None) -> list[dict[str, Any]]:
    return accounts.users(app, organisation)


@router.post("/users/{user_id}/deactivate", status_code=status.HTTP_204_NO_CONTENT)
def deactivate(user_id: str, app: AppDep, _: AdminDep) -> None:
    accounts.set_active(app, user_id, False)


@router.post(
    "/users/{user_id}/tokens",
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API token; its secret is shown this once",
)
def issue(user_id: str, body: NewToken, app: AppDep, _: AdminDep) -> dict[str, Any]:
    return accounts.issue_token(app, user_id, label=body.label, expires_at=body.expires_at)


@router.get("/users/{user_id}/tokens", summary="A user's tokens (no secrets)")
def tokens(user_id: str, app: AppDep, _: AdminDep) -> list[dict[str, Any]]:
    return accounts.tokens(app, user_id)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke(token_id: int, app: AppDep, _: AdminDep) -> None:
    accounts.revoke_token(app, token_id)
