"""The one source of "now": injected everywhere, faked in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current moment as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and for replaying `--at`."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = as_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""The moments the engine takes at all: anything outside is a typing error, and the calendar
arithmetic around it (time zones, months ahead) stays far from the ends of `datetime`."""


def as_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive datetime is refused rather than guessed, and one
    outside EARLIEST..LATEST as implausible."""
    if moment.tzinfo is None:
        raise ValueError("a moment must carry a time zone (naive datetimes are ambiguous)")
    try:
        utc: datetime | None = moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError(f"{moment.isoformat()} lies outside the years 1900-2199")
    return utc


def local_minute(moment: str, tz: tzinfo) -> str:
    """An ISO moment as people read it: the local day and minute in `tz` (2026-01-05 00:30)."""
    return datetime.fromisoformat(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M")
