"""A reminders worker run in its own process by the multi-worker tests (spawned, so it
builds its own engine and connections as a real second worker would)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from engine import reminders
from engine.bootstrap import bootstrap
from engine.clock import FixedClock
from engine.notifications import WebhookChannel, WebhookSettings
from engine.settings import Settings


def deliver(db: tuple[str, str], hook_url: str, worker: str, at_iso: str, limit: int) -> int:
    """Deliver everything claimable at `at_iso` to the webhook; return how many were sent.
    `db` is the database URL and its key file."""
    settings = Settings(db=db[0], key_file=Path(db[1]))
    app = bootstrap(
        settings, clock=FixedClock(datetime.fromisoformat(at_iso)), configure_logs=False
    )
    channel = WebhookChannel(WebhookSettings(url=hook_url, secret="s3cret", backoff=0))
    try:
        return reminders.deliver(app, {"webhook": channel}, worker=worker, limit=limit).sent
    finally:
        app.db.dispose()


def audit_reads(db: tuple[str, str], case_ids: list[str], rounds: int, actor: str) -> None:
    """Reassign the first case's counsellor (a change: its save locks the audit head), read
    it, and audit a list read of all the cases, `rounds` times, each in its own transaction:
    a second process doing the same competes for the same chain heads."""
    from engine import service
    from engine.errors import ConcurrentChange

    app = bootstrap(Settings(db=db[0], key_file=Path(db[1])), configure_logs=False)
    try:
        for i in range(rounds):
            # ConcurrentChange: the other process changed it meanwhile, nothing was saved
            with contextlib.suppress(ConcurrentChange):
                service.assign(app, case_ids[0], f"c-{i}", actor=actor)
            service.show(app, case_ids[0], actor=actor)
            with app.uow.begin() as repo:
                ordered = case_ids if i % 2 else case_ids[::-1]
                repo.audit_many(ordered, actor, "read:overdue", app.clock.now())
    finally:
        app.db.dispose()
