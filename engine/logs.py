"""Structured logs with structlog. Log lines carry ids and state names, never personal data:
a processor drops any key that could hold client data or secrets before rendering.

structlog (with rich, which it pulls in) is imported at the first line written, not before:
a command that logs nothing at the configured level (`case show` at WARNING) never pays for
it (docs/performance.md, cold start)."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from types import ModuleType
from typing import Any

# Keys that must never reach a log line, whatever a caller passes.
_FORBIDDEN = frozenset(
    {
        "client_ref",
        "data",
        "document",
        "documents",
        "facts",
        "name",
        "password",
        "token",
        "secret",
        "reasons",
        "message_body",
        "email",
    }
)


def drop_personal_data(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Remove keys that may hold personal data or secrets."""
    for key in list(event_dict):
        if key in _FORBIDDEN:
            event_dict[key] = "[withheld]"
    return event_dict


_LEVELS = logging.getLevelNamesMapping()
_pending: tuple[str, bool] | None = None  # configured before structlog was imported
_threshold = logging.NOTSET  # lines below it are dropped without importing structlog


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """Configure structlog to write one line per event to standard error: at once when
    structlog is imported already, else when the first line at `level` or above is written."""
    global _pending, _threshold
    _threshold = _LEVELS[level.upper()]
    if "structlog" in sys.modules:
        _pending = None
        _configure(level, json)
    else:
        _pending = (level, json)


def _structlog() -> ModuleType:
    """structlog, imported and configured as `configure_logging` last said."""
    global _pending
    import structlog

    if _pending is not None:
        level, json = _pending
        _pending = None
        _configure(level, json)
    return structlog


def _configure(level: str, json: bool) -> None:
    import structlog

    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            drop_personal_data,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


class Logger:
    """A named structlog logger that imports structlog only for a line it writes."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _log(self, level: str, event: str, fields: dict[str, Any]) -> None:
        if _LEVELS[level.upper()] >= _threshold:
            getattr(_structlog().get_logger(self.name), level)(event, **fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log("info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log("warning", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._log("error", event, fields)


def get_logger(name: str) -> Logger:
    return Logger(name)
