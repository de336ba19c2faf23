"""Reminders: decide which are due (into the outbox, one transaction) and deliver them.

`plan` writes one outbox row per deadline stage, role, channel and recipient when a deadline
reaches a new stage (the stage planned last is remembered per deadline); its key makes a second
worker or a restart add nothing twice. `deliver` claims committed rows, checks that the
deadline is still open and still at that stage (done is done), sends, and records the outcome;
failures are retried with backoff (with jitter, so many failed reminders do not all come back
at the same moment).

A recipient whose directory contact asks for `digest: daily` gets her e-mail reminders in one
message a day: her rows wait in the outbox until the digest hour (07:00 local), or are sent at
once when no message went to her yet that day, and are delivered together; each row keeps its
own status, so a retry sends nothing twice and a deadline met meanwhile is left out."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from engine import reminder_texts as texts
from engine.bootstrap import App
from engine.directory import Directory, Preferences
from engine.errors import InvalidInput
from engine.logs import get_logger
from engine.notifications import Channel, DeliveryFailed, Message
from engine.states import Workflow, current_stage
from engine.states._schema import ReminderPolicy
from engine.store import OutboxRepository

log = get_logger("engine.reminders")
_MAX_ID = 2**63 - 1  # the largest id a BIGINT column (and SQLite) holds

MAX_ATTEMPTS = 60  # with the cap below: about two days of retrying before giving up
MAX_BACKOFF_MINUTES = 60
MAX_RETRY_AFTER = timedelta(hours=24)  # a receiver's Retry-After is honoured up to a day
LEASE = timedelta(minutes=5)
DIGEST_HOUR = 7  # local time of the daily digest
DIGEST_CHANNELS = frozenset({"email"})  # a webhook or the log gets each reminder by itself
# A pending timer of a kind the loaded workflow file no longer defines still reminds its case's
# people and, after a week, the coordinator: a deadline is never silently dropped.
_FALLBACK = ReminderPolicy.model_validate(
    {"notify": ["counsellor", "organisation"],
     "escalate": {"after_days": 7, "to": ["coordinator"], "every_days": 7}}
)  # fmt: skip


@dataclass
class PassResult:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retrying: int = 0
    logged: int = 0  # of `sent`: written to the log only, for want of an address

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def plan(app: App, directory: Directory, *, at: datetime | None = None) -> int:
    """Write the reminders due on the local day of `at` into the outbox; return how many new."""
    now = at or app.clock.now()
    wf = app.workflow
    today = now.astimezone(wf.tz).date()
    policies = {t.kind: t.reminders for t in wf.spec.timers}
    with app.uow.outbox() as repo:
        rows: list[dict[str, Any]] = []
        planned: dict[str, str] = {}
        for t in repo.timer_candidates(today):
            if t["kind"] not in policies:
                log.warning("reminder_policy_missing", kind=t["kind"], timer_id=t["timer_id"])
            remind_on = [date.fromisoformat(d) for d in t["remind_on"]]
            policy = policies.get(t["kind"], _FALLBACK)
            stage = current_stage(t["due_on"], remind_on, today, policy)
            if stage is not None and stage.name != t["planned_stage"]:
                new = _rows(directory, t, stage.name, stage.roles, now)
                rows += _held(repo, wf, directory, t, new)
                planned[t["deadline"]] = stage.name
        for c in repo.step_candidates(today):
            stage = current_stage(c["due_on"], [], today, wf.spec.step_reminders)
            if stage is not None and stage.name != c["planned_stage"]:
                step = {**c, "kind": "step_overdue", "timer_id": None}
                new = _rows(directory, step, stage.name, stage.roles, now)
                rows += _held(repo, wf, directory, c, new)
                planned[c["deadline"]] = stage.name
        added = repo.add(rows)
        repo.mark(planned, today)
        return added


def _held(
    repo: OutboxRepository,
    wf: Workflow,
    directory: Directory,
    item: Mapping[str, Any],
    rows: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A digest recipient's reminder waits for her digest: today's at 07:00 (or now, when later
    and nothing went to her today yet), else tomorrow's."""
    for row in rows:
        channel, recipient = row["channel"], row["recipient"]
        if channel not in DIGEST_CHANNELS:
            continue
        if not directory.preferences(item["organisation"], channel, recipient).digest:
            continue
        now = row["next_attempt_at"]
        today = now.astimezone(wf.tz).date()
        if repo.sent_since(channel, recipient, wf.day_start(today)):
            today += timedelta(days=1)
        # the local hour, also on the days the clocks change
        digest_at = datetime.combine(today, time(DIGEST_HOUR), tzinfo=wf.tz).astimezone(UTC)
        row["next_attempt_at"] = max(now, digest_at)
    return rows


def _rows(
    directory: Directory,
    item: Mapping[str, Any],
    stage: str,
    roles: tuple[str, ...],
    now: datetime,
) -> list[dict[str, Any]]:
    """One row per channel and recipient: roles that share an address get one message."""
    found: dict[tuple[str, str], list[str]] = {}
    for role in roles:
        for address in directory.addresses(item["organisation"], role, item["counsellor"]):
            found.setdefault(address, []).append(role)
    return [
        {
            "key": _key(item["deadline"], stage, channel, recipient),
            "deadline": item["deadline"],
            "case_id": item["case_id"],
            "timer_id": item["timer_id"],
            "state_entered_seq": item.get("state_entered_seq"),
            "kind": item["kind"],
            "stage": stage,
            "role": "+".join(who),
            "channel": channel,
            "recipient": recipient,
            "due_on": item["due_on"],
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for (channel, recipient), who in sorted(found.items())
    ]


def _key(*parts: str) -> str:
    """A fixed-length idempotency key; it carries no address into headers or logs."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def deliver(
    app: App,
    channels: Mapping[str, Channel],
    *,
    worker: str,
    limit: int = 20,
    link: str | None = None,
    directory: Directory | None = None,
    jitter: Callable[[], float] = random.random,
) -> PassResult:
    """Deliver what is claimable now, in small batches, until nothing is left. Leases and
    retries follow the clock, never a `--at` evaluation moment. `directory` gives each
    recipient's language and digest wish; `jitter` (0 to 1) spreads the retries."""
    result = PassResult()
    found = directory or Directory()
    while True:
        now = app.clock.now()
        with app.uow.outbox() as repo:
            batch = repo.claim(worker, now, now + LEASE, limit)
        if not batch:
            return result
        done: set[int] = set()
        for row in batch:
            if row["id"] in done:
                continue
            prefs = found.preferences(row["organisation"], row["channel"], row["recipient"])
            rows = _digest_rows(app, row, worker) if _digest(prefs, row) else [row]
            done.update(r["id"] for r in rows)
            _deliver(app, channels, rows, worker, result, link, prefs, jitter)


def _digest(prefs: Preferences, row: Mapping[str, Any]) -> bool:
    return prefs.digest and row["channel"] in DIGEST_CHANNELS


def _digest_rows(app: App, row: dict[str, Any], worker: str) -> list[dict[str, Any]]:
    """All of a digest recipient's reminders that are due now, held by `worker`."""
    now = app.clock.now()
    with app.uow.outbox() as repo:
        return repo.claim_recipient(worker, row["channel"], row["recipient"], now, now + LEASE)


def _deliver(
    app: App,
    channels: Mapping[str, Channel],
    rows: list[dict[str, Any]],
    worker: str,
    result: PassResult,
    link: str | None,
    prefs: Preferences,
    jitter: Callable[[], float],
) -> None:
    """Send `rows` (one reminder, or a recipient's digest) as one message and record it."""
    now = app.clock.now()
    due = []
    with app.uow.outbox() as repo:
        # Renew the lease just before sending; a worker that lost it leaves the row alone,
        # and a reminder whose deadline was met or moved on meanwhile is dropped.
        for row in rows:
            verdict = repo.renew_if_due(row, worker, now, now + LEASE)
            if verdict == "skip":
                repo.finish(row["id"], worker, status="skipped", now=now)
                result.skipped += 1
            elif verdict == "send":
                due.append(row)
    if not due:
        return
    try:
        channels[due[0]["channel"]].send(_message(app, due, link, prefs.language))
    except Exception as exc:
        spread = jitter()  # one draw for a digest's reminders, so they come back together
        for row in due:
            _failed(app, row, worker, exc, result, spread)
        return
    with app.uow.outbox() as repo:
        for row in due:
            repo.finish(row["id"], worker, status="sent", now=app.clock.now())
    result.sent += len(due)
    if due[0]["channel"] == "log":
        result.logged += len(due)


def _failed(
    app: App,
    row: dict[str, Any],
    worker: str,
    exc: Exception,
    result: PassResult,
    spread: float,
) -> None:
    now = app.clock.now()
    asked = None
    if isinstance(exc, DeliveryFailed):
        retryable, error, asked = exc.retryable, str(exc)[:200], exc.retry_after
    elif isinstance(exc, KeyError):
        retryable, error = False, f"channel {row['channel']} is not configured"
    else:
        retryable, error = True, type(exc).__name__
    retryable = retryable and row["attempts"] + 1 < MAX_ATTEMPTS
    with app.uow.outbox() as repo:
        if retryable:
            wait = backoff(row["attempts"], spread)
            wait = max(wait, min(asked or wait, MAX_RETRY_AFTER))
            repo.finish(row["id"], worker, status="retry", now=now, error=error,
                        retry_at=now + wait)  # fmt: skip
            result.retrying += 1
        else:
            repo.finish(row["id"], worker, status="failed", now=now, error=error)
            result.failed += 1
    log.warning(
        "reminder_failed", outbox_id=row["id"], channel=row["channel"], retry=retryable,
        reason=error,
    )  # fmt: skip


def backoff(attempts: int, jitter: float) -> timedelta:
    """The wait before the next try after `attempts` failed ones: doubling from a minute up to
    an hour, of which a random half (`jitter`, 0 to 1) is taken off, so reminders that failed
    together are not all tried again at the same moment."""
    full = timedelta(minutes=min(2**attempts, MAX_BACKOFF_MINUTES))
    return full / 2 + full / 2 * min(max(jitter, 0.0), 1.0)


STATUSES = ("problems", "failed", "retrying", "pending", "sent", "skipped")


def listing(app: App, *, status: str = "problems", limit: int = 100) -> list[dict[str, Any]]:
    """The outbox for whoever runs the engine: what failed, what is being retried, and why."""
    if status not in STATUSES:
        raise InvalidInput("bad --status", [f"status: must be one of {', '.join(STATUSES)}"])
    if not 1 <= limit <= 10_000:
        raise InvalidInput("bad --limit", ["limit: from 1 to 10000"])
    with app.uow.outbox() as repo:
        rows = repo.listing(status, limit)
    return [
        {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}
        for row in rows
    ]


def requeue(app: App, ids: list[int]) -> list[int]:
    """Try failed reminders again (e.g. after fixing an address); others are left alone."""
    wrong = [f"id: {i} is not an outbox id (1 to {_MAX_ID})" for i in ids if not 0 < i <= _MAX_ID]
    if wrong:
        raise InvalidInput("bad reminder ids", wrong[:10])
    with app.uow.outbox() as repo:
        taken = repo.requeue(ids, app.clock.now())
    log.info("reminders_requeued", ids=taken)
    return taken


def _message(app: App, rows: Sequence[Mapping[str, Any]], link: str | None, lang: str) -> Message:
    """The reminder (or a digest of several) as its recipient reads it, in her language. A
    message that reaches a coordinator (alone or sharing an address with others) names the
    case by its short id only: coordinators never get the client reference, in any channel."""
    wf = app.workflow
    today = app.clock.now().astimezone(wf.tz).date()
    about = sorted((_reminder(app, row) for row in rows), key=lambda r: r.row["due_on"])
    links = [link.format(case_id=r.row["case_id"]) if link else None for r in about]
    first = about[0].row
    to_coordinator = "coordinator" in first["role"].split("+")
    if len(about) == 1:
        subject = texts.subject(wf, about[0], lang, today)
        body, key, case_id = texts.body(wf, about[0], lang, today), first["key"], first["case_id"]
    else:  # a digest: its key names this set of reminders; a retry that gathers more (or
        # fewer: done ones are dropped) is another set, so another key and Message-ID
        subject, body = texts.digest(wf, about, lang, today, links)
        key, case_id, links = _key(*sorted(r["key"] for r in rows)), "", [None]
    return Message(
        key=key,
        channel=first["channel"],
        recipient=first["recipient"],
        case_id=case_id,
        case_ref=None if to_coordinator or len(about) > 1 else first["client_ref"],
        timer_kind=first["kind"] if len(about) == 1 else "digest",
        stage=first["stage"] if len(about) == 1 else "daily",
        due_on=first["due_on"],
        subject=subject,
        body=body,
        link=links[0],
    )


def _reminder(app: App, row: Mapping[str, Any]) -> texts.Reminder:
    """What the case says about a reminder now: for a step, which one and what it lacks."""
    if row["kind"] != "step_overdue":
        return texts.Reminder(row, row["counsellor"])
    with app.uow.begin() as repo:
        case = repo.get(row["case_id"])
    missing = app.workflow.missing_documents(case, app.clock.now())
    return texts.Reminder(row, case.counsellor, case.state, missing)


def run_once(
    app: App,
    channels: Mapping[str, Channel],
    directory: Directory,
    *,
    worker: str,
    at: datetime | None = None,
    link: str | None = None,
    jitter: Callable[[], float] = random.random,
) -> PassResult:
    """One pass by hand or by the worker: plan what is due, then deliver it."""
    planned = plan(app, directory, at=at)
    result = deliver(app, channels, worker=worker, link=link, directory=directory, jitter=jitter)
    result.planned = planned
    log.info("reminders_pass", worker=worker, **result.as_dict())
    return result
