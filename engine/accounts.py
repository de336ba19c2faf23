"""Organisations, people, systems and their tokens: the administrator's service functions,
and turning a presented token into a principal.

Tokens are random (256 bits) and shown once; only their SHA-256 digest is stored, so a copy of
the database gives no way in. Revoking a token, or deactivating its user, takes effect on the
next request.

No one acts as another person: a person's tokens are issued only to herself (her enrolment link,
`engine.enrolment`, her calendar, her browser session); an administrator issues tokens for
systems only. Every account action is written to the audit trail (case id `accounts`) with
who did it, and logged with the issuer."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, get_args

from engine.access import ROLES, Principal
from engine.access._principal import Kind
from engine.bootstrap import App
from engine.clock import LATEST
from engine.errors import InvalidInput, Unauthenticated
from engine.i18n import _
from engine.logs import get_logger
from engine.store import AccessRepository

log = get_logger("engine.accounts")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
ORG_KINDS = ("shelter", "partner", "region")
PURPOSES = ("api", "calendar", "session")
# Which organisation kind each role belongs to (admins may sit anywhere).
_OPERATOR = re.compile(r"^cli:[A-Za-z0-9._-]{1,64}$")
_ROLE_ORG = {"counsellor": "shelter", "coordinator": "region", "partner": "partner",
             "privacy_officer": "shelter"}  # fmt: skip
_PREFIX = {"api": "sfe_", "calendar": "sfc_", "session": "sfs_"}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_organisation(
    app: App,
    org_id: str,
    *,
    kind: str,
    name: str,
    actor: str,
    region: str | None = None,
    socialmap_id: str | None = None,
) -> dict[str, Any]:
    """Register a shelter (in a region), a partner organisation (pointing at its social-map
    entry when it has one) or a coordination region. Display names are unique once case and
    spacing are folded, so no look-alike can pass for another; access never goes by name
    anyway, only by id."""
    from engine import socialmap  # read only to link an organisation to it

    reasons = _id_reasons("id", org_id)
    on_map = socialmap_id is None or socialmap_id in socialmap.current(app)
    reasons += _socialmap_reasons(kind, socialmap_id, on_map)
    if kind not in ORG_KINDS:
        reasons.append(_("kind: must be one of {kinds}", kinds=", ".join(ORG_KINDS)))
    if not 1 <= len(name.strip()) <= 200:
        reasons.append(_("name: 1-200 characters"))
    if region is not None and kind != "shelter":
        reasons.append(_("region: only a shelter belongs to a region"))
    with app.uow.access() as repo:
        if region is not None:
            found = repo.organisation(region)
            if found is None or found["kind"] != "region":
                reasons.append(_("region: {region} is not a registered region", region=region))
        if any(fold_name(n) == fold_name(name) for n in repo.organisation_names()):
            reasons.append(_("name: an organisation named {name} exists already",
                             name=repr(" ".join(name.split()))))  # fmt: skip
        if reasons:
            raise InvalidInput(_("cannot add the organisation"), reasons)
        row = {"id": org_id, "kind": kind, "name": " ".join(name.split()), "region": region,
               "socialmap_id": socialmap_id}  # fmt: skip
        repo.add_organisation(row)
        repo.audit_account(actor, f"organisation:add:{org_id}", app.clock.now())
    log.info("organisation_added", organisation=org_id, kind=kind, issuer=actor)
    return row


def link_socialmap(
    app: App, org_id: str, socialmap_id: str | None, *, actor: str
) -> dict[str, Any]:
    """Point a partner organisation at its entry on the social map (None: no entry)."""
    from engine import socialmap  # read only to link an organisation to it

    on_map = socialmap_id is None or socialmap_id in socialmap.current(app)
    with app.uow.access() as repo:
        found = repo.organisation(org_id)
        if found is None:
            raise InvalidInput(_("cannot link the organisation"),
                               [_("id: no organisation {org_id}", org_id=org_id)])  # fmt: skip
        reasons = _socialmap_reasons(found["kind"], socialmap_id, on_map)
        if reasons:
            raise InvalidInput(_("cannot link the organisation"), reasons)
        repo.set_socialmap(org_id, socialmap_id)
        repo.audit_account(actor, f"organisation:socialmap:{org_id}", app.clock.now())
    log.info("organisation_linked", organisation=org_id, socialmap=socialmap_id, issuer=actor)
    return {**found, "socialmap_id": socialmap_id}


def _socialmap_reasons(kind: str, socialmap_id: str | None, on_map: bool) -> list[str]:
    """What is wrong with pointing an organisation of `kind` at `socialmap_id`. `on_map` is
    read before the accounts' transaction (the map's changes have their own)."""
    if socialmap_id is None:
        return []
    if kind != "partner":
        return [_("socialmap: only a partner organisation points at a social-map entry")]
    if not on_map:
        return [_("socialmap: {entry} is not on the social map (socialmap search)",
                  entry=repr(socialmap_id))]  # fmt: skip
    return []


def organisations(app: App) -> list[dict[str, Any]]:
    with app.uow.access() as repo:
        return repo.organisations()


def fold_name(name: str) -> str:
    """A display name as compared for uniqueness: spacing and case folded."""
    return " ".join(name.split()).casefold()


def add_user(
    app: App, user_id: str, *, organisation: str, role: str, actor: str, kind: str = "person"
) -> dict[str, Any]:
    """Register a person or a system with one role at one organisation (no names kept)."""
    reasons = _id_reasons("id", user_id)
    if role not in ROLES:
        reasons.append(_("role: must be one of {roles}", roles=", ".join(ROLES)))
    if kind not in get_args(Kind):
        reasons.append(_("kind: person or system"))
    with app.uow.access() as repo:
        org = repo.organisation(organisation)
        if org is None:
            reasons.append(_("organisation: {org} is not registered", org=organisation))
        elif role in _ROLE_ORG and org["kind"] != _ROLE_ORG[role]:
            reasons.append(_("role: a {role} belongs to a {needed}, not a {kind}",
                             role=role, needed=_ROLE_ORG[role], kind=org["kind"]))  # fmt: skip
        if reasons:
            raise InvalidInput(_("cannot add the user"), reasons)
        now = app.clock.now()
        row = {"id": user_id, "organisation": organisation, "role": role, "kind": kind,
               "active": True, "created_at": now}  # fmt: skip
        repo.add_user(row)
        repo.audit_account(actor, f"user:add:{user_id}", now)
    log.info("user_added", user=user_id, role=role, organisation=organisation, issuer=actor)
    return _public(row)


def users(app: App, organisation: str | None = None) -> list[dict[str, Any]]:
    with app.uow.access() as repo:
        return [_public(u) for u in repo.users(organisation)]


def find_users(
    app: App, *, organisation: str | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    """The users, of one organisation and one role if given; a role that does not exist or an
    organisation that is not registered is bad input, not an empty list."""
    reasons = []
    if role is not None and role not in ROLES:
        reasons.append(_("role: must be one of {roles}", roles=", ".join(ROLES)))
    with app.uow.access() as repo:
        if organisation is not None and repo.organisation(organisation) is None:
            reasons.append(_("organisation: {org} is not registered", org=organisation))
        if reasons:
            raise InvalidInput(_("cannot list the users"), reasons)
        found = repo.users(organisation)
    return [_public(u) for u in found if role is None or u["role"] == role]


def set_active(app: App, user_id: str, active: bool, *, actor: str) -> None:
    """Deactivate (or reactivate) a user: her tokens stop working at once."""
    with app.uow.access() as repo:
        if not repo.set_active(user_id, active):
            raise InvalidInput(
                _("no such user"), [_("user: {user} is not registered", user=user_id)]
            )
        what = "activate" if active else "deactivate"
        repo.audit_account(actor, f"user:{what}:{user_id}", app.clock.now())
    log.info("user_active_changed", user=user_id, active=active, issuer=actor)


def issue_token(
    app: App,
    user_id: str,
    *,
    issuer: str,
    purpose: str = "api",
    label: str | None = None,
    expires_at: datetime | None = None,
) -> dict[str, Any]:
    """A new token for `user_id`, issued by `issuer` (an actor name); the secret is in the
    answer once and nowhere else. A person's API token comes only from her enrolment link
    (`engine.enrolment`); her calendar and session tokens only to herself
    (`issuer == "person:<id>"`). A new calendar token replaces the previous one (the old feed
    URL stops working)."""
    reasons: list[str] = (
        []
        if purpose in PURPOSES
        else [_("purpose: must be one of {purposes}", purposes=", ".join(PURPOSES))]
    )
    if label is not None and len(label) > 100:
        reasons.append(_("label: at most 100 characters"))
    now = app.clock.now()
    if expires_at is not None and expires_at <= now:
        reasons.append(_("expires_at: lies in the past"))
    elif expires_at is not None and expires_at >= LATEST:
        reasons.append(_("expires_at: lies after {year}", year=LATEST.year - 1))
    with app.uow.access() as repo:
        reasons += _holder_reasons(repo.user(user_id), user_id, issuer, purpose)
        if not reasons:
            made = add_token(repo, user_id, issuer=issuer, purpose=purpose, label=label,
                             expires_at=expires_at, now=now)  # fmt: skip
    if reasons:  # the attempt is audited in a transaction of its own: the change rolled back
        with app.uow.access() as repo:
            repo.audit_account(issuer, f"refused:token:issue:{user_id}", now)
        log.warning("token_refused", user=user_id, purpose=purpose, issuer=issuer)
        raise InvalidInput(_("cannot issue the token"), reasons)
    return made


def add_token(
    repo: AccessRepository,
    user_id: str,
    *,
    issuer: str,
    purpose: str,
    label: str | None,
    expires_at: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    """Store a new token inside the caller's transaction and audit it; answers its secret once.
    The caller has checked that `issuer` may issue it."""
    secret = _PREFIX.get(purpose, "") + secrets.token_urlsafe(32)
    if purpose == "calendar":
        repo.revoke_purpose(user_id, "calendar", now)
    token_id = repo.add_token(
        {"digest": digest(secret), "user_id": user_id, "purpose": purpose, "label": label,
         "created_at": now, "expires_at": expires_at}
    )  # fmt: skip
    repo.audit_account(issuer, f"token:issue:{purpose}:{user_id}", now)
    log.info("token_issued", token_id=token_id, user=user_id, purpose=purpose, issuer=issuer)
    return {"id": token_id, "user_id": user_id, "purpose": purpose, "token": secret}


def _holder_reasons(
    user: dict[str, Any] | None, user_id: str, issuer: str, purpose: str
) -> list[str]:
    if user is None:
        return [_("user: {user} is not registered", user=user_id)]
    if user["kind"] == "person" and (purpose == "api" or issuer != f"person:{user_id}"):
        return [
            _(
                "user: {user} is a person; her token reaches only her, through an enrolment "
                "link sent to her own address (`safe-future user enrol {user}`, "
                "POST /users/{user}/enrolment)",
                user=user_id,
            )
        ]
    return []


def tokens(app: App, user_id: str) -> list[dict[str, Any]]:
    """A user's tokens without their secrets (which are not kept)."""
    with app.uow.access() as repo:
        return repo.tokens(user_id)


MAX_TOKEN_ID = 2**31 - 1  # the id column is an INTEGER (32 bits on PostgreSQL)


def revoke_token(app: App, token_id: int, *, actor: str, user_id: str | None = None) -> None:
    """Revoke a token at once. Revoking an API token also ends the browser sessions of its
    user: a session opened with a leaked token must not outlive it."""
    if not 0 < token_id <= MAX_TOKEN_ID:  # beyond what the id column holds: no such token
        raise InvalidInput(_("cannot revoke"), [_("token: no live token {id}", id=token_id)])
    now = app.clock.now()
    with app.uow.access() as repo:
        revoked = repo.revoke(token_id, now, user_id)
        if revoked is None:
            raise InvalidInput(_("cannot revoke"), [_("token: no live token {id}", id=token_id)])
        ended = 0
        if revoked["purpose"] == "api":
            ended = repo.revoke_purpose(revoked["user_id"], "session", now)
        repo.audit_account(actor, f"token:revoke:{token_id}:{revoked['user_id']}", now)
    log.info("token_revoked", token_id=token_id, sessions_ended=ended, issuer=actor)


def authenticate(app: App, secret: str | None, purpose: str = "api") -> Principal:
    """The principal a presented token stands for, or `Unauthenticated`."""
    return _principal(_holder(app, secret, purpose))


def _holder(app: App, secret: str | None, purpose: str) -> dict[str, Any]:
    if not secret:
        raise Unauthenticated(_("a token is needed"), [_("authorization: send 'Bearer <token>'")])
    with app.uow.access() as repo:
        holder = repo.holder(digest(secret), purpose, app.clock.now())
    if holder is None:
        raise Unauthenticated(
            _("the token is not valid"), [_("authorization: unknown, expired or revoked")]
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
        raise Unauthenticated(
            _("not a person's token"), [_("token: a system's token opens no pages")]
        )
    expires = app.clock.now() + timedelta(hours=app.settings.session_hours)
    if holder["token_expires_at"] is not None:
        expires = min(expires, holder["token_expires_at"])
    session = issue_token(
        app,
        holder["id"],
        issuer=f"person:{holder['id']}",
        purpose="session",
        label="browser session",
        expires_at=expires,
    )
    log.info("session_started", user=holder["id"], token_id=session["id"])
    return session["token"], expires


def end_session(app: App, secret: str) -> None:
    """Log out: the session token stops working at once."""
    now = app.clock.now()
    with app.uow.access() as repo:
        user_id = repo.revoke_secret(digest(secret), "session", now)
        if user_id is not None:
            repo.audit_account(f"person:{user_id}", f"token:end:session:{user_id}", now)


def local_actor(app: App, name: str) -> str:
    """The name a local change (the command line, a host embedding the engine) is audited
    under: an operator `cli:<login>` as given, or a registered, active user as
    `person:<id>` / `system:<id>`. A role prefix grants and records nothing: `counsellor:anna`
    is anna if she is registered, and refused otherwise."""
    if _OPERATOR.match(name):
        return name
    user_id = name.rpartition(":")[2]
    user = None
    if _ID.match(user_id):
        with app.uow.access() as repo:
            user = repo.user(user_id)
    if user is None or not user["active"]:
        raise InvalidInput(
            _("unknown actor"),
            [
                _(
                    "actor: {name} is neither a registered, active user id nor an operator "
                    "name cli:<login> (--actor or SAFE_FUTURE_ACTOR)",
                    name=repr(name),
                )
            ],
        )
    return f"{user['kind']}:{user['id']}"


def operator_name(login: str) -> str:
    """`cli:<login>` for a login name, with characters outside the rule replaced."""
    return "cli:" + (re.sub(r"[^A-Za-z0-9._-]", "_", login)[:64] or "unknown")


def _id_reasons(field: str, value: str) -> list[str]:
    if _ID.match(value):
        return []
    return [
        _(
            "{field}: 1-64 lower-case letters, digits, '.', '_' or '-' (an id, never a name)",
            field=field,
        )
    ]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
