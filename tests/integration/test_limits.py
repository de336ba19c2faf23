"""Size limits (issue 11 point 3, review finding 3): request bodies are cut off at their limit
as they arrive, documents and their lists have limits, and the largest document the limits
allow is recorded and read back quickly, over uvicorn on the real database."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from engine import accounts, service
from engine.api import create_api
from engine.api._limits import MAX_BODY_BYTES
from engine.bootstrap import App
from engine.documents import MAX_DOCUMENT_BYTES, document_size, example, too_big
from engine.documents._fields import MANY
from engine.jsontext import MAX_DEPTH
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

LONG_LABEL = "x" * 120
LONG_NOTE = "y" * 500


class Served:
    """A counsellor's token on the served API, and one case of hers."""

    def __init__(self, client: httpx.Client, port: int, token: str, case: CaseDriver) -> None:
        self.client = client
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"}
        self.case = case

    def post(self, path: str, *, json_type: bool = False, **kwargs: Any) -> httpx.Response:
        extra = {"Content-Type": "application/json"} if json_type else {}
        return self.client.post(path, headers={**self.headers, **extra}, **kwargs)

    def state(self) -> tuple[int, list[Any], list[Any]]:
        """The case's version, its documents and its events: what must not change."""
        view = service.show(self.case.app, self.case.id, actor="counsellor:test")
        events = service.timeline(self.case.app, self.case.id, actor="counsellor:test")
        return view["version"], view["documents"], events


@pytest.fixture
def served(app: App, case: CaseDriver) -> Iterator[Served]:
    """A shelter, a counsellor with a token, a case opened today, the API served."""
    accounts.add_organisation(app, "shelter-a", kind="shelter", name="Shelter A", actor=ADMIN)
    accounts.add_user(app, "anna", organisation="shelter-a", role="counsellor", actor=ADMIN)
    token = enrolled_token(app, "anna")
    case.open()
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        yield Served(client, server.port, token, case)


def _largest_safety_plan(on: str) -> dict[str, Any]:
    measure = {"area": "other", "measure": LONG_LABEL, "responsible": "client_and_counsellor"}
    return {**example("safety_plan"), "measures": [measure] * MANY,
            "client_resources": LONG_NOTE, "agreed_on": on, "review_on": on}  # fmt: skip


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert status == response.status_code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def _raw(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[bytes, int]:
    """Send a request head, then body chunks until the server answers; return the answer's
    first bytes and how many body bytes were sent before it came."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = b""
        while select.select([sock], [], [], 10)[0]:
            try:
                got = sock.recv(65536)
            except ConnectionResetError:
                break
            if not got:
                break
            answer += got
        return answer, sent


def test_the_reviews_oversized_safety_plan_is_refused_at_once_and_changes_nothing(
    served: Served,
) -> None:
    """The review's repro: a safety plan with 100,000 measures (26.7 MB) is answered 413
    naming the limit, within milliseconds, and the case is left as it was."""
    plan = {**example("safety_plan"), "measures": example("safety_plan")["measures"] * 100_000}
    body = json.dumps({"data": plan}).encode()
    assert len(body) > 20_000_000
    before = served.state()
    started = time.perf_counter()
    answer = served.post(
        f"/cases/{served.case.id}/documents/safety_plan",
        content=body,
        json_type=True,
    )
    elapsed = time.perf_counter() - started
    problem = _problem(answer, 413)
    assert [f"body: larger than the limit of {MAX_BODY_BYTES} bytes"] == problem["reasons"]
    assert elapsed < 1.0, elapsed
    assert before == served.state()


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(served: Served) -> None:
    """A chunked body with no Content-Length is answered 413 once it grows past the limit,
    long before the client has sent all of it."""
    head = (
        f"POST /cases/{served.case.id}/documents/safety_plan HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: {served.headers['Authorization']}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b"[" + b"0," * 32_000 + b"0]"
    chunks = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for _ in range(400))
    before = served.state()
    answer, sent = _raw(served.port, head, chunks)
    assert b"HTTP/1.1 413" == answer[:12]
    assert f"larger than the limit of {MAX_BODY_BYTES} bytes".encode() in answer
    assert sent < 400 * len(piece) / 2
    assert before == served.state()


def test_a_content_length_over_the_limit_is_answered_before_the_body_is_sent(
    served: Served,
) -> None:
    """A Content-Length over the limit gets 413 before a single body byte is sent."""
    head = (
        f"POST /cases/{served.case.id}/documents/safety_plan HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: {served.headers['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {30_000_000}\r\n\r\n"
    ).encode()
    answer, sent = _raw(served.port, head, iter([]))
    assert (b"HTTP/1.1 413", 0) == (answer[:12], sent)


def test_a_body_longer_than_its_content_length_is_still_counted(app: App) -> None:
    """A body that says it is small but keeps coming (a lying Content-Length, as a server
    without HTTP framing would pass it on) is counted as it arrives and cut off at the limit."""
    api = create_api(app)
    piece = b" " * 65_536
    pieces = iter([{"type": "http.request", "body": piece, "more_body": True}] * 100)
    received = 0
    answer: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        return next(pieces)

    async def send(message: dict[str, Any]) -> None:
        answer.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/cases", "raw_path": b"/cases", "query_string": b"",
             "root_path": "", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"content-length", b"10"), (b"content-type", b"application/json")],
             }  # fmt: skip
    asyncio.run(api(scope, receive, send))
    assert 413 == answer[0]["status"]
    assert MAX_BODY_BYTES // len(piece) + 1 == received


def test_the_largest_document_the_limits_allow_is_recorded_and_read_back(served: Served) -> None:
    """A safety plan with every list full and every text at its longest is recorded, and read
    back unchanged and quickly, as is its case."""
    plan = _largest_safety_plan(str(served.case.today))
    answer = served.post(f"/cases/{served.case.id}/documents/safety_plan", json={"data": plan})
    assert 201 == answer.status_code, answer.text
    started = time.perf_counter()
    read = served.client.get(
        f"/cases/{served.case.id}/documents/safety_plan", headers=served.headers
    )
    shown = served.client.get(f"/cases/{served.case.id}", headers=served.headers)
    elapsed = time.perf_counter() - started
    assert (200, 200) == (read.status_code, shown.status_code)
    assert plan == read.json()["data"]
    assert elapsed < 1.0, elapsed


def test_a_list_one_longer_than_its_limit_is_refused_naming_it(served: Served) -> None:
    """One measure more than the limit: 422 naming the list and the limit; nothing recorded."""
    plan = _largest_safety_plan(str(served.case.today))
    plan["measures"].append(plan["measures"][0])
    before = served.state()
    answer = served.post(f"/cases/{served.case.id}/documents/safety_plan", json={"data": plan})
    problem = _problem(answer, 422)
    assert [f"safety_plan.measures: List should have at most {MANY} items after validation, "
            f"not {MANY + 1}"] == problem["reasons"]  # fmt: skip
    assert before == served.state()


def test_every_document_kind_at_its_fullest_stays_under_the_byte_limit() -> None:
    """The byte limit is a backstop: the largest safety plan the field limits allow weighs
    far less, and a document over it is refused naming the limit."""
    assert document_size(_largest_safety_plan("2026-01-05")) < MAX_DOCUMENT_BYTES / 8
    big = {"notes": "z" * MAX_DOCUMENT_BYTES}
    assert [f"risk_analysis: {MAX_DOCUMENT_BYTES + 12} bytes, more than the limit of "
            f"{MAX_DOCUMENT_BYTES} bytes"] == too_big("risk_analysis", big)  # fmt: skip


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"data": {"reason": "x", "reason": "y"}}',
         "body: the key 'reason' is given twice; give each key once"),
        ('{"data": ' + "[" * 5000 + "]" * 5000 + "}",
         f"body: nested more than {MAX_DEPTH} levels deep"),
    ],
    ids=["duplicate-key", "nested-5000"],
)  # fmt: skip
def test_absurd_json_is_a_clear_error(served: Served, body: str, reason: str) -> None:
    """A key given twice or JSON nested 5,000 deep: 422 naming the rule; nothing changes."""
    before = served.state()
    answer = served.post(
        f"/cases/{served.case.id}/triggers/withdraw",
        content=body,
        json_type=True,
    )
    assert [reason] == _problem(answer, 422)["reasons"]
    assert before == served.state()
