"""Which reminder a deadline calls for on a given day. Pure: dates in, a stage out.

A deadline nobody acts on keeps coming back until it is done. Only the latest stage reached
counts, so a worker that was down sends what fell due meanwhile once, coalesced per deadline,
instead of every reminder it missed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from engine.states._schema import ReminderPolicy, Role


@dataclass(frozen=True)
class Stage:
    """A reminder stage: `before:14d`, `due`, `overdue` (again as `overdue:N` every
    `repeat_every_days`) or `escalation:N` (the counsellor's people and the coordinator, again
    every `every_days`), and whom it is for."""

    name: str
    roles: tuple[Role, ...]


def current_stage(
    due_on: date, remind_on: Sequence[date], today: date, policy: ReminderPolicy
) -> Stage | None:
    """The stage a deadline due on `due_on` is in on local day `today`, if any."""
    notify = tuple(policy.notify)
    if today < due_on:
        passed = [d for d in remind_on if d <= today]
        return Stage(f"before:{(due_on - max(passed)).days}d", notify) if passed else None
    if today == due_on:
        return Stage("due", notify)
    late = (today - due_on).days
    esc = policy.escalate
    if esc is not None and late >= esc.after_days:
        round_ = (late - esc.after_days) // esc.every_days + 1
        return Stage(f"escalation:{round_}", tuple(dict.fromkeys([*notify, *esc.to])))
    round_ = late // policy.repeat_every_days + 1
    return Stage("overdue" if round_ == 1 else f"overdue:{round_}", notify)
