"""Reminders through the real outbox and database: due once, never twice, coalesced after
downtime, escalated when overdue, retried on failure, and not sent once the thing is done."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine import reminders
from engine.bootstrap import App
from engine.directory import Directory
from engine.notifications import DeliveryFailed, LogChannel, Message
from engine.scheduler import WorkerRefused, single_worker_on_sqlite
from engine.store._tables import outbox
from tests.support import CaseDriver

AMS = ZoneInfo("Europe/Amsterdam")
DIRECTORY = Directory.model_validate(
    {
        "organisations": {
            "shelter-a": {"region": "noord", "inbox": {"email": "inbox@shelter-a.example"}}
        },
        "regions": {"noord": {"coordinator": {"email": "zc@noord.example"}}},
    }
)


class Recorder:
    """A channel at the system's edge that records what it was given (and can fail)."""

    def __init__(self, name: str = "email", fail: DeliveryFailed | None = None) -> None:
        self.name = name
        self.fail = fail
        self.sent: list[Message] = []
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        if self.fail is not None:
            raise self.fail
        with self._lock:
            self.sent.append(message)


def _on(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=AMS)


def _run(app: App, channel: Recorder, day: date) -> reminders.PassResult:
    app.clock.set(_on(day))  # type: ignore[attr-defined]
    return reminders.run_once(
        app, {"email": channel, "log": LogChannel()}, DIRECTORY, worker="test"
    )


def _reflection(case: CaseDriver) -> None:
    """A reflection period from 5 Jan 2026: due 5 Apr, reminders 22 Mar and 2 Apr."""
    case.open()
    case.fire("start_reflection_period", started_on="2026-01-05")


def _stages(channel: Recorder) -> list[tuple[str, str, str]]:
    return [(m.timer_kind, m.stage, m.recipient) for m in channel.sent]


def _reflection_sent(channel: Recorder) -> int:
    return sum(m.timer_kind == "reflection_period_end" for m in channel.sent)


def test_reminders_come_before_on_and_after_the_due_day(case: CaseDriver) -> None:
    """The reflection period's reminders go out 14 and 3 days before, on the day and when
    overdue, each once, to the counsellor's and the organisation's inbox."""
    _reflection(case)
    channel = Recorder()
    sent_on = {}
    for day in (date(2026, 3, 21), date(2026, 3, 22), date(2026, 3, 23), date(2026, 4, 2),
                date(2026, 4, 5), date(2026, 4, 6)):  # fmt: skip
        before = len(channel.sent)
        _run(case.app, channel, day)
        sent_on[day.isoformat()] = sorted(
            {m.stage for m in channel.sent[before:] if m.timer_kind == "reflection_period_end"}
        )
    assert {
        "2026-03-21": [], "2026-03-22": ["before:14d"], "2026-03-23": [],
        "2026-04-02": ["before:3d"], "2026-04-05": ["due"], "2026-04-06": ["overdue"],
    } == sent_on  # fmt: skip
    assert {"inbox@shelter-a.example"} == {
        m.recipient for m in channel.sent if m.timer_kind == "reflection_period_end"
    }


def test_a_second_pass_sends_nothing_twice(case: CaseDriver) -> None:
    """Running the pass again the same day plans and sends nothing new."""
    _reflection(case)
    channel = Recorder()
    first = _run(case.app, channel, date(2026, 3, 22))
    assert 1 == _reflection_sent(channel)  # counsellor and organisation share the inbox: once
    assert first.planned == first.sent == len(channel.sent)
    second = _run(case.app, channel, date(2026, 3, 22))
    assert (0, 0, 1) == (second.planned, second.sent, _reflection_sent(channel))


def test_catch_up_after_downtime_is_coalesced(case: CaseDriver) -> None:
    """A worker that was off from March to mid-April sends the current stage once,
    not every reminder it missed."""
    _reflection(case)
    channel = Recorder()
    result = _run(case.app, channel, date(2026, 4, 10))
    assert [
        ("reflection_period_end", "escalation:1", "inbox@shelter-a.example"),
        ("reflection_period_end", "escalation:1", "zc@noord.example"),
    ] == sorted(s for s in _stages(channel) if s[0] == "reflection_period_end")
    assert result.sent == len(channel.sent)


def test_overdue_deadlines_escalate_to_the_coordinator_and_repeat(case: CaseDriver) -> None:
    """After 3 days overdue the region's coordinator is told too, and again every 7 days."""
    _reflection(case)
    channel = Recorder()
    for day in range(5, 24):
        _run(case.app, channel, date(2026, 4, day))
    escalations = [
        s for s in _stages(channel) if s[1].startswith("escalation") and s[2].startswith("zc@")
    ]
    assert [
        ("reflection_period_end", "escalation:1", "zc@noord.example"),
        ("reflection_period_end", "escalation:2", "zc@noord.example"),
        ("reflection_period_end", "escalation:3", "zc@noord.example"),
    ] == [e for e in escalations if e[0] == "reflection_period_end"]


def test_done_is_done_even_when_already_planned(case: CaseDriver) -> None:
    """A reminder planned but not yet delivered is not sent once the thing happened."""
    _reflection(case)
    case.app.clock.set(_on(date(2026, 3, 22)))  # type: ignore[attr-defined]
    planned = reminders.plan(case.app, DIRECTORY)
    case.fire("report_to_police", reported_on="2026-03-22")
    channel = Recorder()
    result = reminders.deliver(case.app, {"email": channel}, worker="w1")
    assert (1, planned - 1) == (result.skipped, result.sent)
    assert 0 == _reflection_sent(channel)


def test_failed_delivery_is_retried_with_backoff(case: CaseDriver) -> None:
    """A retryable failure is tried again later and then delivered; a permanent one fails."""
    _reflection(case)
    broken = Recorder(fail=DeliveryFailed("busy", retryable=True))
    first = _run(case.app, broken, date(2026, 3, 22))
    assert (0, first.planned) == (first.sent, first.retrying)
    working = Recorder()
    case.app.clock.set(_on(date(2026, 3, 22)) + timedelta(seconds=30))  # type: ignore[attr-defined]
    assert 0 == reminders.deliver(case.app, {"email": working}, worker="w1").sent
    case.app.clock.set(_on(date(2026, 3, 22)) + timedelta(minutes=1))  # type: ignore[attr-defined]
    assert first.planned == reminders.deliver(case.app, {"email": working}, worker="w1").sent
    with case.app.db.connect() as conn:
        rows = conn.execute(select(outbox.c.key, outbox.c.attempts, outbox.c.status)).all()
    assert {(m.key, 2, "sent") for m in working.sent} == set(map(tuple, rows))


def test_permanent_failure_is_recorded(case: CaseDriver) -> None:
    """A rejected recipient is not retried; the outbox says it failed and why."""
    _reflection(case)
    result = _run(case.app, Recorder(fail=DeliveryFailed("550 no such user", retryable=False)),
                  date(2026, 3, 22))  # fmt: skip
    assert (0, result.planned) == (result.sent, result.failed)
    with case.app.db.connect() as conn:
        errors = set(conn.execute(select(outbox.c.status, outbox.c.last_error)).all())
    assert {("failed", "550 no such user")} == {tuple(e) for e in errors}


def test_two_workers_deliver_every_reminder_once(app: App, clock: object) -> None:
    """Two workers on one database share the outbox: each reminder goes out exactly once."""
    for i in range(40):
        driver = CaseDriver(app, app.clock)  # type: ignore[arg-type]
        driver.open(client=f"W-{i}")
        driver.fire("start_reflection_period", started_on="2026-01-05")
    app.clock.set(_on(date(2026, 4, 5)))  # type: ignore[attr-defined]
    planned = reminders.plan(app, DIRECTORY)
    channel = Recorder()
    threads = [
        threading.Thread(target=reminders.deliver, args=(app, {"email": channel}),
                         kwargs={"worker": f"w{n}", "limit": 7})
        for n in range(2)
    ]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = Counter(m.key for m in channel.sent)
    assert (planned, {1}) == (len(counts), set(counts.values()))


def test_step_left_too_long_reminds_then_escalates(case: CaseDriver) -> None:
    """A step past its expected end reminds the counsellor, later the coordinator."""
    case.open()
    channel = Recorder()
    _run(case.app, channel, date(2026, 1, 20))
    _run(case.app, channel, date(2026, 2, 2))
    steps = sorted((m.stage, m.recipient) for m in channel.sent if m.timer_kind == "step_overdue")
    assert [
        ("escalation:1", "inbox@shelter-a.example"),
        ("escalation:1", "zc@noord.example"),
        ("overdue", "inbox@shelter-a.example"),
    ] == steps


def test_without_an_address_the_reminder_goes_to_the_log(case: CaseDriver) -> None:
    """An organisation missing from the directory is still reminded, through the log."""
    case.open(org="shelter-z")
    case.app.clock.set(_on(date(2026, 1, 12)))  # type: ignore[attr-defined]
    result = reminders.run_once(case.app, {"log": LogChannel()}, DIRECTORY, worker="test")
    with case.app.db.connect() as conn:
        rows = conn.execute(select(outbox.c.channel, outbox.c.recipient, outbox.c.status)).all()
    assert (1, {("log", "counsellor@shelter-z", "sent")}) == (result.sent, set(map(tuple, rows)))


def test_second_worker_refused_on_sqlite_welcome_on_postgresql(app: App) -> None:
    """On an SQLite file only one worker runs and a second is refused, saying why; on
    PostgreSQL a second worker is welcome (the outbox's row locks share the work)."""
    with single_worker_on_sqlite(app):
        if app.db.dialect.name != "sqlite":
            with single_worker_on_sqlite(app):
                return
        with pytest.raises(WorkerRefused) as refused, single_worker_on_sqlite(app):
            pass
    assert Path(str(app.db.url.database)).name in refused.value.reasons[0]


def test_a_worker_that_lost_its_lease_does_not_send(case: CaseDriver) -> None:
    """Rows whose lease ran out and were taken by another worker are not sent by the first."""
    _reflection(case)
    case.app.clock.set(_on(date(2026, 3, 22)))  # type: ignore[attr-defined]
    reminders.plan(case.app, DIRECTORY)
    now = case.app.clock.now()
    with case.app.uow.outbox() as repo:
        slow = repo.claim("slow", now, now + reminders.LEASE, 100)
    case.app.clock.set(now + reminders.LEASE + timedelta(minutes=1))  # type: ignore[attr-defined]
    other = Recorder()
    taken = reminders.deliver(case.app, {"email": other}, worker="fast").sent
    late = Recorder()
    result = reminders.PassResult()
    for row in slow:
        reminders._deliver_one(case.app, {"email": late}, row, "slow", result, None)
    assert (len(slow), [], 0) == (taken, late.sent, result.sent)


def test_an_unexpected_channel_error_is_retried_not_stuck(case: CaseDriver) -> None:
    """A channel that crashes (not a delivery failure) leaves the reminder to be retried."""

    class Crashing(Recorder):
        def send(self, message: Message) -> None:
            raise ValueError("bug")

    _reflection(case)
    result = _run(case.app, Crashing(), date(2026, 3, 22))
    assert (0, result.planned) == (result.sent, result.retrying)
    with case.app.db.connect() as conn:
        rows = conn.execute(select(outbox.c.claimed_by, outbox.c.last_error)).all()
    assert {(None, "ValueError")} == {tuple(r) for r in rows}
