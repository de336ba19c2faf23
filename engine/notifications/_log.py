"""The structured-log channel: one `reminder` event per message, with ids and names only."""

from __future__ import annotations

from typing import Any

from engine.logs import get_logger
from engine.notifications._message import Message


class LogChannel:
    """Writes one `reminder` event at warning level, so the default log level shows it.

    The event carries the key, case id, timer kind, stage, due date, the recipient role and
    the subject (which names the case by its short id only); never the body or the link.
    """

    name = "log"

    def __init__(self, logger: Any = None) -> None:
        self._logger = logger if logger is not None else get_logger("engine.notifications")

    def send(self, message: Message) -> None:
        self._logger.warning(
            "reminder",
            key=message.key,
            case_id=message.case_id,
            timer_kind=message.timer_kind,
            stage=message.stage,
            due_on=message.due_on.isoformat(),
            recipient=message.recipient,
            subject=message.subject,
        )
