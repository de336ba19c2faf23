"""Organisations, people, systems and their tokens: the administrator's service functions,
and turning a presented token into a principal.

Tokens are random (256 bits) and shown once; only their SHA-256 digest is stored, so a copy of
the database gives no way in. Revoking a token, or deactivating its user, takes effect on the
next request."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, get_args

from engine.access import ROLES, Principal
from engine.access._principal import Kind
from engine.bootstrap import App
from engine.errors import InvalidInput, Unauthenticated
from engine.logs import get_logger

log = get_logger("engine.accounts")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
ORG_KINDS = ("shelter", "partner", "region")
PURPOSES = ("api", "calendar", "session")
# Which organisation kind each role belongs to (admins may sit anywhere).
_ROLE_ORG = {"counsellor": "shelter", "coordinator": "region", "partner": "partner",
             "privacy_officer": "shelter"}  # fmt: skip
_PREFIX = {"api": "sfe_", "calendar": "sfc_", "session": "sfs_"}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_organisation(
    app: App, org_id: str, *, kind: str, name: str, region: str | None = None
) -> dict[str, Any]:
    """Register a shelter (in a region), a partner organisation or a coordination region."""
    reasons = _id_reasons("id", org_id)
    if kind not in ORG_KINDS:
        reasons.append(f"kind: must be one of {', '.join(ORG_KINDS)}")
    if not 1 <= len(name.strip()) <= 200:
        reasons.append("name: 1-200 characters")
    if region is not None and kind != "shelter":
        reasons.append("region: only a shelter belongs to a region")
    with app.uow.access() as repo:
        if region is not None:
            found = repo.organisation(region)
            if found is None or found["kind"] != "region":
                reasons.append(f"region: {region} is not a registered region")
        if reasons:
            raise InvalidInput("cannot add the organisation", reasons)
        row = {"id": org_id, "kind": kind, "name": name.strip(), "region": region}
        repo.add_organisation(row)
    log.info("organisation_added", organisation=org_id, kind=kind)
    return row


def organisations(app: App) -> list[dict[str, Any]]:
    with app.uow.access() as repo:
        return repo.organisations()


def add_user(
    app: App, user_id: str, *, organisation: str, role: str, kind: str = "person"
) -> dict[str, Any]:
    """Register a person or a system with one role at one organisation (no names kept)."""
    reasons = _id_reasons("id", user_id)
    if role not in ROLES:
        reasons.append(f"role: must be one of {', '.join(ROLES)}")
    if kind not in get_args(Kind):
        reasons.append("kind: person or system")
    with app.uow.access() as repo:
        org = repo.organisation(organisation)
        if org is None:
            reasons.append(f"organisation: {organisation} is not registered")
        elif role in _ROLE_ORG and org["kind"] != _ROLE_ORG[role]:
            reasons.append(f"role: a {role} belongs to a {_ROLE_ORG[role]}, not a {org['kind']}")
        if reasons:
            raise InvalidInput("cannot add the user", reasons)
        row = {"id": user_id, "organisation": organisation, "role": role, "kind": kind,
               "active": True, "created_at": app.clock.now()}  # fmt: skip
        repo.add_user(row)
    log.info("user_added", user=user_id, role=role, organisation=organisation)
    return _public(row)


def users(app: App, organisation: str | None = None) -> list[dict[str, Any]]:
    with app.uow.access() as repo:
        return [_public(u) for u in repo.users(organisation)]


def set_active(app: App, user_id: str, active: bool) -> None:
    """Deactivate (or reactivate) a user: her tokens stop working at once."""
    with app.uow.access() as repo:
        if not repo.set_active(user_id, active):
            raise InvalidInput("no such user", [f"user: {user_id} is not registered"])
    log.info("user_active_changed", user=user_id, active=active)


def issue_token(
    app: App,
    user_id: str,
    *,
    purpose: str = "api",
    label: str | None = None,
    expires_at: datetime | None = None,
) -> dict[str, Any]:
    """A new token for `user_id`; the secret is in the answer once and nowhere else. A new
    calendar token replaces the previous one (the old feed URL stops working)."""
    reasons = [] if purpose in PURPOSES else [f"purpose: must be one of {', '.join(PURPOSES)}"]
    if label is not None and len(label) > 100:
        reasons.append("label: at most 100 characters")
    now = app.clock.now()
    if expires_at is not None and expires_at <= now:
        reasons.append("expires_at: lies in the past")
    secret = _PREFIX.get(purpose, "") + secrets.token_urlsafe(32)
    with app.uow.access() as repo:
        if repo.user(user_id) is None:
            reasons.append(f"user: {user_id} is not registered")
        if reasons:
            raise InvalidInput("cannot issue the token", reasons)
        if purpose == "calendar":
            repo.revoke_purpose(user_id, "calendar", now)
        token_id = repo.add_token(
            {"digest": digest(secret), "user_id": user_id, "purpose": purpose, "label": label,
             "created_at": now, "expires_at": expires_at}
        )  # fmt: skip
    log.info("token_issued", token_id=token_id, user=user_id, purpose=purpose)
    return {"id": token_id, "user_id": user_id, "purpose": purpose, "token": secret}


def tokens(app: App, user_id: str) -> list[dict[str, Any]]:
    """A user's tokens without their secrets (which are not kept)."""
    with app.uow.access() as repo:
        return repo.tokens(user_id)


def revoke_token(app: App, token_id: int, *, user_id: str | None = None) -> None:
    """Revoke a token at once. Revoking an API token also ends the browser sessions of its
    user: a session opened with a leaked token must not outlive it."""
    now = app.clock.now()
    with app.uow.access() as repo:
        revoked = repo.revoke(token_id, now, user_id)
        if revoked is None:
            raise InvalidInput("cannot revoke", [f"token: no live token {token_id}"])
        ended = 0
        if revoked["purpose"] == "api":
            ended = repo.revoke_purpose(revoked["user_id"], "session", now)
    log.info("token_revoked", token_id=token_id, sessions_ended=ended)


def authenticate(app: App, secret: str | None, purpose: str = "api") -> Principal:
    """The principal a presented token stands for, or `Unauthenticated`."""
    return _principal(_holder(app, secret, purpose))


def _holder(app: App, secret: str | None, purpose: str) -> dict[str, Any]:
    if not secret:
        raise Unauthenticated("a token is needed", ["authorization: send 'Bearer <token>'"])
    with app.uow.access() as repo:
        holder = repo.holder(digest(secret), purpose, app.clock.now())
    if holder is None:
        raise Unauthenticated(
            "the token is not valid", ["authorization: unknown, expired or revoked"]
        )
    return holder


def _principal(holder: dict[str, Any]) -> Principal:
    return Principal(
        user_id=holder["id"],
        role=holder["role"],
        organisation=holder["organisation"],
        kind=holder["kind"],
        organisation_name=holder["organisation_name"],
    )


def start_session(app: App, secret: str | None) -> tuple[str, datetime]:
    """Trade a person's API token for a browser session: a `session` token of its own that
    expires after `session_hours` and ends at logout, so the API token never sits in a
    browser's cookie jar. It ends no later than the token it was opened with, and revoking
    that token ends it too. Answers the session secret and when it expires."""
    holder = _holder(app, secret, "api")
    if holder["kind"] != "person":
        raise Unauthenticated("not a person's token", ["token: a system's token opens no pages"])
    expires = app.clock.now() + timedelta(hours=app.settings.session_hours)
    if holder["token_expires_at"] is not None:
        expires = min(expires, holder["token_expires_at"])
    session = issue_token(
        app, holder["id"], purpose="session", label="browser session", expires_at=expires
    )
    log.info("session_started", user=holder["id"], token_id=session["id"])
    return session["token"], expires


def end_session(app: App, secret: str) -> None:
    """Log out: the session token stops working at once."""
    with app.uow.access() as repo:
        repo.revoke_secret(digest(secret), "session", app.clock.now())


def _id_reasons(field: str, value: str) -> list[str]:
    if _ID.match(value):
        return []
    return [f"{field}: 1-64 lower-case letters, digits, '.', '_' or '-' (an id, never a name)"]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
