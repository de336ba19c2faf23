"""Reminders: decide which are due (into the outbox, one transaction) and deliver them.

`plan` writes one outbox row per deadline stage, role, channel and recipient when a deadline
reaches a new stage (the stage planned last is remembered per deadline); its key makes a second
worker or a restart add nothing twice. `deliver` claims committed rows, checks that the
deadline is still open and still at that stage (done is done), sends, and records the outcome;
failures are retried with backoff."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.bootstrap import App
from engine.directory import Directory
from engine.errors import InvalidInput
from engine.logs import get_logger
from engine.notifications import Channel, DeliveryFailed, Message
from engine.states import current_stage
from engine.states._schema import ReminderPolicy

log = get_logger("engine.reminders")
_MAX_ID = 2**63 - 1  # the largest id a BIGINT column (and SQLite) holds

MAX_ATTEMPTS = 60  # with the cap below: about two days of retrying before giving up
MAX_BACKOFF_MINUTES = 60
MAX_RETRY_AFTER = timedelta(hours=24)  # a receiver's Retry-After is honoured up to a day
LEASE = timedelta(minutes=5)
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
                rows += _rows(directory, t, stage.name, stage.roles, now)
                planned[t["deadline"]] = stage.name
        for c in repo.step_candidates(today):
            stage = current_stage(c["due_on"], [], today, wf.spec.step_reminders)
            if stage is not None and stage.name != c["planned_stage"]:
                step = {**c, "kind": "step_overdue", "timer_id": None}
                rows += _rows(directory, step, stage.name, stage.roles, now)
                planned[c["deadline"]] = stage.name
        added = repo.add(rows)
        repo.mark(planned, today)
        return added


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
) -> PassResult:
    """Deliver what is claimable now, in small batches, until nothing is left. Leases and
    retries follow the clock, never a `--at` evaluation moment."""
    result = PassResult()
    while True:
        now = app.clock.now()
        with app.uow.outbox() as repo:
            batch = repo.claim(worker, now, now + LEASE, limit)
        if not batch:
            return result
        for row in batch:
            _deliver_one(app, channels, row, worker, result, link)


def _deliver_one(
    app: App,
    channels: Mapping[str, Channel],
    row: dict[str, Any],
    worker: str,
    result: PassResult,
    link: str | None,
) -> None:
    now = app.clock.now()
    with app.uow.outbox() as repo:
        # Renew the lease just before sending; a worker that lost it leaves the row alone,
        # and a reminder whose deadline was met or moved on meanwhile is dropped.
        verdict = repo.renew_if_due(row, worker, now, now + LEASE)
        if verdict == "lost":
            return
        if verdict == "skip":
            repo.finish(row["id"], worker, status="skipped", now=now)
            result.skipped += 1
            return
    try:
        channels[row["channel"]].send(_message(app, row, link))
    except Exception as exc:
        _failed(app, row, worker, exc, result)
        return
    with app.uow.outbox() as repo:
        repo.finish(row["id"], worker, status="sent", now=app.clock.now())
    result.sent += 1


def _failed(app: App, row: dict[str, Any], worker: str, exc: Exception, result: PassResult) -> None:
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
            wait = timedelta(minutes=min(2 ** row["attempts"], MAX_BACKOFF_MINUTES))
            wait = max(wait, min(asked or wait, MAX_RETRY_AFTER))
            repo.finish(row["id"], worker, status="retry", now=now, error=error,
                        retry_at=now + wait)  # fmt: skip
            result.retrying += 1
        else:
            repo.finish(row["id"], worker, status="failed", now=now, error=error)
            result.failed += 1
    log.warning("reminder_failed", outbox_id=row["id"], channel=row["channel"], retry=retryable)


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


def _message(app: App, row: Mapping[str, Any], link: str | None) -> Message:
    """The reminder as its recipient reads it. A message that reaches a coordinator (alone or
    sharing an address with others) names the case by its short id only: coordinators never
    get the client reference, in any channel."""
    label = next(
        (t.label for t in app.workflow.spec.timers if t.kind == row["kind"]), "Step overdue"
    )
    what = {"due": "is due today"}.get(row["stage"], row["stage"].replace(":", " "))
    to_coordinator = "coordinator" in row["role"].split("+")
    ref = None if to_coordinator else row["client_ref"]
    named = row["case_id"][:8] if ref is None else ref
    return Message(
        key=row["key"],
        channel=row["channel"],
        recipient=row["recipient"],
        case_id=row["case_id"],
        case_ref=ref,
        timer_kind=row["kind"],
        stage=row["stage"],
        due_on=row["due_on"],
        subject=f"[Safe Future] {label}: {what} (case {named})",
        body=(
            f"{label} for case {named} ({row['organisation']}) - due {row['due_on']}.\n"
            f"Stage: {row['stage']}. Please act in the case file."
        ),
        link=link.format(case_id=row["case_id"]) if link else None,
    )


def run_once(
    app: App,
    channels: Mapping[str, Channel],
    directory: Directory,
    *,
    worker: str,
    at: datetime | None = None,
    link: str | None = None,
) -> PassResult:
    """One pass by hand or by the worker: plan what is due, then deliver it."""
    planned = plan(app, directory, at=at)
    result = deliver(app, channels, worker=worker, link=link)
    result.planned = planned
    log.info("reminders_pass", worker=worker, **result.as_dict())
    return result
