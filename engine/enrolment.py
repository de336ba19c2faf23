"""Enrolment: how a person's secret reaches her and no one else.

An administrator registers a person and asks for her enrolment link (`send_link`). The link
goes by e-mail to *her* address in the directory (`people:` in SAFE_FUTURE_DIRECTORY), never to
the administrator, who sees only that it was sent and until when it works. The link holds a
random secret (256 bits) kept as a SHA-256 digest; it works once, for `enrolment_hours`
(default 24), and a new link replaces the old one. She opens it (`/ui/enrol/<secret>`) and
redeems it (`redeem`) for her own API token, shown to her once. Every step is audited under
the case id `accounts`, with who did it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from engine.accounts import add_token, digest
from engine.bootstrap import App
from engine.directory import Directory
from engine.errors import InvalidInput, Unauthenticated
from engine.i18n import _
from engine.logs import get_logger
from engine.notifications import Channel, Message

log = get_logger("engine.enrolment")

PREFIX = "sfn_"
LINK_PATH = "/ui/enrol/"


def send_link(
    app: App, user_id: str, *, issuer: str, channel: Channel | None, directory: Directory
) -> dict[str, Any]:
    """Send `user_id` (an active person) a new one-time enrolment link by e-mail to her own
    address; her previous link stops working. Answers to whom and until when, never the link.
    Nothing is stored when the message cannot be sent."""
    now = app.clock.now()
    expires = now + timedelta(hours=app.settings.enrolment_hours)
    secret = PREFIX + secrets.token_urlsafe(32)
    contact = directory.people.get(user_id)
    with app.uow.access() as repo:
        user = repo.user(user_id)
        reasons = _reasons(app, user, user_id, channel, contact.email if contact else None)
        if not reasons:
            assert channel is not None and contact is not None and contact.email is not None
            row = {"user_id": user_id, "digest": digest(secret), "issuer": issuer,
                   "created_at": now, "expires_at": expires}  # fmt: skip
            repo.replace_enrolment(row)
            repo.audit_account(issuer, f"enrolment:send:{user_id}", now)
            # Sent inside the transaction: a link that did not go out is not kept.
            channel.send(_message(app, user_id, contact.email, secret, expires))
    if reasons:
        with app.uow.access() as repo:
            repo.audit_account(issuer, f"refused:enrolment:send:{user_id}", now)
        raise InvalidInput(_("cannot send the enrolment link"), reasons)
    log.info("enrolment_sent", user=user_id, issuer=issuer, expires_at=expires.isoformat())
    return {"user_id": user_id, "sent_by": "email", "expires_at": expires.isoformat()}


def check_link(app: App, secret: str) -> str:
    """The person a live link is for, without using it up; `Unauthenticated` otherwise."""
    with app.uow.access() as repo:
        user_id = repo.live_enrolment(digest(secret), app.clock.now())
    if user_id is None:
        raise _dead_link()
    return user_id


def redeem(app: App, secret: str) -> dict[str, Any]:
    """Use a live link once: answers the person's new API token (its secret shown this once).
    An unknown, used or expired link is `Unauthenticated` and changes nothing."""
    now = app.clock.now()
    with app.uow.access() as repo:
        user_id = repo.use_enrolment(digest(secret), now)
        user = None if user_id is None else repo.user(user_id)
        if user is not None and user["active"]:
            me = f"person:{user['id']}"
            made = add_token(repo, user["id"], issuer=me, purpose="api", label="enrolment",
                             expires_at=None, now=now)  # fmt: skip
            repo.audit_account(me, f"enrolment:redeem:{user['id']}", now)
    if user is None or not user["active"]:
        log.warning("enrolment_refused")
        raise _dead_link()
    log.info("enrolment_redeemed", user=user["id"], token_id=made["id"])
    return made


def _reasons(
    app: App,
    user: dict[str, Any] | None,
    user_id: str,
    channel: Channel | None,
    email: str | None,
) -> list[str]:
    if user is None:
        return [_("user: {user} is not registered", user=user_id)]
    reasons: list[str] = []
    if user["kind"] != "person" or not user["active"]:
        reasons.append(
            _("user: {user} is not an active person (a system gets a token)", user=user_id)
        )
    if email is None:
        reasons.append(
            _(
                "directory: no e-mail address for {user} under people: in SAFE_FUTURE_DIRECTORY",
                user=user_id,
            )
        )
    if channel is None:
        reasons.append(_("email: e-mail is not configured (SAFE_FUTURE_SMTP_HOST)"))
    if app.settings.public_url is None:
        reasons.append(_("public_url: set SAFE_FUTURE_PUBLIC_URL, the address the link points to"))
    return reasons


def _message(app: App, user_id: str, to: str, secret: str, expires: Any) -> Message:
    local = expires.astimezone(app.workflow.tz)
    return Message(
        key=f"enrolment:{user_id}:{secret[-8:]}",
        channel="email",
        recipient=to,
        case_id="accounts",
        case_ref="",
        timer_kind="enrolment",
        stage="enrolment",
        due_on=local.date(),
        subject="Your access to the Safe Future Engine",
        body=(
            f"An account ({user_id}) was made for you. Open the link below to get your "
            f"personal token; it works once, until {local:%Y-%m-%d %H:%M} ({local.tzname()}). "
            "Did you not expect this message? Then do not open the link and tell your "
            "administrator."
        ),
        link=f"{app.settings.public_url}{LINK_PATH}{secret}",
    )


def _dead_link() -> Unauthenticated:
    return Unauthenticated(
        _("the enrolment link does not work"),
        [_("link: unknown, used or expired; ask your administrator for a new one")],
    )
