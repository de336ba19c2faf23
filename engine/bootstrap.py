"""The one place where settings, database, clock, workflow and logging are put together.
Every entry point (CLI, API, worker, tests) calls `bootstrap`; nothing is built at import."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import Engine

from engine.clock import Clock, SystemClock
from engine.crypto import Cipher, Keyring, load_keyring
from engine.errors import InvalidInput
from engine.i18n import _
from engine.logs import configure_logging
from engine.settings import Settings
from engine.states import Workflow
from engine.store import UnitOfWork, make_engine

if TYPE_CHECKING:  # the channels (httpx, e-mail) are imported by the commands that send
    from engine.directory import Directory
    from engine.notifications import Channel


@dataclass
class App:
    settings: Settings
    db: Engine
    clock: Clock
    workflow: Workflow
    uow: UnitOfWork
    # A new case's id. Like the clock, an input: a test gives ids that share their short id.
    new_id: Callable[[], str] = lambda: str(uuid.uuid4())


def build_channels(clock: Clock) -> dict[str, Channel]:
    """The log channel always; e-mail and webhook when their settings are in the environment
    (SAFE_FUTURE_SMTP_HOST, SAFE_FUTURE_WEBHOOK_URL)."""
    from engine.notifications import (
        LogChannel,
        SmtpChannel,
        SmtpSettings,
        WebhookChannel,
        WebhookSettings,
    )

    channels: dict[str, Channel] = {"log": LogChannel()}
    prefix = "SAFE_FUTURE_SMTP_"
    try:
        if os.environ.get("SAFE_FUTURE_SMTP_HOST"):
            channels["email"] = SmtpChannel(SmtpSettings(), clock=clock)
        prefix = "SAFE_FUTURE_WEBHOOK_"
        if os.environ.get("SAFE_FUTURE_WEBHOOK_URL"):
            channels["webhook"] = WebhookChannel(WebhookSettings(), clock=clock)
    except ValidationError as exc:  # name the variables, never echo their values (passwords)
        raise InvalidInput(
            _("channel settings are incomplete"),
            [
                f"{prefix}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                if e["loc"]
                else e["msg"]
                for e in exc.errors()
            ],
        ) from None
    return channels


def check_channels(channels: Mapping[str, Channel], directory: Directory) -> None:
    """Refuse at start, not at send time, a directory that needs an unconfigured channel."""
    missing = sorted(directory.channels() - set(channels))
    if missing:
        raise InvalidInput(
            _("the directory names addresses for channels that are not configured"),
            [
                _(
                    "{name}: set {setting}",
                    name=name,
                    setting="SAFE_FUTURE_SMTP_HOST"
                    if name == "email"
                    else "SAFE_FUTURE_WEBHOOK_URL",
                )
                for name in missing
            ],
        )


def keyring(settings: Settings) -> Keyring:
    """The key ring the settings point at (SAFE_FUTURE_KEYS, the key file)."""
    keys = settings.keys.get_secret_value() if settings.keys is not None else None
    return load_keyring(settings.db, keys, settings.key_file)


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    workflow: Workflow | None = None,
    configure_logs: bool = True,
) -> App:
    """The engine put together. The keys are read and checked against the database at the
    first transaction (`app.uow.check_keys()` does it at once): a missing, unreadable or
    wrong key fails there with a clear error."""
    settings = settings or Settings()
    if configure_logs:
        configure_logging(settings.log_level, settings.log_json)
    db = make_engine(settings.db)
    clock = clock or SystemClock()
    return App(
        settings=settings,
        db=db,
        clock=clock,
        workflow=workflow or Workflow.load(settings.workflow),
        uow=UnitOfWork(db, lambda: Cipher(keyring(settings)), clock.now),
    )
