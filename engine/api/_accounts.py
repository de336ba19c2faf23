"""Administration: organisations, people and systems, tokens. Admins only; `/me` for all."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, status
from pydantic import BaseModel, ConfigDict, Field

from engine import accounts, enrolment, throttle
from engine.api._deps import AdminDep, AppDep, PrincipalDep, address
from engine.bootstrap import build_channels
from engine.directory import Directory

router = APIRouter(tags=["accounts"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewOrganisation(_Body):
    id: str = Field(max_length=64)
    kind: Literal["shelter", "partner", "region"]
    name: str = Field(max_length=200)
    region: str | None = Field(default=None, max_length=64)
    socialmap_id: str | None = Field(
        default=None, max_length=64, description="a partner's entry on the social map"
    )


class SocialMapLink(_Body):
    socialmap_id: str | None = Field(
        max_length=64, description="the organisation's entry on the social map; null: none"
    )


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
def add_organisation(body: NewOrganisation, app: AppDep, who: AdminDep) -> dict[str, Any]:
    return accounts.add_organisation(
        app,
        body.id,
        kind=body.kind,
        name=body.name,
        region=body.region,
        socialmap_id=body.socialmap_id,
        actor=who.actor,
    )


@router.put("/organisations/{org_id}/socialmap", summary="Point a partner at its social-map entry")
def link_socialmap(
    org_id: Annotated[str, Path(max_length=64)], body: SocialMapLink, app: AppDep, who: AdminDep
) -> dict[str, Any]:
    return accounts.link_socialmap(app, org_id, body.socialmap_id, actor=who.actor)


@router.get("/organisations")
def organisations(app: AppDep, _: AdminDep) -> list[dict[str, Any]]:
    return accounts.organisations(app)


@router.post("/users", status_code=status.HTTP_201_CREATED)
def add_user(body: NewUser, app: AppDep, who: AdminDep) -> dict[str, Any]:
    return accounts.add_user(
        app,
        body.id,
        organisation=body.organisation,
        role=body.role,
        kind=body.kind,
        actor=who.actor,
    )


@router.get(
    "/users",
    description="The registered people and systems, of one organisation and one role if "
    "given (as `safe-future user list`); an unknown role or organisation is 422.",
)
def users(
    app: AppDep, _: AdminDep, organisation: str | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    return accounts.find_users(app, organisation=organisation, role=role)


@router.post("/users/{user_id}/deactivate", status_code=status.HTTP_204_NO_CONTENT)
def deactivate(user_id: str, app: AppDep, who: AdminDep) -> None:
    accounts.set_active(app, user_id, False, actor=who.actor)


@router.post(
    "/users/{user_id}/tokens",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a system's API token; its secret is shown this once",
    description="Only for systems: a person's token reaches her through her enrolment link.",
)
def issue(user_id: str, body: NewToken, app: AppDep, who: AdminDep) -> dict[str, Any]:
    return accounts.issue_token(
        app, user_id, issuer=who.actor, label=body.label, expires_at=body.expires_at
    )


@router.post(
    "/users/{user_id}/enrolment",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a person her one-time enrolment link, to her own address",
    description="The link goes by e-mail to her address in the directory; the answer says "
    "until when it works, never the link. A new link replaces the previous one.",
)
def enrol(user_id: str, app: AppDep, who: AdminDep) -> dict[str, Any]:
    return enrolment.send_link(
        app,
        user_id,
        issuer=who.actor,
        channel=build_channels(app.clock).get("email"),
        directory=Directory.load(app.settings.directory),
    )


class Redeem(_Body):
    secret: str = Field(max_length=100, description="the secret at the end of the link")


@router.post(
    "/enrolment",
    status_code=status.HTTP_201_CREATED,
    summary="Redeem an enrolment link for your own API token (shown this once)",
)
def redeem(body: Redeem, request: Request, app: AppDep) -> dict[str, Any]:
    """Wrong secrets count against the same rate limits as wrong tokens."""
    return throttle.sign_in(
        app, address(request), body.secret, lambda: enrolment.redeem(app, body.secret)
    )


@router.get("/users/{user_id}/tokens", summary="A user's tokens (no secrets)")
def tokens(user_id: str, app: AppDep, _: AdminDep) -> list[dict[str, Any]]:
    return accounts.tokens(app, user_id)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke(
    token_id: Annotated[int, Path(ge=1, le=accounts.MAX_TOKEN_ID)], app: AppDep, who: AdminDep
) -> None:
    accounts.revoke_token(app, token_id, actor=who.actor)
