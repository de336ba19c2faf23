"""The case aggregate: plain data, no I/O, no clock. Changes are collected, not written."""

from engine.domain._case import Case, CaseKind, DocumentVersion, Event, Timer, TimerStatus

__all__ = ["Case", "CaseKind", "DocumentVersion", "Event", "Timer", "TimerStatus"]
