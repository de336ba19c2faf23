"""The rate limit on wrong tokens holds across two real `safe-future serve` processes on one
database (PostgreSQL in CI's second run), because the counts live in the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from engine import accounts
from engine.bootstrap import App
from tests.support import ADMIN, enrolled_token, free_port

COMMAND = Path(sys.executable).parent / "safe-future"
LIMIT = 3


def _serve(db_url: str, cwd: Path, key_file: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFE_FUTURE_")}
    env.update(SAFE_FUTURE_DB=db_url, SAFE_FUTURE_AUTH_FAILURES_PER_ADDRESS=str(LIMIT),
               SAFE_FUTURE_KEY_FILE=str(key_file))  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/health", timeout=1).raise_for_status()
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


@pytest.fixture
def servers(app: App, db_url: str, tmp_path: Path, key_file: Path) -> Iterator[list[str]]:
    """Two `serve` processes on the test database, stopped by their own pid afterwards."""
    started = [_serve(db_url, tmp_path, key_file) for _ in range(2)]
    try:
        for _, url in started:
            _wait_until_up(url)
        yield [url for _, url in started]
    finally:
        for proc, _ in started:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_wrong_tokens_spread_over_two_processes_count_together(
    servers: list[str], app: App
) -> None:
    """LIMIT wrong tokens sent alternately to two processes make the next request to either
    one 429; the right token from another address works on both."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role="counsellor", actor=ADMIN)
    token = enrolled_token(app, "anna")

    def me(url: str, secret: str, address: str = "127.0.0.1") -> int:
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(transport=transport) as client:
            headers = {"Authorization": f"Bearer {secret}"}
            return client.get(f"{url}/me", headers=headers).status_code

    wrong = [me(servers[i % 2], f"sfe_{i:08d}guess") for i in range(LIMIT)]
    assert [401] * LIMIT == wrong
    assert [429, 429] == [me(url, "sfe_next-guess") for url in servers]
    assert [200, 200] == [me(url, token, "127.0.0.2") for url in servers]
