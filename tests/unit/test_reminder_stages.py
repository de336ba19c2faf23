"""Which reminder stage a deadline is in on a given day."""

from __future__ import annotations

from datetime import date

import pytest

from engine.states import current_stage
from engine.states._schema import Escalation, ReminderPolicy

DUE = date(2026, 4, 5)
LEADS = [date(2026, 3, 22), date(2026, 4, 2)]
POLICY = ReminderPolicy(
    notify=["counsellor", "organisation"],
    escalate=Escalation(after_days=3, to=["coordinator"], every_days=7),
)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 21), None),
        (date(2026, 3, 22), ("before:14d", ("counsellor", "organisation"))),
        (date(2026, 4, 1), ("before:14d", ("counsellor", "organisation"))),
        (date(2026, 4, 2), ("before:3d", ("counsellor", "organisation"))),
        (date(2026, 4, 5), ("due", ("counsellor", "organisation"))),
        (date(2026, 4, 6), ("overdue", ("counsellor", "organisation"))),
        (date(2026, 4, 8), ("escalation:1", ("counsellor", "organisation", "coordinator"))),
        (date(2026, 4, 14), ("escalation:1", ("counsellor", "organisation", "coordinator"))),
        (date(2026, 4, 15), ("escalation:2", ("counsellor", "organisation", "coordinator"))),
    ],
)
def test_stage_follows_the_calendar(today: date, expected: tuple[str, tuple[str, ...]]) -> None:
    """Before-reminders at their lead days, due on the day, overdue, then escalation rounds."""
    stage = current_stage(DUE, LEADS, today, POLICY)
    assert expected == (None if stage is None else (stage.name, stage.roles))


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 4, 6), "overdue"), (date(2026, 4, 11), "overdue"),
     (date(2026, 4, 12), "overdue:2"), (date(2026, 6, 1), "overdue:9")],
)  # fmt: skip
def test_without_escalation_an_overdue_deadline_comes_back_every_week(
    today: date, expected: str
) -> None:
    """A policy without escalation reminds the same people again every seven days, so a
    deadline nobody acts on is never left at one reminder."""
    stage = current_stage(DUE, [], today, ReminderPolicy())
    assert (expected, ("counsellor",)) == ((stage.name, stage.roles) if stage else None)
