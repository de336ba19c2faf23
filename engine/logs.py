"""Structured logs with structlog. Log lines carry ids and state names, never personal data:
a processor drops any key that could hold client data or secrets before rendering."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

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


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """Configure structlog to write one line per event to standard error."""
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
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
