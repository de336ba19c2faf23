"""The case aggregate: plain data, no I/O, no clock. Changes are collected, not written."""

from engine.domain._case import (
    SHORT_ID,
    Case,
    CaseKind,
    DocumentVersion,
    Event,
    Timer,
    TimerStatus,
    short_id,
)

__all__ = [
    "SHORT_ID",
    "Case",
    "CaseKind",
    "DocumentVersion",
    "Event",
    "Timer",
    "TimerStatus",
    "short_id",
]
