"""Timer rules: when a case's deadlines start, are done or cancelled, and when they fall due.

Due dates are calendar dates in the workflow's time zone (Europe/Amsterdam); a timer is due
from the start of its due day and overdue from the next day on.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from engine.domain import Case, Timer
from engine.rules import BoundGuard, GuardContext, bind, evaluate
from engine.states._schema import Anchor, Duration, Match


@dataclass(frozen=True)
class Happening:
    """One thing that happened to a case, which timers may react to: a trigger (with the step
    it left and entered, when it changed steps) or a recorded document."""

    trigger: str | None = None
    enter: str | None = None
    leave: str | None = None
    record: str | None = None
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class CompiledMatch:
    match: Match
    guards: tuple[BoundGuard, ...]

    def could_hit(self, what: Happening) -> bool:
        """Whether this kind of happening is the one matched, before its data and guards."""
        m = self.match
        return (
            _same(m.trigger, what.trigger)
            and _glob(m.enter, what.enter)
            and _glob(m.leave, what.leave)
            and _same(m.record, what.record)
        )

    def hits(self, what: Happening, ctx: GuardContext) -> bool:
        # Asked again even for a narrowed rule's matches, so that `hits` is right on its own.
        if not self.could_hit(what):
            return False
        data = what.data or {}
        if any(data.get(k) != v for k, v in self.match.where.items()):
            return False
        return not evaluate(self.guards, ctx)


def _same(want: str | None, got: str | None) -> bool:
    """True when nothing is wanted, or exactly this."""
    return want is None or want == got


def _glob(pattern: str | None, got: str | None) -> bool:
    """True when nothing is wanted, or the state matches the pattern."""
    return pattern is None or (got is not None and fnmatch.fnmatchcase(got, pattern))


def compile_matches(matches: list[Match]) -> tuple[CompiledMatch, ...]:
    return tuple(CompiledMatch(m, tuple(bind(g) for g in m.guards)) for m in matches)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of `day` in `tz`, as an aware UTC datetime (DST-correct)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class TimerRule:
    kind: str
    anchor: Anchor
    anchor_plus: Duration | None
    offset: Duration | None
    not_after: Anchor | None
    remind_before: tuple[Duration, ...]
    once: bool
    start: tuple[CompiledMatch, ...]
    done: tuple[CompiledMatch, ...]
    cancel: tuple[CompiledMatch, ...]

    def narrowed_to(self, kind: Happening) -> TimerRule:
        """This rule with only the matches that can hit a happening of this kind (the same
        trigger or document, leaving and entering the same steps), whatever its data."""

        def keep(matches: tuple[CompiledMatch, ...]) -> tuple[CompiledMatch, ...]:
            return tuple(m for m in matches if m.could_hit(kind))

        return replace(self, start=keep(self.start), done=keep(self.done), cancel=keep(self.cancel))

    def apply(self, case: Case, what: Happening, ctx: GuardContext, seq: int) -> None:
        """React to one happening: cancel, mark done, then start (a restart supersedes)."""
        for status, matches in (("cancelled", self.cancel), ("done", self.done)):
            if any(m.hits(what, ctx) for m in matches):
                for timer in case.pending_timers(self.kind):
                    timer.status = status  # type: ignore[assignment]
                    timer.closed_seq = seq
                    case.changes.touch_timer(timer)
        if not any(m.hits(what, ctx) for m in self.start):
            return
        if self.once and any(t.kind == self.kind and t.status != "cancelled" for t in case.timers):
            return
        anchor = _day_of(self.anchor, case, what, ctx)
        if anchor is None:
            return
        if self.anchor_plus:
            anchor = self.anchor_plus.add_to(anchor)
        for old in case.pending_timers(self.kind):
            old.status = "cancelled"
            old.closed_seq = seq
            case.changes.touch_timer(old)
        due_on = self.due_on(anchor)
        cap = _day_of(self.not_after, case, what, ctx) if self.not_after else None
        if cap is not None and cap < due_on:
            due_on = cap
        timer = Timer(
            kind=self.kind,
            due_on=due_on,
            due_at=local_midnight(due_on, ctx.tz),
            started_seq=seq,
            remind_on=sorted(lead.subtract_from(due_on) for lead in self.remind_before),
        )
        case.timers.append(timer)
        case.changes.touch_timer(timer)

    def due_on(self, anchor: date) -> date:
        return self.offset.add_to(anchor) if self.offset else anchor


def _day_of(a: Anchor, case: Case, what: Happening, ctx: GuardContext) -> date | None:
    """The local date an anchor points at, if the case or event has it."""
    value: Any
    if a.event_time:
        value = ctx.today
    elif a.data is not None:
        value = (what.data or {}).get(a.data)
    elif a.document is not None:
        kind, _, field = a.document.partition(".")
        value = (ctx.document(kind) or {}).get(field)
    elif a.fact == "intake_on":
        value = case.intake_on
    else:
        value = case.facts.get(str(a.fact))
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))
