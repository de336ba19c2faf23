"""A reminders worker run in its own process by the multi-worker tests (spawned, so it
builds its own engine and connections as a real second worker would)."""

from __future__ import annotations

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
