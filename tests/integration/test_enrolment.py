"""No one acts as another person (issue 11, point 1; review finding 1): an administrator
cannot get a person's token; a person's token reaches her through a one-time, expiring
enrolment link sent to her own address, over a real SMTP server (aiosmtpd) and redeemed on the
real HTTP server; every account action is audited with who did it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from engine import accounts, enrolment
from engine.api import create_api
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.directory import Directory
from engine.errors import InvalidInput
from engine.store._tables import audit, enrolments
from tests.support import ADMIN, CollectingChannel, ServerThread, enrolled_token, free_port

PUBLIC = "https://sfe.shelter.test"


@dataclass
class Mailbox:
    """aiosmtpd handler: keeps every message; nobody@ is refused for good (550)."""

    received: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        assert isinstance(envelope.content, bytes)
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.received.append(mail)
        return "250 Message accepted"

    def link(self, to: str) -> str:
        """The enrolment link in the last e-mail to `to`."""
        mail = [m for m in self.received if m["To"] == to][-1]
        body = mail.get_content()
        found = re.search(rf"{re.escape(PUBLIC)}/ui/enrol/(\S+)", body)
        assert found, body
        return found.group(0)


@dataclass
class Shelter:
    app: App
    mailbox: Mailbox
    root: httpx.Client
    client: httpx.Client


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def shelter(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shelter]:
    """A shelter with anna (counsellor, address in the directory), eve (no address), a
    system and root (administrator, a token issued for the test); a real SMTP server that
    SAFE_FUTURE_SMTP_* points at, and the API on 127.0.0.1."""
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    smtp.start()
    monkeypatch.setenv("SAFE_FUTURE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SAFE_FUTURE_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("SAFE_FUTURE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("SAFE_FUTURE_SMTP_SENDER", "accounts@shelter.test")
    directory = tmp_path / "directory.yaml"
    directory.write_text(
        "people:\n  anna: {email: anna@shelter.test}\n  root: {email: root@shelter.test}\n"
        "  nemo: {email: nobody@shelter.test}\n",
        encoding="utf-8",
    )
    settings = app.settings.model_copy(update={"public_url": PUBLIC, "directory": directory})
    app = replace(app, settings=settings)
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    for user, role in (("anna", "counsellor"), ("eve", "counsellor"), ("nemo", "counsellor"),
                       ("root", "admin")):  # fmt: skip
        accounts.add_user(app, user, organisation="shelter-a", role=role, actor=ADMIN)
    with app.uow.access() as repo:  # the first administrator's token, as a test's setup
        root = accounts.add_token(repo, "root", issuer=ADMIN, purpose="api", label=None,
                                  expires_at=None, now=app.clock.now())["token"]  # fmt: skip
    with (
        ServerThread(create_api(app)) as server,
        httpx.Client(base_url=server.url, headers=_as(root)) as admin,
        httpx.Client(base_url=server.url) as anyone,
    ):
        yield Shelter(app, mailbox, admin, anyone)
    smtp.stop()


def _audit(app: App) -> list[tuple[str, str]]:
    with app.db.connect() as conn:
        rows = conn.execute(
            select(audit.c.actor, audit.c.action)
            .where(audit.c.case_id == "accounts")
            .order_by(audit.c.id)
        )
        return [(r.actor, r.action) for r in rows]


SAME_ORIGIN = {"Origin": PUBLIC}


def test_an_administrator_cannot_get_a_persons_token(shelter: Shelter) -> None:
    """Review finding 1: `POST /users/anna/tokens` by an administrator is refused, pointing
    to enrolment; anna has no token afterwards and the attempt is audited under root."""
    answer = shelter.root.post("/users/anna/tokens", json={"label": "admin-made"})
    assert 422 == answer.status_code
    assert "application/problem+json" == answer.headers["content-type"]
    assert "enrol" in answer.json()["reasons"][0]
    assert [] == accounts.tokens(shelter.app, "anna")
    assert ("person:root", "refused:token:issue:anna") == _audit(shelter.app)[-1]


def test_the_link_reaches_only_her_and_gives_her_token_once(shelter: Shelter) -> None:
    """The administrator's answer holds no secret; the e-mail to anna's own address holds the
    link; opening it spends nothing, the button shows her token once; the token is hers."""
    sent = shelter.root.post("/users/anna/enrolment")
    assert 202 == sent.status_code
    assert {"user_id", "sent_by", "expires_at"} == set(sent.json())
    link = shelter.mailbox.link("anna@shelter.test")
    secret = link.rpartition("/")[2]
    assert secret not in sent.text
    path = link.removeprefix(PUBLIC)
    page = shelter.client.get(path)
    assert (200, True) == (page.status_code, "anna" in page.text)
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert shelter.client.get(path).status_code == 200  # a mail scanner's visit spends nothing
    shown = shelter.client.post(path, headers=SAME_ORIGIN)
    assert "no-store" == shown.headers["cache-control"]
    token = re.search(r'<output id="token" class="secret">(sfe_[^<]+)</output>', shown.text)
    assert token is not None
    me = shelter.client.get("/me", headers=_as(token.group(1)))
    assert "anna" == me.json()["user_id"]
    again = shelter.client.post(path, headers=SAME_ORIGIN)
    assert 401 == again.status_code and token.group(1) not in again.text
    assert [
        ("person:root", "enrolment:send:anna"),
        ("person:anna", "token:issue:api:anna"),
        ("person:anna", "enrolment:redeem:anna"),
    ] == _audit(shelter.app)[-3:]


def test_a_link_expires_and_a_new_one_replaces_the_old(shelter: Shelter, clock: FixedClock) -> None:
    """After 24 hours the link is dead; a new link makes the previous one stop working."""
    shelter.root.post("/users/anna/enrolment")
    first = shelter.mailbox.link("anna@shelter.test").rpartition("/")[2]
    clock.advance(timedelta(hours=24, seconds=1))
    expired = shelter.client.post("/enrolment", json={"secret": first})
    assert (401, "unauthenticated") == (expired.status_code, expired.json()["code"])
    shelter.root.post("/users/anna/enrolment")
    second = shelter.mailbox.link("anna@shelter.test").rpartition("/")[2]
    shelter.root.post("/users/anna/enrolment")
    third = shelter.mailbox.link("anna@shelter.test").rpartition("/")[2]
    assert 401 == shelter.client.post("/enrolment", json={"secret": second}).status_code
    made = shelter.client.post("/enrolment", json={"secret": third})
    assert (201, "anna") == (made.status_code, made.json()["user_id"])


def test_the_link_is_kept_only_as_a_digest(shelter: Shelter) -> None:
    """A copy of the database does not hold the link's secret."""
    shelter.root.post("/users/anna/enrolment")
    secret = shelter.mailbox.link("anna@shelter.test").rpartition("/")[2]
    with shelter.app.db.connect() as conn:
        (row,) = conn.execute(select(enrolments)).mappings()
    assert (accounts.digest(secret), "person:root") == (row["digest"], row["issuer"])
    assert secret not in repr(dict(row))


def test_no_link_without_her_address_a_public_url_or_a_mail_that_went_out(
    shelter: Shelter,
) -> None:
    """A person without an address, a system, and a refused recipient get no link, and
    nothing is kept; without SAFE_FUTURE_PUBLIC_URL no link is sent at all."""
    eve = shelter.root.post("/users/eve/enrolment")
    assert 422 == eve.status_code
    assert ["directory: no e-mail address for eve under people: in SAFE_FUTURE_DIRECTORY"] == (
        eve.json()["reasons"]
    )
    refused = shelter.root.post("/users/nemo/enrolment")
    assert (502, "delivery_failed") == (refused.status_code, refused.json()["code"])
    with shelter.app.db.connect() as conn:
        assert [] == list(conn.execute(select(enrolments)))
    bare = replace(shelter.app, settings=shelter.app.settings.model_copy(
        update={"public_url": None}))  # fmt: skip
    with pytest.raises(InvalidInput) as no_url:
        enrolment.send_link(bare, "anna", issuer=ADMIN, channel=CollectingChannel(),
                            directory=Directory.load(bare.settings.directory))  # fmt: skip
    assert ["public_url: set SAFE_FUTURE_PUBLIC_URL, the address the link points to"] == (
        no_url.value.reasons
    )


def test_every_account_action_is_audited_with_who_did_it(shelter: Shelter) -> None:
    """Organisation, user, system token, revocation and deactivation: one audit row each
    under the case id `accounts`, naming the administrator who did it."""
    root = shelter.root
    root.post("/organisations", json={"id": "partner-x", "kind": "partner", "name": "PX"})
    root.post("/users", json={"id": "crm", "organisation": "shelter-a", "role": "counsellor",
                              "kind": "system"})  # fmt: skip
    token = root.post("/users/crm/tokens", json={}).json()
    root.delete(f"/tokens/{token['id']}")
    root.post("/users/eve/deactivate")
    assert [
        ("person:root", "organisation:add:partner-x"),
        ("person:root", "user:add:crm"),
        ("person:root", "token:issue:api:crm"),
        ("person:root", f"token:revoke:{token['id']}:crm"),
        ("person:root", "user:deactivate:eve"),
    ] == _audit(shelter.app)[-5:]


def test_a_browser_session_is_audited_as_hers(shelter: Shelter) -> None:
    """Logging in and out of the pages opens and ends a session token of her own: both are
    in the audit trail under her id."""
    session, _ = accounts.start_session(shelter.app, enrolled_token(shelter.app, "anna"))
    accounts.end_session(shelter.app, session)
    assert [
        ("person:anna", "token:issue:session:anna"),
        ("person:anna", "token:end:session:anna"),
    ] == _audit(shelter.app)[-2:]
