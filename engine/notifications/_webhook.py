"""The webhook channel: a signed JSON POST per reminder, with a timeout and quick retries.

Each request carries two signatures over the same raw body:

- the Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id` (the
  reminder's idempotency key, the same on every retry), `webhook-timestamp` (Unix seconds) and
  `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per live
  secret, separated by spaces, so a receiver accepts the request when any of them matches;
- `X-Safe-Future-Signature` (kept for existing receivers, checked with `verify_signature`):
  "sha256=" and the hex HMAC-SHA256 with the first secret over "<X-Safe-Future-Timestamp>.<raw
  body>".

`SAFE_FUTURE_WEBHOOK_SECRET` holds one secret or several separated by spaces (newest first,
for rotation). A secret in the Standard Webhooks form `whsec_<base64>` signs with the decoded
bytes in the `webhook-signature` header; any other with its UTF-8 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.clock import Clock, SystemClock
from engine.logs import get_logger
from engine.notifications._message import DeliveryFailed, Message

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_PREFIX = "sha256="
_WHSEC = "whsec_"


class WebhookSettings(BaseSettings):
    """Where to post and how; from the environment (prefix SAFE_FUTURE_WEBHOOK_)."""

    model_config = SettingsConfigDict(env_prefix="SAFE_FUTURE_WEBHOOK_", extra="ignore")

    url: str = Field(description="default endpoint, used when a message names no URL")
    secret: SecretStr = Field(
        description="shared secret(s) for the signatures, separated by spaces, newest first; "
        "whsec_<base64> accepted"
    )
    timeout: float = Field(default=5, gt=0, description="seconds per attempt")
    retries: int = Field(default=2, ge=0, description="extra attempts after a temporary failure")
    backoff: float = Field(default=0.5, ge=0, description="seconds before retry n: backoff * n")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not _is_http_url(url):
            raise ValueError("must be an http:// or https:// URL")
        return url

    @field_validator("secret")
    @classmethod
    def _non_empty(cls, secret: SecretStr) -> SecretStr:
        if not secret.get_secret_value().split():
            raise ValueError("must not be empty")
        for one in secret.get_secret_value().split():
            if one.startswith(_WHSEC):
                try:
                    _decoded(one)
                except (binascii.Error, ValueError):
                    raise ValueError("a whsec_ secret must be base64 after whsec_") from None
        return secret

    def secrets(self) -> list[str]:
        """The live secrets, newest first."""
        return self.secret.get_secret_value().split()


def payload(message: Message) -> dict[str, Any]:
    """What a receiver gets: ids, what the reminder is about and the link; not the body text."""
    return {
        "key": message.key,
        "case_id": message.case_id,
        "case_ref": message.case_ref,
        "timer_kind": message.timer_kind,
        "stage": message.stage,
        "due_on": message.due_on.isoformat(),
        "subject": message.subject,
        "link": message.link,
    }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: "sha256=" and the hex HMAC over "<timestamp>.<body>"."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def standard_signature(secrets: list[str], msg_id: str, timestamp: str, body: bytes) -> str:
    """The `webhook-signature` header: "v1,<base64 HMAC-SHA256>" of "{id}.{timestamp}.{body}"
    with each secret, separated by spaces (Standard Webhooks)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(_key(one), signed, hashlib.sha256).digest()).decode()
        for one in secrets
    )


def _key(secret: str) -> bytes:
    return _decoded(secret) if secret.startswith(_WHSEC) else secret.encode()


def _decoded(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(_WHSEC), validate=True)


def verify_signature(
    secret: str, timestamp: str, body: bytes, header: str, *, now: float, tolerance: float = 300
) -> bool:
    """For receivers: True when `header` signs exactly this timestamp and body and the
    timestamp lies within `tolerance` seconds of `now`. Compares in constant time."""
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), header.strip().encode())


class WebhookChannel:
    """Posts `payload(message)` as JSON to the message's URL (or the configured one).

    2xx is delivered. Connection errors, timeouts, 429 and 5xx are tried again up to `retries`
    times; when they run out the failure is retryable. A receiver that answers with
    `Retry-After` is not asked again now: the outbox waits as long as it said. Any other status
    is not retryable. `transport`
    replaces the network (httpx's own seam); the channel closes only a transport it made.
    """

    name = "webhook"

    def __init__(
        self,
        settings: WebhookSettings,
        transport: httpx.BaseTransport | None = None,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._clock = clock or SystemClock()
        self._sleep = sleep
        # Loading the CA certificates costs ~50 ms: do it once, not once per reminder.
        self._tls = httpx.create_ssl_context() if transport is None else None

    def send(self, message: Message) -> None:
        url = message.recipient if _is_http_url(message.recipient) else self._settings.url
        body = json.dumps(payload(message), separators=(",", ":"), sort_keys=True).encode()
        transport = self._transport or httpx.HTTPTransport(verify=self._tls or True)
        client = httpx.Client(transport=transport, timeout=self._settings.timeout)
        try:
            self._post_with_retries(client, url, body, message.key)
        finally:
            if self._transport is None:
                client.close()

    def _post_with_retries(self, client: httpx.Client, url: str, body: bytes, key: str) -> None:
        attempts = self._settings.retries + 1
        last = ""
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self._sleep(self._settings.backoff * (attempt - 1))
            try:
                response = client.post(url, content=body, headers=self._headers(body, key))
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
                raise DeliveryFailed(
                    "webhook URL is not usable", retryable=False, reasons=[type(error).__name__]
                ) from None
            except httpx.TransportError as error:
                last = type(error).__name__
            else:
                if response.is_success:
                    return
                if response.status_code not in _RETRY_STATUS:
                    raise DeliveryFailed(
                        "webhook receiver refused the reminder",
                        retryable=False,
                        reasons=[f"status {response.status_code}"],
                    )
                last = f"status {response.status_code}"
                wait = _retry_after(response.headers.get("Retry-After"), self._clock.now())
                if wait is not None:
                    raise DeliveryFailed(
                        "webhook receiver asked to wait", retryable=True, reasons=[last],
                        retry_after=wait,
                    )  # fmt: skip
            get_logger("engine.notifications").warning(
                "webhook_attempt_failed", key=key, attempt=attempt, of=attempts, reason=last
            )
        raise DeliveryFailed(
            f"webhook not delivered after {attempts} attempts", retryable=True, reasons=[last]
        )

    def _headers(self, body: bytes, key: str) -> dict[str, str]:
        timestamp = str(int(self._clock.now().timestamp()))
        secrets = self._settings.secrets()
        return {
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            "X-Safe-Future-Timestamp": timestamp,
            "X-Safe-Future-Signature": sign(secrets[0], timestamp, body),
            "webhook-id": key,
            "webhook-timestamp": timestamp,
            "webhook-signature": standard_signature(secrets, key, timestamp, body),
        }


def _is_http_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value))
    try:
        return max(timedelta(0), parsedate_to_datetime(value) - now)
    except (TypeError, ValueError):
        return None
