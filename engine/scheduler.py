"""The timing loop: APScheduler runs a reminders pass at a fixed interval.

The timers and the outbox in the database are the only source of truth; APScheduler keeps
just this one interval job in memory (its job stores must not be shared between schedulers,
and a one-off job that misfires is dropped). The first pass runs at start, so what fell due
while the worker was down goes out at once. On SQLite one worker is enough: a second one is
refused with a clear message; on PostgreSQL several workers share the work.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url

from engine import reminders
from engine.bootstrap import App
from engine.directory import Directory
from engine.errors import EngineError
from engine.logs import get_logger
from engine.notifications import Channel

log = get_logger("engine.scheduler")


class WorkerRefused(EngineError):
    """Another worker already runs on this SQLite database."""

    code = "worker_refused"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def single_worker_on_sqlite(app: App) -> Iterator[None]:
    """On an SQLite file, hold an exclusive lock file for as long as the worker runs."""
    url = make_url(str(app.db.url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    lock_path = Path(f"{url.database}.worker.lock")
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkerRefused(
                "another reminders worker is running on this SQLite database",
                [
                    f"db: {lock_path} is held; on SQLite one worker is enough "
                    "(use PostgreSQL to run several)"
                ],
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_worker(
    app: App,
    channels: Mapping[str, Channel],
    directory: Directory,
    *,
    interval: float = 60.0,
    link: str | None = None,
) -> None:
    """Run reminder passes every `interval` seconds until SIGINT or SIGTERM."""
    me = worker_id()
    with single_worker_on_sqlite(app):
        from apscheduler.schedulers.blocking import BlockingScheduler  # only a worker needs it

        scheduler = BlockingScheduler(timezone=UTC)
        scheduler.add_job(
            reminders.run_once,
            "interval",
            seconds=interval,
            kwargs={"app": app, "channels": channels, "directory": directory, "worker": me,
                    "link": link},
            next_run_time=datetime.now(UTC),  # catch up at once on start
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            id="reminders",
        )  # fmt: skip

        def stop(signum: int, _: FrameType | None) -> None:
            log.info("worker_stopping", worker=me, signal=signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("worker_started", worker=me, interval=interval)
        scheduler.start()
