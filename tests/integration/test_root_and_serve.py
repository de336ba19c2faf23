"""`safe-future serve` as a real process: the line saying where it listens, and what the root
path answers a browser and an API client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from queue import Empty, Queue

import httpx
import pytest

from engine.bootstrap import App

COMMAND = Path(sys.executable).parent / "safe-future"


class Served:
    """A started `serve` process and the lines it printed so far."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: Queue[str] = Queue()
        assert proc.stdout is not None
        out = proc.stdout
        threading.Thread(target=lambda: [self.lines.put(s) for s in out], daemon=True).start()

    def first_line(self) -> str:
        try:
            return self.lines.get(timeout=30).rstrip("\n")
        except Empty:
            pytest.fail(f"serve said nothing (exit {self.proc.poll()})")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def serve(db_url: str, key_file: Path, tmp_path: Path, app: App) -> Iterator[type[Served]]:
    """Starts `safe-future [OPTIONS] serve ARGS` on the test database; stopped by pid after."""
    started: list[Served] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFE_FUTURE_")}
    env.update(SAFE_FUTURE_DB=db_url, SAFE_FUTURE_KEY_FILE=str(key_file))

    class Start(Served):
        def __init__(self, *args: str) -> None:
            proc = subprocess.Popen([str(COMMAND), *args], env=env, cwd=tmp_path, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
            super().__init__(proc)
            started.append(self)

    yield Start
    for served in started:
        served.stop()


def _url(line: str) -> str:
    return line.split()[2]


def test_serve_says_where_it_listens_and_the_root_links_to_the_rest(
    serve: type[Served],
) -> None:
    """`serve --port 0` prints the address it really bound, with where the pages and the API
    documentation are, before any request; that address answers, and `GET /` gives an API
    client the links to the pages, /docs, /openapi.json and /health, each of which works."""
    line = serve("serve", "--port", "0").first_line()
    url = _url(line)
    assert url.startswith("http://127.0.0.1:") and url != "http://127.0.0.1:0"
    assert f"listening on {url} — pages at {url}/ui, API docs at {url}/docs" == line
    with httpx.Client(base_url=url, timeout=10) as client:
        root = client.get("/")
        assert (200, "application/json") == (root.status_code, root.headers["content-type"])
        links = {"pages": "/ui", "docs": "/docs", "openapi": "/openapi.json", "health": "/health"}
        assert {"service": "Safe Future Engine", "links": links} == root.json()
        answers = {name: client.get(path).status_code for name, path in links.items()}
        assert {"pages": 303, "docs": 200, "openapi": 200, "health": 200} == answers
        pages = client.get("/ui", follow_redirects=True)
        assert (200, "/ui/login") == (pages.status_code, pages.url.path)


def test_a_browser_at_the_root_is_sent_to_the_pages(serve: type[Served]) -> None:
    """A browser asking for `/` (Accept: text/html) is redirected to /ui, not shown a 404."""
    url = _url(serve("serve", "--port", "0").first_line())
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    answer = httpx.get(f"{url}/", headers=browser)
    assert (303, "/ui") == (answer.status_code, answer.headers["location"])
    assert 404 != httpx.get(f"{url}/", headers=browser, follow_redirects=True).status_code


def test_serve_says_it_in_dutch(serve: type[Served]) -> None:
    """With --lang nl the line is Dutch."""
    line = serve("--lang", "nl", "serve", "--port", "0").first_line()
    url = _url(line)
    assert f"luistert op {url} — pagina's op {url}/ui, API-documentatie op {url}/docs" == line


def test_a_port_in_use_is_an_error_naming_it(serve: type[Served]) -> None:
    """A port another process holds: exit 2 with the host and port, and no line saying it
    listens."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        served = serve("serve", "--port", str(port))
        code = served.proc.wait(timeout=60)
    assert served.proc.stderr is not None
    err = served.proc.stderr.read()
    assert 2 == code
    assert served.lines.empty()
    assert f"cannot listen on 127.0.0.1 port {port}" in err
    assert "Address already in use" in err
