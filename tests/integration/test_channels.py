"""The notification channels against real servers on 127.0.0.1: an aiosmtpd SMTP server and a
stdlib HTTP receiver. Each channel delivers, temporary failures are retryable (and the webhook
retries them itself), permanent ones are not, and the webhook signature can be checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.message import Message as MimeMessage
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pydantic import ValidationError

from engine import reminders
from engine.bootstrap import build_channels
from engine.clock import FixedClock
from engine.directory import Directory
from engine.errors import InvalidInput
from engine.logs import drop_personal_data
from engine.notifications import (
    DeliveryFailed,
    LogChannel,
    Message,
    SmtpChannel,
    SmtpSettings,
    WebhookChannel,
    WebhookSettings,
    verify_signature,
)
from tests.support import CaseDriver, free_port

SENT_AT = datetime(2025, 3, 3, 8, 30, tzinfo=UTC)
SECRET = "shared-webhook-secret"
BODY = "The reflection period of case SF-2025-0042 ends in 14 days. Plan the next talk."
MESSAGE = Message(
    key="case-1:timer-7:before:14d:counsellor@shelter.example:email",
    channel="email",
    recipient="counsellor@shelter.example",
    case_id="case-1",
    case_ref="SF-2025-0042",
    timer_kind="reflection_period_end",
    stage="before:14d",
    due_on=date(2025, 3, 17),
    subject="Reminder: reflection period ends 2025-03-17 (SF-2025-0042)",
    body=BODY,
    link="https://cases.shelter.example/cases/case-1",
)


# -- SMTP server ------------------------------------------------------------------------------


@dataclass
class Received:
    """One e-mail as the SMTP server accepted it."""

    email: MimeMessage
    rcpt_tos: list[str]
    authenticated: bool
    tls: bool


@dataclass
class Mailbox:
    """aiosmtpd handler: busy@ gets 451, nobody@ gets 550, everyone else is accepted."""

    received: list[Received] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("busy@"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        self.received.append(
            Received(
                email=message_from_bytes(content, policy=policy.default),
                rcpt_tos=list(envelope.rcpt_tos),
                authenticated=session.authenticated,
                tls=session.ssl is not None,
            )
        )
        return "250 Message accepted"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        self.mechanisms.append(mechanism)
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"reminders",
            b"s3cret",
        )
        return AuthResult(success=ok, handled=False)


class _EphemeralController(Controller):
    """aiosmtpd's Controller on port 0: learn the port the kernel chose before it is used."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., SmtpServer]]:
    """Start real SMTP servers on 127.0.0.1 (keyword arguments go to aiosmtpd's SMTP)."""
    controllers: list[Controller] = []

    def start(**smtp_options: Any) -> SmtpServer:
        mailbox = Mailbox()
        if smtp_options.pop("login", False):
            smtp_options["authenticator"] = mailbox.authenticate
        controller = _EphemeralController(
            mailbox, hostname="127.0.0.1", port=0, ready_timeout=5, **smtp_options
        )
        controller.start()
        controllers.append(controller)
        return SmtpServer(mailbox, controller.port)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 (made with the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not available to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return cert, key


def _smtp(port: int, **overrides: Any) -> SmtpSettings:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "username": None,  # explicit, so no SAFE_FUTURE_SMTP_* variable can leak in
        "password": None,
        "sender": "reminders@shelter.example",
        "timeout": 5,
    }
    return SmtpSettings(**{**values, **overrides})


# -- e-mail -----------------------------------------------------------------------------------


def test_email_is_delivered_with_its_headers(smtp_server: Callable[..., SmtpServer]) -> None:
    """The e-mail reaches the server with To, From, Subject, Date, the key and the body."""
    server = smtp_server()
    SmtpChannel(_smtp(server.port), clock=FixedClock(SENT_AT)).send(MESSAGE)

    [received] = server.mailbox.received
    email = received.email
    assert ["counsellor@shelter.example"] == received.rcpt_tos
    assert "counsellor@shelter.example" == email["To"]
    assert "reminders@shelter.example" == email["From"]
    assert MESSAGE.subject == email["Subject"]
    assert SENT_AT == parsedate_to_datetime(email["Date"])
    assert MESSAGE.key == email["X-Safe-Future-Key"]
    assert isinstance(email, EmailMessage)
    content = email.get_content()
    assert BODY in content
    assert "https://cases.shelter.example/cases/case-1" in content


def test_email_retry_carries_the_same_message_id(smtp_server: Callable[..., SmtpServer]) -> None:
    """Sending the same key twice gives the same Message-ID; another key gives another one."""
    server = smtp_server()
    channel = SmtpChannel(_smtp(server.port))
    channel.send(MESSAGE)
    channel.send(MESSAGE)
    channel.send(replace(MESSAGE, key="case-1:timer-7:due:counsellor@shelter.example:email"))

    first, retry, other = (str(r.email["Message-ID"]).strip() for r in server.mailbox.received)
    assert first == retry
    assert first != other
    assert first.startswith("<") and first.endswith("@shelter.example>")
    assert MESSAGE.key not in first


def test_email_logs_in_after_starttls(
    smtp_server: Callable[..., SmtpServer], certificate: tuple[Path, Path]
) -> None:
    """With STARTTLS and a username the channel upgrades the connection, then logs in."""
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    server = smtp_server(
        tls_context=server_tls, require_starttls=True, auth_required=True, login=True
    )
    settings = _smtp(server.port, starttls=True, username="reminders", password="s3cret")
    SmtpChannel(settings, tls_context=ssl.create_default_context(cafile=cert)).send(MESSAGE)

    [received] = server.mailbox.received
    assert (True, True) == (received.tls, received.authenticated)


def test_email_over_implicit_tls_logs_in(
    smtp_server: Callable[..., SmtpServer], certificate: tuple[Path, Path]
) -> None:
    """With implicit TLS (SMTPS, port 465 style) the connection is encrypted from the first
    byte; the channel logs in and delivers; a server it cannot verify gets nothing."""
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    # aiosmtpd counts only STARTTLS as TLS for AUTH; this server speaks nothing but TLS.
    server = smtp_server(ssl_context=server_tls, auth_require_tls=False, login=True)
    settings = _smtp(server.port, implicit_tls=True, username="reminders", password="s3cret")
    SmtpChannel(settings, tls_context=ssl.create_default_context(cafile=cert)).send(MESSAGE)
    with pytest.raises(DeliveryFailed) as unverified:
        SmtpChannel(settings).send(MESSAGE)
    with pytest.raises(DeliveryFailed):
        plain = _smtp(server.port, timeout=1, username="reminders", password="s3cret")
        SmtpChannel(plain).send(MESSAGE)

    assert [True] == [r.authenticated for r in server.mailbox.received]
    assert False is unverified.value.retryable  # shown as failed, to fix and retry


def test_email_uses_login_mechanism_when_that_is_what_is_offered(
    smtp_server: Callable[..., SmtpServer],
) -> None:
    """A server offering only AUTH LOGIN (here without TLS) gets a LOGIN exchange."""
    server = smtp_server(auth_require_tls=False, auth_exclude_mechanism=["PLAIN"], login=True)
    settings = _smtp(server.port, username="reminders", password="s3cret")
    SmtpChannel(settings).send(MESSAGE)

    assert ["LOGIN"] == server.mailbox.mechanisms
    assert [True] == [r.authenticated for r in server.mailbox.received]


def test_email_wrong_password_is_not_retryable(smtp_server: Callable[..., SmtpServer]) -> None:
    """A refused login (535) is permanent, and the password is not in the error."""
    server = smtp_server(auth_require_tls=False, login=True)
    settings = _smtp(server.port, username="reminders", password="wrong-password")
    with pytest.raises(DeliveryFailed) as failed:
        SmtpChannel(settings).send(MESSAGE)

    assert False is failed.value.retryable
    assert "wrong-password" not in str(failed.value.as_dict())
    assert [] == server.mailbox.received


def test_email_refuses_clear_text_when_starttls_is_not_offered(
    smtp_server: Callable[..., SmtpServer],
) -> None:
    """With starttls on, a server without STARTTLS gets nothing: a permanent failure."""
    server = smtp_server()
    with pytest.raises(DeliveryFailed) as failed:
        SmtpChannel(_smtp(server.port, starttls=True)).send(MESSAGE)

    assert False is failed.value.retryable
    assert [] == server.mailbox.received


@pytest.mark.parametrize(
    ("recipient", "retryable"),
    [("busy@shelter.example", True), ("nobody@shelter.example", False)],
    ids=["4xx-temporary", "5xx-permanent"],
)
def test_email_refusal_is_retryable_only_when_temporary(
    smtp_server: Callable[..., SmtpServer], recipient: str, retryable: bool
) -> None:
    """A 4xx refusal of the recipient is retryable, a 5xx refusal is not."""
    server = smtp_server()
    with pytest.raises(DeliveryFailed) as failed:
        SmtpChannel(_smtp(server.port)).send(replace(MESSAGE, recipient=recipient))

    assert retryable == failed.value.retryable
    assert "delivery_failed" == failed.value.code
    assert [] == server.mailbox.received


def test_email_connection_refused_is_retryable() -> None:
    """When nothing listens on the SMTP port the failure is retryable."""
    with pytest.raises(DeliveryFailed) as failed:
        SmtpChannel(_smtp(free_port())).send(MESSAGE)

    assert True is failed.value.retryable


def test_email_header_injection_is_refused(smtp_server: Callable[..., SmtpServer]) -> None:
    """A line break in the subject is refused before connecting, permanently."""
    server = smtp_server()
    with pytest.raises(DeliveryFailed) as failed:
        SmtpChannel(_smtp(server.port)).send(replace(MESSAGE, subject="Hi\r\nBcc: x@evil.test"))

    assert False is failed.value.retryable
    assert [] == server.mailbox.received


# -- HTTP receiver ----------------------------------------------------------------------------


@dataclass
class Request:
    path: str
    headers: MimeMessage
    body: bytes


@dataclass
class Receiver:
    """Answers with `statuses` in turn (then 200), after `delay` seconds; records requests."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    delay: float = 0
    retry_after: str | None = None  # sent with a 429 or 503
    requests: list[Request] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for every handler thread
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout test) makes the reply fail; that is expected."""


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.requests.append(Request(self.path, self.headers, body))
            if receiver.delay:
                receiver.release.wait(receiver.delay)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            if receiver.retry_after and status in (429, 503):
                self.send_header("Retry-After", receiver.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on 127.0.0.1, shut down (and its threads joined) afterwards."""
    receiver = Receiver()
    server = _Server(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/reminders"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def _webhook(url: str, **overrides: Any) -> WebhookSettings:
    values: dict[str, Any] = {"url": url, "secret": SECRET, "timeout": 2, "retries": 2}
    values["backoff"] = 0
    return WebhookSettings(**{**values, **overrides})


HOOK = replace(MESSAGE, channel="webhook", recipient="case-team", key="case-1:t7:before:14d:w")


# -- webhook ----------------------------------------------------------------------------------


def test_webhook_posts_signed_json_without_the_body_text(receiver: Receiver) -> None:
    """One POST with the agreed fields (no body text), the key and a valid signature."""
    WebhookChannel(_webhook(receiver.url)).send(HOOK)

    [request] = receiver.requests
    expected = {
        "key": HOOK.key,
        "case_id": "case-1",
        "case_ref": "SF-2025-0042",
        "timer_kind": "reflection_period_end",
        "stage": "before:14d",
        "due_on": "2025-03-17",
        "subject": HOOK.subject,
        "link": "https://cases.shelter.example/cases/case-1",
    }
    assert "/reminders" == request.path
    assert expected == json.loads(request.body)
    assert BODY.encode() not in request.body
    assert "application/json" == request.headers["Content-Type"]
    assert HOOK.key == request.headers["Idempotency-Key"]
    timestamp = request.headers["X-Safe-Future-Timestamp"]
    signature = request.headers["X-Safe-Future-Signature"]
    assert signature.startswith("sha256=")
    assert verify_signature(SECRET, timestamp, request.body, signature, now=time.time())


def test_webhook_signature_fails_for_a_changed_body_time_or_secret(receiver: Receiver) -> None:
    """Verification rejects a tampered body, a changed timestamp and the wrong secret."""
    WebhookChannel(_webhook(receiver.url)).send(HOOK)

    [request] = receiver.requests
    timestamp = request.headers["X-Safe-Future-Timestamp"]
    signature = request.headers["X-Safe-Future-Signature"]
    now = time.time()
    tampered = request.body.replace(b"before:14d", b"before:99d")
    assert False is verify_signature(SECRET, timestamp, tampered, signature, now=now)
    assert False is verify_signature(
        SECRET, str(int(timestamp) + 1), request.body, signature, now=now
    )
    assert False is verify_signature("other-secret", timestamp, request.body, signature, now=now)
    assert False is verify_signature(SECRET, "not-a-time", request.body, signature, now=now)


def test_webhook_signature_fails_when_stale(receiver: Receiver) -> None:
    """A request signed long ago is rejected, though the same check passes at its own time."""
    WebhookChannel(_webhook(receiver.url), clock=FixedClock(SENT_AT)).send(HOOK)

    [request] = receiver.requests
    timestamp = request.headers["X-Safe-Future-Timestamp"]
    signature = request.headers["X-Safe-Future-Signature"]
    assert str(int(SENT_AT.timestamp())) == timestamp
    assert False is verify_signature(SECRET, timestamp, request.body, signature, now=time.time())
    at_send = SENT_AT.timestamp() + 299
    assert True is verify_signature(SECRET, timestamp, request.body, signature, now=at_send)


def _standard_webhook_verifies(
    secret: str, headers: MimeMessage, body: bytes, *, now: float, tolerance: int = 300
) -> bool:
    """The Standard Webhooks receiver's check, written here from the specification: the
    secret's bytes (base64 after "whsec_"), HMAC-SHA256 over "{id}.{timestamp}.{body}",
    base64; any of the space-separated "v1," signatures may match; the time within tolerance."""
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(now - int(timestamp)) > tolerance:
        return False
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        version == "v1" and hmac.compare_digest(expected, given)
        for version, _, given in (s.partition(",") for s in headers["webhook-signature"].split())
    )


WHSEC_NEW = "whsec_" + base64.b64encode(b"the-new-secret-32-bytes-long!!!!").decode()


def test_webhook_carries_the_standard_webhooks_headers(receiver: Receiver) -> None:
    """`webhook-id` is the reminder's key (the same on a retry), `webhook-timestamp` the
    sending time, and `webhook-signature` verifies by the specification's algorithm, beside
    the existing X-Safe-Future signature."""
    receiver.statuses = [503]
    WebhookChannel(_webhook(receiver.url, secret=WHSEC_NEW), clock=FixedClock(SENT_AT)).send(HOOK)

    first, retried = receiver.requests
    for request in (first, retried):
        assert HOOK.key == request.headers["webhook-id"]
        assert str(int(SENT_AT.timestamp())) == request.headers["webhook-timestamp"]
        assert request.headers["webhook-signature"].startswith("v1,")
        at = SENT_AT.timestamp() + 10
        assert _standard_webhook_verifies(WHSEC_NEW, request.headers, request.body, now=at)
        legacy = request.headers["X-Safe-Future-Signature"]
        timestamp = request.headers["X-Safe-Future-Timestamp"]
        assert verify_signature(WHSEC_NEW, timestamp, request.body, legacy, now=at)
    tampered = first.body.replace(b"before:14d", b"before:99d")
    assert not _standard_webhook_verifies(WHSEC_NEW, first.headers, tampered, now=at)
    assert not _standard_webhook_verifies(WHSEC_NEW, first.headers, first.body, now=time.time())


def test_webhook_signs_with_each_secret_while_they_are_rotated(receiver: Receiver) -> None:
    """With a new and an old secret, one request carries a signature for each: a receiver that
    knows only the old secret, or only the new one, accepts it; an unknown secret does not."""
    WebhookChannel(_webhook(receiver.url, secret=f"{WHSEC_NEW} {SECRET}")).send(HOOK)

    [request] = receiver.requests
    assert 2 == len(request.headers["webhook-signature"].split(" "))
    now = time.time()
    assert _standard_webhook_verifies(SECRET, request.headers, request.body, now=now)
    assert _standard_webhook_verifies(WHSEC_NEW, request.headers, request.body, now=now)
    assert not _standard_webhook_verifies("another", request.headers, request.body, now=now)


def test_a_whsec_secret_that_is_not_base64_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `whsec_` secret must be base64 after the prefix; the error names the variable and the
    rule, never the value."""
    monkeypatch.delenv("SAFE_FUTURE_SMTP_HOST", raising=False)
    monkeypatch.setenv("SAFE_FUTURE_WEBHOOK_URL", "https://hooks.example/x")
    monkeypatch.setenv("SAFE_FUTURE_WEBHOOK_SECRET", "whsec_not*base64")
    with pytest.raises(InvalidInput) as refused:
        build_channels(FixedClock(SENT_AT))
    assert [
        "SAFE_FUTURE_WEBHOOK_SECRET: Value error, a whsec_ secret must be base64 after whsec_"
    ] == refused.value.reasons
    assert "not*base64" not in repr(refused.value.as_dict())


@pytest.mark.parametrize("status", [503, 429])
def test_webhook_retries_until_delivered(receiver: Receiver, status: int) -> None:
    """Two temporary failures, then 200: delivered on the third request, same key each time."""
    receiver.statuses = [status, status]
    WebhookChannel(_webhook(receiver.url, retries=2)).send(HOOK)

    assert 3 == len(receiver.requests)
    assert {HOOK.key} == {r.headers["Idempotency-Key"] for r in receiver.requests}


def test_webhook_exhausted_retries_are_retryable(receiver: Receiver) -> None:
    """A receiver that keeps answering 503 gets 1 + retries requests; the failure is retryable."""
    receiver.statuses = [503, 503, 503]
    waits: list[float] = []
    channel = WebhookChannel(_webhook(receiver.url, retries=2, backoff=0.25), sleep=waits.append)
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(HOOK)

    assert True is failed.value.retryable
    assert 3 == len(receiver.requests)
    assert [0.25, 0.5] == waits


@pytest.mark.parametrize(
    ("header", "wait"),
    [("120", timedelta(seconds=120)), ("Mon, 03 Mar 2025 08:40:00 GMT", timedelta(minutes=10))],
)
def test_webhook_retry_after_is_left_to_the_outbox(
    receiver: Receiver, header: str, wait: timedelta
) -> None:
    """A receiver that says `Retry-After` (seconds or a date) is not asked again at once; the
    failure carries how long it asked us to wait."""
    receiver.statuses = [429]
    receiver.retry_after = header
    channel = WebhookChannel(_webhook(receiver.url, retries=2), clock=FixedClock(SENT_AT))
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(HOOK)

    assert (True, wait, 1) == (failed.value.retryable, failed.value.retry_after,
                               len(receiver.requests))  # fmt: skip


def test_webhook_client_error_is_not_retried(receiver: Receiver) -> None:
    """400 is permanent: one request, a failure that is not retryable."""
    receiver.statuses = [400]
    with pytest.raises(DeliveryFailed) as failed:
        WebhookChannel(_webhook(receiver.url, retries=2)).send(HOOK)

    assert False is failed.value.retryable
    assert 1 == len(receiver.requests)


def test_webhook_timeout_is_retried_then_retryable(receiver: Receiver) -> None:
    """A receiver slower than the timeout is tried 1 + retries times; the failure is retryable."""
    receiver.delay = 2
    started = time.monotonic()
    with pytest.raises(DeliveryFailed) as failed:
        WebhookChannel(_webhook(receiver.url, timeout=0.2, retries=1)).send(HOOK)

    assert True is failed.value.retryable
    assert 2 == len(receiver.requests)
    assert time.monotonic() - started < 1.5


def test_webhook_connection_refused_is_retryable() -> None:
    """When nothing listens the failure is retryable."""
    url = f"http://127.0.0.1:{free_port()}/reminders"
    with pytest.raises(DeliveryFailed) as failed:
        WebhookChannel(_webhook(url, retries=1)).send(HOOK)

    assert True is failed.value.retryable


def test_webhook_posts_to_the_url_a_message_names(receiver: Receiver) -> None:
    """A recipient that is a URL is used; a role name falls back to the configured URL."""
    base = receiver.url.removesuffix("/reminders")
    channel = WebhookChannel(_webhook(f"{base}/configured"))
    channel.send(replace(HOOK, recipient=f"{base}/named"))
    channel.send(HOOK)

    assert ["/named", "/configured"] == [r.path for r in receiver.requests]


# -- settings ----------------------------------------------------------------------------------


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """SAFE_FUTURE_SMTP_* and SAFE_FUTURE_WEBHOOK_* fill the settings; secrets stay hidden."""
    for name, value in {
        "SAFE_FUTURE_SMTP_HOST": "mail.shelter.example",
        "SAFE_FUTURE_SMTP_USERNAME": "reminders",
        "SAFE_FUTURE_SMTP_PASSWORD": "s3cret",
        "SAFE_FUTURE_SMTP_SENDER": "reminders@shelter.example",
        "SAFE_FUTURE_WEBHOOK_URL": "https://hooks.shelter.example/reminders",
        "SAFE_FUTURE_WEBHOOK_SECRET": SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    smtp, webhook = SmtpSettings(), WebhookSettings()

    assert ("mail.shelter.example", 587, True) == (smtp.host, smtp.port, smtp.starttls)
    assert (5.0, 2) == (webhook.timeout, webhook.retries)
    assert "s3cret" not in repr(smtp)
    assert SECRET not in repr(webhook)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _smtp(25, username="reminders"),
        lambda: _webhook("ftp://hooks.shelter.example/"),
        lambda: _webhook("https://hooks.shelter.example/", secret=""),
    ],
    ids=["username-without-password", "not-http", "empty-secret"],
)
def test_bad_channel_settings_fail_at_load(make: Callable[[], object]) -> None:
    """Incomplete login, a non-HTTP webhook URL or an empty secret are refused at load time."""
    with pytest.raises(ValidationError):
        make()


# -- log --------------------------------------------------------------------------------------


def test_log_channel_writes_one_event_without_the_text() -> None:
    """One `reminder` event with ids, names and the subject; no body or link in any value."""
    message = replace(MESSAGE, channel="log", recipient="counsellor")
    with structlog.testing.capture_logs(processors=[drop_personal_data]) as logs:
        LogChannel().send(message)

    expected = {
        "event": "reminder",
        "log_level": "warning",
        "key": message.key,
        "case_id": "case-1",
        "timer_kind": "reflection_period_end",
        "stage": "before:14d",
        "due_on": "2025-03-17",
        "recipient": "counsellor",
        "subject": message.subject,
    }
    assert [expected] == logs
    for text in (BODY, "https://cases.shelter.example"):
        assert not any(text in str(value) for value in logs[0].values())


# -- what a coordinator receives -------------------------------------------------------------


def test_a_coordinator_never_receives_the_client_reference(
    case: CaseDriver, smtp_server: Callable[..., SmtpServer], receiver: Receiver
) -> None:
    """Through a real pass (e-mail, webhook and log channels), every message a coordinator
    receives names the case by short id and carries the client reference nowhere; the
    shelter's own inbox still gets it."""
    server = smtp_server()
    directory = Directory.model_validate(
        {
            "organisations": {
                "shelter-a": {"region": "noord", "inbox": {"email": "inbox@shelter-a.example"}},
                "shelter-b": {"region": "noord"},
            },
            "regions": {
                "noord": {"coordinator": {"email": "zc@noord.example", "webhook": receiver.url}}
            },
        }
    )
    channels: dict[str, Any] = {
        "email": SmtpChannel(_smtp(server.port)),
        "webhook": WebhookChannel(_webhook(receiver.url)),
        "log": LogChannel(),
    }
    case.open(client="CLIENT-NORTH-1")
    case.fire("start_reflection_period", started_on="2026-01-05")
    case.open(client="CLIENT-NORTH-2", org="shelter-b")
    case.fire("start_reflection_period", started_on="2026-01-05")
    case.clock.set(datetime(2026, 4, 10, 8, tzinfo=UTC))
    with structlog.testing.capture_logs() as logs:
        reminders.run_once(case.app, channels, directory, worker="test")

    to_coordinator = [r for r in server.mailbox.received if r.rcpt_tos == ["zc@noord.example"]]
    texts = [f"{r.email['Subject']}\n{r.email.get_body().get_content()}" for r in to_coordinator]
    texts += [r.body.decode() for r in receiver.requests]
    texts += [repr(line) for line in logs]
    assert [] == [t for t in texts if "CLIENT-NORTH" in t]
    assert len(to_coordinator) == len(receiver.requests) >= 2  # both cases, each channel
    assert {None} == {json.loads(r.body)["case_ref"] for r in receiver.requests}
    assert any(f"{case.id[:8]})" in str(r.email["Subject"]) for r in to_coordinator)
    to_inbox = [r for r in server.mailbox.received if r.rcpt_tos == ["inbox@shelter-a.example"]]
    assert all("CLIENT-NORTH-1" in r.email.get_body().get_content() for r in to_inbox)
    assert not any("CLIENT-NORTH" in str(r.email["Subject"]) for r in to_inbox)  # it is logged
    assert 1 <= len(to_inbox)
    assert any(line.get("recipient") == "counsellor@shelter-b" for line in logs)
