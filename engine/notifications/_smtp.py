"""The e-mail channel: one message per reminder over SMTP, with STARTTLS and login."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.clock import Clock, SystemClock
from engine.notifications._message import DeliveryFailed, Message


class SmtpSettings(BaseSettings):
    """Where and how to send e-mail; from the environment (prefix SAFE_FUTURE_SMTP_)."""

    model_config = SettingsConfigDict(env_prefix="SAFE_FUTURE_SMTP_", extra="ignore")

    host: str = Field(description="SMTP server host name")
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = Field(default=True, description="upgrade with STARTTLS; never send plain")
    implicit_tls: bool = Field(
        default=False, description="TLS from the first byte (port 465); STARTTLS is then moot"
    )
    username: str | None = Field(default=None, description="log in when set")
    password: SecretStr | None = None
    sender: str = Field(description="From address")
    timeout: float = Field(default=10, gt=0, description="seconds per network operation")

    @model_validator(mode="after")
    def _login_is_complete(self) -> SmtpSettings:
        if (self.username is None) != (self.password is None):
            raise ValueError("set both SAFE_FUTURE_SMTP_USERNAME and _PASSWORD, or neither")
        return self


def message_id(key: str, sender: str) -> str:
    """A Message-ID derived from the idempotency key only, so a retry carries the same one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = sender.rpartition("@")[2] or "safe-future.invalid"
    return f"<{digest}@{domain}>"


class SmtpChannel:
    """Sends each message as one e-mail with stdlib `smtplib`.

    With `starttls` (the default) the connection is upgraded before anything else and a server
    that does not offer STARTTLS is refused, never used in clear text; with `implicit_tls` the
    connection is encrypted from the start (SMTPS, port 465). `tls_context` verifies
    the server (default: the system's trusted CAs). Errors become `DeliveryFailed`: 4xx replies
    and network errors are retryable, 5xx replies are not. The password is never logged nor
    put in an error.
    """

    name = "email"

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        tls_context: ssl.SSLContext | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._settings = settings
        self._tls_context = tls_context
        self._clock = clock or SystemClock()

    def send(self, message: Message) -> None:
        email = self._compose(message)
        try:
            with self._connect() as smtp:
                self._secure_and_login(smtp)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _refused("recipient refused", codes[0] if codes else 0) from None
        except smtplib.SMTPNotSupportedError as error:
            raise DeliveryFailed(
                "SMTP server does not support what the settings require",
                retryable=False,
                reasons=[str(error)],
            ) from None
        except smtplib.SMTPServerDisconnected:
            raise DeliveryFailed("SMTP server closed the connection", retryable=True) from None
        except smtplib.SMTPResponseException as error:
            raise _refused(type(error).__name__, error.smtp_code) from None
        except smtplib.SMTPException as error:
            raise DeliveryFailed(
                "SMTP exchange failed", retryable=False, reasons=[type(error).__name__]
            ) from None
        except ssl.SSLCertVerificationError:  # not a passing fault: the settings need fixing
            raise DeliveryFailed(
                "the SMTP server's certificate cannot be verified", retryable=False
            ) from None
        except OSError as error:  # refused, unreachable, timed out, TLS handshake
            raise DeliveryFailed(
                "could not reach the SMTP server", retryable=True, reasons=[type(error).__name__]
            ) from None

    def _compose(self, message: Message) -> EmailMessage:
        email = EmailMessage()
        try:
            email["Subject"] = message.subject
            email["From"] = self._settings.sender
            email["To"] = message.recipient
            email["Date"] = format_datetime(self._clock.now())
            email["Message-ID"] = message_id(message.key, self._settings.sender)
            email["X-Safe-Future-Key"] = message.key
        except ValueError as error:  # a line break or a malformed address in a header
            raise DeliveryFailed(
                "message cannot be written as e-mail", retryable=False, reasons=[str(error)]
            ) from None
        text = message.body if message.link is None else f"{message.body}\n\n{message.link}\n"
        email.set_content(text)
        return email

    def _connect(self) -> smtplib.SMTP:
        host, port, timeout = self._settings.host, self._settings.port, self._settings.timeout
        if self._settings.implicit_tls:
            context = self._tls_context or ssl.create_default_context()
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        return smtplib.SMTP(host, port, timeout=timeout)

    def _secure_and_login(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if self._settings.starttls and not self._settings.implicit_tls:
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("STARTTLS is required but not offered")
            smtp.starttls(context=self._tls_context or ssl.create_default_context())
            smtp.ehlo()
        if self._settings.username is not None and self._settings.password is not None:
            smtp.login(self._settings.username, self._settings.password.get_secret_value())


def _refused(what: str, code: int) -> DeliveryFailed:
    """4xx is a temporary refusal (try again later), anything else a permanent one."""
    retryable = 400 <= code < 500 or code < 0
    return DeliveryFailed(
        f"SMTP server refused the message: {what}", retryable=retryable, reasons=[f"code {code}"]
    )
