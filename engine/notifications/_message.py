"""What a channel delivers, the one error it raises, and the interface every channel meets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from engine.errors import EngineError


@dataclass(frozen=True)
class Message:
    """One reminder for one recipient over one channel.

    It carries no personal data beyond the case reference and what the reminder is about;
    `link` points at the case in the shelter's own system, never at its contents. A message
    for a coordinator has no case reference (`case_ref` is None): she knows cases by id.
    """

    key: str  # idempotency key, stable across retries ("case:timer:stage:recipient:channel")
    channel: str  # "log" | "email" | "webhook"
    recipient: str  # e-mail address, webhook URL, or a role name for the log channel
    case_id: str
    case_ref: str | None  # the organisation's case reference; None for a coordinator
    timer_kind: str  # e.g. "reflection_period_end"
    stage: str  # e.g. "before:14d", "due", "overdue:3d", "escalation:10d"
    due_on: date
    subject: str  # short, no personal data
    body: str = field(repr=False)  # plain text; kept out of reprs and log lines
    link: str | None  # URL to the case in the shelter's system


class DeliveryFailed(EngineError):
    """A channel could not deliver a message.

    `retryable` says whether sending the same message again later may succeed (a busy
    server, a timeout, a refused connection) or not (a rejected recipient, a bad request);
    `retry_after` is how long the receiver asked us to wait, when it said so.
    """

    code = "delivery_failed"

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        reasons: list[str] | None = None,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(message, reasons)
        self.retryable = retryable
        self.retry_after = retry_after

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "retryable": self.retryable}


class Channel(Protocol):
    """Delivers one message or raises `DeliveryFailed`; nothing else."""

    name: str

    def send(self, message: Message) -> None: ...
