"""Calendar arithmetic behind the timers: durations on local dates and local midnights."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from engine.states import Workflow
from engine.states._schema import Duration
from engine.states._timers import local_midnight

AMS = ZoneInfo("Europe/Amsterdam")
FAST = settings(max_examples=200, deadline=None, database=None)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


# -- adding durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2026, 1, 31), Duration(months=1), date(2026, 2, 28)),
        (date(2028, 1, 31), Duration(months=1), date(2028, 2, 29)),
        (date(2026, 3, 31), Duration(months=1), date(2026, 4, 30)),
        (date(2025, 11, 30), Duration(months=3), date(2026, 2, 28)),
        (date(2026, 1, 31), Duration(months=3), date(2026, 4, 30)),
        (date(2027, 11, 30), Duration(months=3), date(2028, 2, 29)),
        (date(2025, 12, 29), Duration(months=3), date(2026, 3, 29)),
    ],
)
def test_months_clamp_to_the_month_end(start: date, duration: Duration, expected: date) -> None:
    """Adding months keeps the day of month, or clamps to the last day of a shorter month."""
    assert expected == duration.add_to(start)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 8, 30), date(2027, 2, 28)),
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 7, 15), date(2027, 1, 15)),
    ],
)
def test_six_months_from_a_month_end(start: date, expected: date) -> None:
    """Six months from 31 August lands on the last day of February (29th in a leap year)."""
    assert expected == Duration(months=6).add_to(start)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(2019, 5, 14), date(2037, 5, 14)),
        (date(2008, 2, 29), date(2026, 2, 28)),
        (date(2012, 2, 29), date(2030, 2, 28)),
        (date(2010, 2, 28), date(2028, 2, 28)),
        (date(2010, 3, 1), date(2028, 3, 1)),
    ],
)
def test_eighteenth_birthday(born: date, expected: date) -> None:
    """18 years after a birth date is the 18th birthday; born on 29 Feb gives 28 Feb."""
    assert expected == Duration(years=18).add_to(born)


def test_leap_day_birthday_falls_on_29_february_in_a_leap_year() -> None:
    """A child born on 29 February 2008 has its 20th birthday on 29 February 2028."""
    assert date(2028, 2, 29) == Duration(years=20).add_to(date(2008, 2, 29))


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2026, 1, 5), Duration(days=7), date(2026, 1, 12)),
        (date(2026, 1, 5), Duration(weeks=2), date(2026, 1, 19)),
        (date(2026, 1, 5), Duration(weeks=12), date(2026, 3, 30)),
        (date(2026, 12, 29), Duration(days=3), date(2027, 1, 1)),
        (date(2028, 2, 27), Duration(days=3), date(2028, 3, 1)),
        (date(2026, 1, 31), Duration(months=1, days=1), date(2026, 3, 1)),
        (date(2026, 1, 5), Duration(years=1, months=2, weeks=1, days=1), date(2027, 3, 13)),
    ],
)
def test_days_weeks_and_mixed_parts(start: date, duration: Duration, expected: date) -> None:
    """Days and weeks count calendar days; mixed parts apply years/months before weeks/days."""
    assert expected == duration.add_to(start)


# -- negative durations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2027, 1, 15), Duration(weeks=-8), date(2026, 11, 20)),
        (date(2026, 3, 31), Duration(months=-1), date(2026, 2, 28)),
        (date(2028, 3, 31), Duration(months=-1), date(2028, 2, 29)),
        (date(2026, 1, 1), Duration(days=-1), date(2025, 12, 31)),
        (date(2026, 2, 28), Duration(years=-18), date(2008, 2, 28)),
    ],
)
def test_negative_duration_moves_back(start: date, duration: Duration, expected: date) -> None:
    """A negative duration (e.g. a renewal lead of -8 weeks) moves a date back in time."""
    assert expected == duration.add_to(start)


def test_negative_flag() -> None:
    """`negative` is true exactly when the parts are negative."""
    assert [True, True, False, False] == [
        Duration(weeks=-8).negative,
        Duration(years=-1, days=-2).negative,
        Duration(weeks=8).negative,
        Duration(days=1).negative,
    ]


@pytest.mark.parametrize(
    ("day", "duration", "expected"),
    [
        (date(2026, 3, 1), Duration(weeks=2), date(2026, 2, 15)),
        (date(2026, 3, 29), Duration(days=3), date(2026, 3, 26)),
        (date(2026, 3, 31), Duration(months=1), date(2026, 2, 28)),
        (date(2026, 11, 20), Duration(weeks=-8), date(2027, 1, 15)),
    ],
)
def test_subtract_from(day: date, duration: Duration, expected: date) -> None:
    """`subtract_from` moves a date back by the duration (a reminder lead before a due day)."""
    assert expected == duration.subtract_from(day)


# -- describe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (Duration(months=3), "3 months"),
        (Duration(months=1), "1 month"),
        (Duration(days=1), "1 day"),
        (Duration(weeks=12), "12 weeks"),
        (Duration(years=18), "18 years"),
        (Duration(years=1, months=2, weeks=1, days=3), "1 year 2 months 1 week 3 days"),
        (Duration(weeks=-8), "8 weeks before"),
        (Duration(days=-1), "1 day before"),
        (Duration(months=-1, days=-2), "1 month 2 days before"),
    ],
)
def test_describe(duration: Duration, expected: str) -> None:
    """`describe()` says a duration in words, larger units first, `before` when negative."""
    assert expected == duration.describe()


# -- refused durations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "at least one"),
        ({"months": 0, "weeks": 0, "days": 0, "years": 0}, "at least one"),
        ({"months": 1, "days": -1}, "runs one way"),
        ({"years": -1, "weeks": 2}, "runs one way"),
    ],
)
def test_invalid_duration_refused(raw: dict[str, int], message: str) -> None:
    """An all-zero or mixed-sign duration is refused with a pydantic value error."""
    with pytest.raises(ValidationError) as refused:
        Duration.model_validate(raw)
    errors = refused.value.errors()
    assert ["value_error"] == [e["type"] for e in errors]
    assert message in errors[0]["msg"]


@pytest.mark.parametrize("unit", ["hours", "fortnights", "month"])
def test_unknown_unit_refused(unit: str) -> None:
    """A unit other than years, months, weeks or days is refused, not silently ignored."""
    with pytest.raises(ValidationError) as refused:
        Duration.model_validate({"days": 1, unit: 2})
    errors = refused.value.errors()
    assert [("extra_forbidden", (unit,))] == [(e["type"], e["loc"]) for e in errors]


def test_non_integer_part_refused() -> None:
    """A fractional part (1.5 months) is refused: calendar durations count whole units."""
    with pytest.raises(ValidationError) as refused:
        Duration.model_validate({"months": 1.5})
    assert [("months",)] == [e["loc"] for e in refused.value.errors()]


def test_shipped_policy_durations(workflow: Workflow) -> None:
    """The shipped policy's deadlines read as the organisation defaults in the workflow file."""
    policy = workflow.spec.policy
    expected = {
        "first_counselling": "7 days",
        "care_plan_evaluation": "3 months",
        "evaluation_after_decision": "2 weeks",
        "permit_renewal_lead": "8 weeks before",
        "arrival_grace": "3 days",
    }
    assert expected == {name: policy[name].describe() for name in expected}


# -- local midnight across daylight saving time ---------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), datetime(2026, 1, 4, 23, 0, tzinfo=UTC)),
        (date(2026, 3, 28), datetime(2026, 3, 27, 23, 0, tzinfo=UTC)),
        (date(2026, 3, 29), datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
        (date(2026, 3, 30), datetime(2026, 3, 29, 22, 0, tzinfo=UTC)),
        (date(2026, 7, 1), datetime(2026, 6, 30, 22, 0, tzinfo=UTC)),
        (date(2026, 10, 24), datetime(2026, 10, 23, 22, 0, tzinfo=UTC)),
        (date(2026, 10, 25), datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),
        (date(2026, 10, 26), datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),
    ],
)
def test_local_midnight_across_dst_2026(day: date, expected: datetime) -> None:
    """Amsterdam midnight is 23:00 UTC the day before in winter, 22:00 UTC in summer."""
    actual = local_midnight(day, AMS)
    assert expected == actual
    assert UTC == actual.tzinfo


def test_dst_days_are_23_and_25_hours_long() -> None:
    """The local day of 29 March 2026 lasts 23 hours and that of 25 October 2026 25 hours."""
    lengths = [
        local_midnight(day + timedelta(days=1), AMS) - local_midnight(day, AMS)
        for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 6, 1))
    ]
    assert [timedelta(hours=23), timedelta(hours=25), timedelta(hours=24)] == lengths


def test_workflow_day_start_is_local_midnight(workflow: Workflow) -> None:
    """The workflow's `day_start` is local midnight in its own time zone (Europe/Amsterdam)."""
    assert datetime(2026, 3, 28, 23, 0, tzinfo=UTC) == workflow.day_start(date(2026, 3, 29))


# -- properties -------------------------------------------------------------------------------

anchors = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@FAST
@given(anchor=anchors, months=st.integers(min_value=1, max_value=240))
def test_adding_months_stays_within_n_months(anchor: date, months: int) -> None:
    """N months later lies in the N-th next month, after the anchor, on its day or month end."""
    due = Duration(months=months).add_to(anchor)
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert anchor < due
    assert _month_index(anchor) + months == _month_index(due)
    assert min(anchor.day, last_day) == due.day


@FAST
@given(anchor=anchors, months=st.integers(min_value=1, max_value=240))
def test_months_back_and_forth_never_pass_the_anchor(anchor: date, months: int) -> None:
    """N months forward then back lands in the anchor's month, never after the anchor."""
    there = Duration(months=months).add_to(anchor)
    back = Duration(months=months).subtract_from(there)
    assert back <= anchor
    assert _month_index(anchor) == _month_index(back)


@FAST
@given(anchor=anchors, days=st.integers(min_value=1, max_value=4000))
def test_days_are_exact_and_reversible(anchor: date, days: int) -> None:
    """Adding days moves exactly that many calendar days, and subtracting them returns."""
    duration = Duration(days=days)
    due = duration.add_to(anchor)
    assert days == (due - anchor).days
    assert anchor == duration.subtract_from(due)
    assert anchor == Duration(days=-days).add_to(due)


@FAST
@given(day=st.dates(min_value=date(1980, 1, 1), max_value=date(2099, 12, 31)))
def test_due_day_starts_at_a_valid_local_midnight(day: date) -> None:
    """Every due day has a local midnight 1-2 h before UTC midnight that reads back as 00:00."""
    start = local_midnight(day, AMS)
    local = start.astimezone(AMS)
    assert (day, time(0)) == (local.date(), local.time())
    assert UTC == start.tzinfo
    before_utc_midnight = datetime.combine(day, time(0), tzinfo=UTC) - start
    assert before_utc_midnight in (timedelta(hours=1), timedelta(hours=2))
