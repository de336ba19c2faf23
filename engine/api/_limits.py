"""Request bodies within bounds, before anything parses them.

An ASGI middleware counts the bytes of a request body as they arrive and answers 413 as soon
as they pass MAX_BODY_BYTES: at once for a Content-Length that says so, and when a chunked
body (or one whose Content-Length lies) grows past it, without reading the rest. A JSON body
that fits is then parsed strictly (`engine.jsontext`: a key given twice, nesting past its
limit, a NUL character → 422) and handed on unchanged; a NUL character in the URL or a form
is refused too (PostgreSQL cannot store one, and no field takes it)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine import jsontext
from engine.api._problems import problem
from engine.errors import InvalidInput
from engine.jsontext import MAX_BODY_BYTES


class BodyLimit:
    """The middleware; `max_bytes` defaults to MAX_BODY_BYTES."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope["query_string"]:
            reasons = ["url: holds a NUL character (%00), which no parameter takes"]
            await problem(422, "invalid_input", "bad URL", reasons)(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        media = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        if media == b"application/x-www-form-urlencoded" and b"%00" in body:
            reasons = ["form: holds a NUL character (%00), which no field takes"]
            await problem(422, "invalid_input", "bad form", reasons)(scope, receive, send)
            return
        if body and _is_json(media):
            try:
                jsontext.loads(body)
            except InvalidInput as bad:
                await problem(422, bad.code, bad.message, bad.reasons)(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        reasons = [f"body: larger than the limit of {self.max_bytes} bytes"]
        answer = problem(413, "too_large", "the request body is too large", reasons)
        answer.headers["Connection"] = "close"
        await answer(scope, receive, send)


def _is_json(media: bytes) -> bool:
    return media == b"application/json" or media.endswith(b"+json")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the whole body once, then whatever the server says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
