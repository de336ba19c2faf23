"""Errors as RFC 9457 problem+json: `type`, `title`, `status`, `detail`, and our `code` and
`reasons` (the guard reasons of a refused trigger, the fields of bad input)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from engine.errors import (
    CaseNotFound,
    ConcurrentChange,
    EngineError,
    Forbidden,
    InvalidInput,
    KeyProblem,
    NotConfigured,
    NotFound,
    TooManyAttempts,
    TriggerRefused,
    Unauthenticated,
    WorkflowInvalid,
)
from engine.i18n import N_, negotiate, translate
from engine.logs import get_logger
from engine.notifications import DeliveryFailed

log = get_logger("engine.api")

STATUS: dict[type[EngineError], int] = {
    InvalidInput: 422,
    TriggerRefused: 409,
    ConcurrentChange: 409,
    CaseNotFound: 404,
    NotFound: 404,
    Unauthenticated: 401,
    Forbidden: 403,
    WorkflowInvalid: 500,
    NotConfigured: 409,
    TooManyAttempts: 429,
    DeliveryFailed: 502,  # an enrolment link the mail server did not take
    KeyProblem: 500,
}
MEDIA_TYPE = "application/problem+json"


def problem(
    status: int,
    code: str,
    title: str,
    reasons: list[str],
    headers: dict[str, str] | None = None,
    lang: str = "en",
) -> JSONResponse:
    """The problem+json answer; `title`, `detail` and `reasons` in `lang` (English where the
    catalog lacks a text); `code` stays the id machines read."""
    title = translate(title, lang)
    reasons = [translate(r, lang) for r in reasons]
    body: dict[str, Any] = {
        "type": f"https://safe-future.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": "; ".join(reasons) or title,
        "code": code,
        "reasons": reasons,
    }
    headers = {
        **({"WWW-Authenticate": "Bearer"} if status == 401 else {}),
        "Content-Language": lang,
        **(headers or {}),
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def language(request: Request) -> str:
    """The language of the answer's texts, from Accept-Language by its q-weights; English
    without one (integrators read English, as the contract's examples do)."""
    return negotiate(request.headers.get("accept-language"), default="en")


def install(api: FastAPI) -> None:
    @api.exception_handler(EngineError)
    async def _engine(request: Request, exc: EngineError) -> JSONResponse:
        lang = language(request)
        status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 400)
        if isinstance(exc, KeyProblem):  # the operator's to fix: key ids and paths stay here
            log.error("key_problem", problem=exc.message, details=exc.reasons)
            return problem(status, exc.code, N_("the case's data cannot be read"), [], lang=lang)
        wait = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        return problem(status, exc.code, exc.message, exc.reasons, wait, lang=lang)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        reasons = [f"{_field(e['loc'])}: {e['msg']}" for e in exc.errors()]
        return problem(
            422, "invalid_input", N_("the request is not valid"), reasons, lang=language(request)
        )

    @api.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, "http_error", str(exc.detail), [])

    @api.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        log.error("api_error", error=type(exc).__name__)  # no message: it may hold case data
        return problem(500, "server_error", N_("something went wrong on our side"), [])


def _field(loc: Sequence[Any]) -> str:
    """Where a request error lies: the field's path in the body (`data.reported_on`), a
    parameter's name, or `body` for the body as a whole (missing, or not an object)."""
    return ".".join(str(p) for p in loc if p != "body") or "body"
