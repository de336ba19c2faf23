"""Reminders: decide which are due (into the outbox, one transaction) and deliver them.

`plan` writes one outbox row per deadline stage, role, channel and recipient; its key makes
a second pass, a second worker or a restart add nothing twice. `deliver` claims committed rows,
checks that the deadline is still open (done is done), sends, and records the outcome;
failures are retried with backoff."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.bootstrap import App
from engine.directory import Directory
from engine.logs import get_logger
from engine.notifications import Channel, DeliveryFailed, Message
from engine.states import current_stage

log = get_logger("engine.reminders")

MAX_ATTEMPTS = 60  # with the cap below: about two days of retrying before giving up
MAX_BACKOFF_MINUTES = 60
LEASE = timedelta(minutes=5)


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
        for t in repo.timer_candidates(today):
            remind_on = [date.fromisoformat(d) for d in t["remind_on"]]
            stage = current_stage(t["due_on"], remind_on, today, policies[t["kind"]])
            if stage is not None:
                rows += _rows(directory, t, f"timer:{t['timer_id']}", stage.name, stage.roles, now)
        for c in repo.step_candidates(today):
            stage = current_stage(c["due_on"], [], today, wf.spec.step_reminders)
            if stage is not None:
                ref = f"step:{c['case_id']}:{c['state_entered_seq']}"
                step = {**c, "kind": "step_overdue", "timer_id": None}
                rows += _rows(directory, step, ref, stage.name, stage.roles, now)
        return repo.add(rows)


def _rows(
    directory: Directory,
    item: Mapping[str, Any],
    ref: str,
    stage: str,
    roles: tuple[str, ...],
    now: datetime,
) -> list[dict[str, Any]]:
    """One row per channel and recipient: roles that share an address get one message."""
    found: dict[tuple[str, str], list[str]] = {}
    for role in roles:
        for address in directory.addresses(item["organisation"], role):
            found.setdefault(address, []).append(role)
    return [
        {
            "key": _key(ref, stage, channel, recipient),
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
        # Renew the lease just before sending; a worker that lost it leaves the row alone.
        if not repo.renew(row["id"], worker, now, now + LEASE):
            return
        if not repo.still_due(row):
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
    if isinstance(exc, DeliveryFailed):
        retryable, error = exc.retryable, str(exc)[:200]
    elif isinstance(exc, KeyError):
        retryable, error = False, f"channel {row['channel']} is not configured"
    else:
        retryable, error = True, type(exc).__name__
    retryable = retryable and row["attempts"] + 1 < MAX_ATTEMPTS
    with app.uow.outbox() as repo:
        if retryable:
            wait = min(2 ** row["attempts"], MAX_BACKOFF_MINUTES)
            repo.finish(row["id"], worker, status="retry", now=now, error=error,
                        retry_at=now + timedelta(minutes=wait))  # fmt: skip
            result.retrying += 1
        else:
            repo.finish(row["id"], worker, status="failed", now=now, error=error)
            result.failed += 1
    log.warning("reminder_failed", outbox_id=row["id"], channel=row["channel"], retry=retryable)


def _message(app: App, row: Mapping[str, Any], link: str | None) -> Message:
    label = next(
        (t.label.en for t in app.workflow.spec.timers if t.kind == row["kind"]), "Step overdue"
    )
    what = {"due": "is due today"}.get(row["stage"], row["stage"].replace(":", " "))
    ref = row["client_ref"]
    return Message(
        key=row["key"],
        channel=row["channel"],
        recipient=row["recipient"],
        case_id=row["case_id"],
        case_ref=ref,
        timer_kind=row["kind"],
        stage=row["stage"],
        due_on=row["due_on"],
        subject=f"[Safe Future] {label}: {what} (case {ref})",
        body=(
            f"{label} for case {ref} ({row['organisation']}) - due {row['due_on']}.\n"
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
