"""A client case and what happened to it, as plain dataclasses.

The service loads a `Case`, the workflow changes it in memory and appends to its `changes`,
and the repository writes those changes in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

CaseKind = Literal["trafficking", "domestic_violence", "honour_violence"]
TimerStatus = Literal["pending", "done", "cancelled"]

SHORT_ID = 8
"""The characters of a case's short id: what the pages, reminders and calendar show of its id,
and what every entry point takes for it (engine/service/_resolve.py)."""


def short_id(case_id: str) -> str:
    """The first `SHORT_ID` characters of a case's id."""
    return case_id[:SHORT_ID]


@dataclass(frozen=True)
class Event:
    """One line of the append-only case log."""

    seq: int
    track: str
    trigger: str
    from_state: str | None
    to_state: str | None
    actor: str
    happened_at: datetime
    recorded_at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class DocumentVersion:
    """One recorded version of a document; `seq` is the case event that recorded it."""

    kind: str
    version: int
    data: dict[str, Any]
    seq: int
    actor: str
    happened_at: datetime
    recorded_at: datetime


@dataclass
class Timer:
    """A deadline kept for a case. Stored status is pending, done or cancelled;
    a pending timer whose due day has passed shows as overdue."""

    kind: str
    due_on: date
    due_at: datetime
    started_seq: int
    status: TimerStatus = "pending"
    closed_seq: int | None = None
    remind_on: list[date] = field(default_factory=list)
    id: int | None = None

    def status_on(self, today: date) -> str:
        """The status a person sees on local day `today`."""
        if self.status == "pending" and today > self.due_on:
            return "overdue"
        return self.status

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.status == "pending" else 0


@dataclass
class Changes:
    """What an operation did to a case, waiting to be written in one transaction."""

    events: list[Event] = field(default_factory=list)
    documents: list[DocumentVersion] = field(default_factory=list)
    timers: list[Timer] = field(default_factory=list)

    def touch_timer(self, timer: Timer) -> None:
        if all(t is not timer for t in self.timers):
            self.timers.append(timer)


@dataclass
class Case:
    id: str
    client_ref: str
    organisation: str
    kind: CaseKind
    intake_on: date
    state: str
    residence_state: str
    opened_at: datetime
    counsellor: str | None = None  # the person who guides the client (a user id, no name)
    state_entered_seq: int = 0
    state_entered_at: datetime | None = None
    seq: int = 0
    last_happened_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, DocumentVersion] = field(default_factory=dict)
    timers: list[Timer] = field(default_factory=list)
    version: int = 0
    # The hash of the case's last event: the head of its event chain, kept by the store.
    events_hash: str = "0" * 64
    changes: Changes = field(default_factory=Changes)

    def pending_timers(self, kind: str | None = None) -> list[Timer]:
        return [t for t in self.timers if t.status == "pending" and kind in (None, t.kind)]

    def log(
        self,
        *,
        track: str,
        trigger: str,
        from_state: str | None,
        to_state: str | None,
        actor: str,
        happened_at: datetime,
        recorded_at: datetime,
        data: dict[str, Any],
    ) -> Event:
        """Append an event to the case log (in memory) and return it."""
        self.seq += 1
        event = Event(
            self.seq, track, trigger, from_state, to_state, actor, happened_at, recorded_at, data
        )
        self.changes.events.append(event)
        # Triggers are kept in the order they happened; documents may be entered late.
        if track in ("care", "residence") and (
            self.last_happened_at is None or happened_at > self.last_happened_at
        ):
            self.last_happened_at = happened_at
        return event
