"""Several worker processes on one outbox: every reminder is delivered exactly once, and a
worker killed mid-batch loses nothing (its claimed reminders come back after the lease)."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from engine import reminders
from engine.bootstrap import App
from engine.directory import Directory
from engine.domain import Case
from engine.store._tables import outbox
from tests.conftest import POSTGRES_URL
from tests.workers import deliver

SPAWN = multiprocessing.get_context("spawn")
ON_POSTGRES = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="several workers at once are a PostgreSQL set-up; on SQLite a second worker is "
    "refused (test_reminders.py)",
)


class Receiver:
    """A real local HTTP endpoint counting the Idempotency-Keys it receives."""

    def __init__(self, delay: float = 0.0) -> None:
        self.keys: Counter[str] = Counter()
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    outer.keys[json.loads(body)["key"]] += 1
                time.sleep(delay)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(delay=0.002)
    yield found
    found.close()


def _many_due_reminders(app: App, hook: str, n_cases: int) -> tuple[datetime, int]:
    """`n_cases` cases whose first talk is due; plan their reminders to the webhook."""
    wf = app.workflow
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with app.uow.begin() as repo:
        for i in range(n_cases):
            case = Case(
                id=str(uuid.uuid4()), client_ref=f"M-{i}", organisation="shelter-m",
                kind="trafficking", intake_on=start.date(), state=wf.spec.care.initial,
                residence_state=wf.spec.residence.initial, opened_at=start,
            )  # fmt: skip
            wf.open_case(case, at=start, now=start, actor="test")
            repo.add(case, workflow="t", closed=False, step_due_on=date(2026, 1, 19))
    directory = Directory.model_validate(
        {"organisations": {"shelter-m": {"inbox": {"webhook": hook}}}}
    )
    due_day = datetime(2026, 1, 12, 8, tzinfo=UTC)  # intake + 7 days: first talk due
    return due_day, reminders.plan(app, directory, at=due_day)


def _statuses(app: App) -> dict[str, int]:
    with app.db.connect() as conn:
        rows = conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
        return {status: count for status, count in rows.all()}


@ON_POSTGRES
def test_two_worker_processes_deliver_every_reminder_exactly_once(
    app: App, receiver: Receiver
) -> None:
    """Two worker processes share 3000 due reminders: each arrives exactly once."""
    at, planned = _many_due_reminders(app, receiver.url, 3000)
    assert 3000 == planned
    args = [(_db(app), receiver.url, f"worker-{n}", at.isoformat(), 50) for n in range(2)]
    with SPAWN.Pool(2) as pool:
        sent = pool.starmap(deliver, args)
    assert (planned, {1}) == (len(receiver.keys), set(receiver.keys.values()))
    assert planned == sum(sent) and all(sent)  # both workers took part
    assert {"sent": planned} == _statuses(app)


def test_a_worker_killed_mid_batch_loses_nothing(app: App, receiver: Receiver) -> None:
    """A worker killed while delivering leaves its claimed reminders to the next worker, who
    takes them once the lease has run out: every reminder arrives; none is lost."""
    at, planned = _many_due_reminders(app, receiver.url, 1000)
    doomed = SPAWN.Process(
        target=deliver, args=(_db(app), receiver.url, "doomed", at.isoformat(), 200)
    )
    doomed.start()
    deadline = time.monotonic() + 60
    while sum(receiver.keys.values()) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    doomed.kill()
    doomed.join()
    assert 0 < sum(receiver.keys.values()) < planned, "the worker must die mid-way"
    after_lease = (at + reminders.LEASE + timedelta(seconds=1)).isoformat()
    deliver(_db(app), receiver.url, "rescuer", after_lease, 200)
    assert planned == len(receiver.keys)
    assert {"sent": planned} == _statuses(app)


def _db(app: App) -> tuple[str, str]:
    """The database URL and key file a spawned worker bootstraps with."""
    return app.settings.db, str(app.settings.key_file)
