"""Reminders through the real outbox and database: due once, never twice, coalesced after
downtime, escalated when overdue, retried on failure, and not sent once the thing is done."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from engine import reminders, service
from engine.bootstrap import App
from engine.directory import Directory, Preferences
from engine.errors import InvalidInput
from engine.notifications import DeliveryFailed, LogChannel, Message
from engine.scheduler import WorkerRefused, single_worker_on_sqlite
from engine.store._tables import outbox, timers
from tests.support import CaseDriver

AMS = ZoneInfo("Europe/Amsterdam")
DIRECTORY = Directory.model_validate(
    {
        "organisations": {
            "shelter-a": {"region": "noord", "inbox": {"email": "inbox@shelter-a.example"}}
        },
        "regions": {"noord": {"coordinator": {"email": "zc@noord.example"}}},
        "people": {
            "j.devries": {"email": "j.devries@shelter-a.example"},
            "a.bakker": {"email": "a.bakker@shelter-a.example"},
        },
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
    channels: dict[str, Any] = {"email": channel, "log": LogChannel()}
    # The full wait (no jitter taken off): a first retry comes after exactly one minute.
    return reminders.run_once(app, channels, DIRECTORY, worker="test", jitter=lambda: 1.0)


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
        reminders._deliver(
            case.app, {"email": late}, [row], "slow", result, None, Preferences(), random.random
        )
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


def test_passes_within_one_stage_write_nothing(case: CaseDriver) -> None:
    """The stage planned last is remembered per deadline: passes every few minutes for days
    write rows only when a deadline reaches its next stage (no spent ids, no growing table)."""
    _reflection(case)
    channel = Recorder()
    planned = 0
    for day in (22, 23, 24, 25):
        for minute in (0, 5, 10):
            case.app.clock.set(_on(date(2026, 3, day)) + timedelta(minutes=minute))  # type: ignore[attr-defined]
            run = reminders.run_once(case.app, {"email": channel}, DIRECTORY, worker="w")
            planned += run.planned
            assert minute == 0 or run.planned == 0
    with case.app.db.connect() as conn:
        rows, top = conn.execute(select(func.count(), func.max(outbox.c.id))).one()
    assert 1 == _reflection_sent(channel)
    assert rows == top == planned == len(channel.sent)


def test_a_retry_overtaken_by_the_next_stage_is_dropped(case: CaseDriver) -> None:
    """The two-weeks-before reminder that kept failing is not sent once the three-days-before
    one is due: the counsellor gets the current one, not both."""
    _reflection(case)
    _run(case.app, Recorder(fail=DeliveryFailed("busy", retryable=True)), date(2026, 3, 22))
    working = Recorder()
    result = _run(case.app, working, date(2026, 4, 2))
    assert ["before:3d"] == sorted(
        {m.stage for m in working.sent if m.timer_kind == "reflection_period_end"}
    )
    with case.app.db.connect() as conn:
        old = conn.execute(
            select(outbox.c.status).where(
                outbox.c.stage == "before:14d", outbox.c.kind == "reflection_period_end"
            )
        ).scalars()
        assert {"skipped"} == set(old)
    assert result.skipped >= 1


def test_the_case_counsellor_gets_her_own_reminders(case: CaseDriver) -> None:
    """A case's counsellor is reminded at her own address; the organisation's inbox keeps
    the organisation's share; after a reassignment the next stage goes to the new counsellor."""
    case.open(counsellor="j.devries")
    case.fire("start_reflection_period", started_on="2026-01-05")
    channel = Recorder()
    _run(case.app, channel, date(2026, 3, 22))
    service.assign(case.app, case.id, "a.bakker", actor="zc-test")
    _run(case.app, channel, date(2026, 4, 2))
    got = sorted(
        (m.stage, m.recipient) for m in channel.sent if m.timer_kind == "reflection_period_end"
    )
    assert [
        ("before:14d", "inbox@shelter-a.example"),
        ("before:14d", "j.devries@shelter-a.example"),
        ("before:3d", "a.bakker@shelter-a.example"),
        ("before:3d", "inbox@shelter-a.example"),
    ] == got
    timeline = service.timeline(case.app, case.id, actor="zc-test")
    assert {"counsellor": "a.bakker", "previous": "j.devries"} == timeline[-1]["data"]


def test_an_unknown_counsellor_id_is_refused_and_changes_nothing(case: CaseDriver) -> None:
    """A counsellor id that could be a name or an address is refused, naming the field."""
    case.open(counsellor="j.devries")
    with pytest.raises(InvalidInput) as refused:
        service.assign(case.app, case.id, "Jane de Vries <j@x>", actor="zc-test")
    assert refused.value.reasons[0].startswith("counsellor:")
    assert "j.devries" == service.show(case.app, case.id, actor="t")["counsellor"]


def test_a_timer_kind_the_workflow_no_longer_knows_still_reminds(case: CaseDriver) -> None:
    """A pending timer whose kind a newer workflow file dropped is not silently skipped: it
    reminds the case's people, and the pass goes on for every other deadline."""
    _reflection(case)
    with case.app.db.begin() as conn:
        conn.execute(
            update(timers)
            .where(timers.c.kind == "reflection_period_end")
            .values(kind="retired_kind")
        )
    channel = Recorder()
    _run(case.app, channel, date(2026, 4, 5))
    kinds = {m.timer_kind for m in channel.sent}
    assert {"retired_kind", "first_counselling_due"} <= kinds


def test_an_overdue_deadline_without_escalation_comes_back_weekly(case: CaseDriver) -> None:
    """An EU citizen's registration (no escalation in its policy) nobody records is brought
    up again every week, not left at one overdue reminder."""
    case.open()
    case.record("client_profile", citizenship="eu", minor_children=0, youngest_child_born_on=None)
    case.fire("register_eu_citizen", arrived_on="2025-10-31")  # due 28 February 2026
    channel = Recorder()
    for day in range(1, 22):
        _run(case.app, channel, date(2026, 3, day))
    stages = [m.stage for m in channel.sent if m.timer_kind == "eu_registration"]
    assert ["overdue", "overdue:2", "overdue:3", "overdue:4"] == stages


def test_a_receiver_that_asks_to_wait_is_left_alone_that_long(case: CaseDriver) -> None:
    """`Retry-After: 3 hours` from a receiver holds the reminder back three hours, not the
    usual one minute, and then it goes out."""
    _reflection(case)
    busy = Recorder(fail=DeliveryFailed("busy", retryable=True, retry_after=timedelta(hours=3)))
    start = _on(date(2026, 3, 22))
    first = _run(case.app, busy, date(2026, 3, 22))
    working = Recorder()
    sent = []
    for later in (timedelta(minutes=1), timedelta(hours=2, minutes=59), timedelta(hours=3)):
        case.app.clock.set(start + later)  # type: ignore[attr-defined]
        sent.append(reminders.deliver(case.app, {"email": working}, worker="w1").sent)
    assert [0, 0, first.retrying] == sent


def test_failed_reminders_are_listed_with_why_and_can_be_tried_again(case: CaseDriver) -> None:
    """Whoever runs the engine sees what failed and why, corrects it and sends it again;
    a reminder that did not fail is not sent twice by asking."""
    _reflection(case)
    _run(case.app, Recorder(fail=DeliveryFailed("550 no such user", retryable=False)),
         date(2026, 3, 22))  # fmt: skip
    failed = reminders.listing(case.app, status="failed")
    assert failed and {"550 no such user"} == {r["last_error"] for r in failed}
    assert failed == reminders.listing(case.app)  # the default: problems
    ids = [r["id"] for r in failed]
    assert sorted(ids) == reminders.requeue(case.app, ids)
    working = Recorder()
    assert len(ids) == reminders.deliver(case.app, {"email": working}, worker="w").sent
    assert [] == reminders.requeue(case.app, ids)
    assert [] == reminders.listing(case.app, status="problems")
    with pytest.raises(InvalidInput) as bad:
        reminders.listing(case.app, status="lost")
    assert bad.value.reasons[0].startswith("status: must be one of")


def test_a_directory_with_a_clear_text_webhook_or_bad_address_is_refused(tmp_path: Path) -> None:
    """Reminders leave the machine only over https; the error names the entry and the rule."""
    path = tmp_path / "directory.yaml"
    path.write_text(
        "organisations:\n"
        "  shelter-a: {inbox: {email: not-an-address, webhook: 'http://hooks.example/x'}}\n"
    )
    with pytest.raises(InvalidInput) as refused:
        Directory.load(path)
    reasons = refused.value.reasons
    assert any(r.startswith("organisations.shelter-a.inbox.email:") for r in reasons)
    assert any("webhook" in r and "https is required" in r for r in reasons)
    path.write_text("organisations:\n  shelter-a: {inbox: {webhook: 'http://127.0.0.1:9/x'}}\n")
    assert Directory.load(path).organisations["shelter-a"].inbox.webhook


@pytest.mark.parametrize(("jitter", "seconds"), [(0.0, 30), (0.5, 45), (1.0, 60)])
def test_retries_are_spread_by_jitter(case: CaseDriver, jitter: float, seconds: int) -> None:
    """After a first temporary failure a reminder waits between half a minute and a minute,
    as the random source says, so many failed together do not all come back at once."""
    _reflection(case)
    busy = Recorder(fail=DeliveryFailed("busy", retryable=True))
    case.app.clock.set(_on(date(2026, 3, 22)))  # type: ignore[attr-defined]
    channels: dict[str, Any] = {"email": busy, "log": LogChannel()}
    reminders.run_once(case.app, channels, DIRECTORY, worker="t", jitter=lambda: jitter)

    rows = reminders.listing(case.app, status="retrying")
    waits = {datetime.fromisoformat(r["next_attempt_at"]) - _on(date(2026, 3, 22)) for r in rows}
    assert {timedelta(seconds=seconds)} == waits


def test_the_backoff_doubles_up_to_an_hour_and_jitter_takes_off_at_most_half() -> None:
    """The full wait doubles per attempt up to an hour; jitter keeps half to all of it."""
    assert timedelta(minutes=4) == reminders.backoff(3, 0.0)
    assert timedelta(minutes=8) == reminders.backoff(3, 1.0)
    assert timedelta(minutes=30) == reminders.backoff(40, 0.0)
    assert timedelta(minutes=60) == reminders.backoff(40, 1.0)
