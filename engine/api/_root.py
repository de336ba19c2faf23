"""`GET /`: where a visitor goes from the server's root. A browser is sent to the pages; an
API client gets the links it can follow."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

router = APIRouter(tags=["service"])

LINKS = {
    "pages": "/ui",
    "docs": "/docs",
    "openapi": "/openapi.json",
    "health": "/health",
}


@router.get(
    "/",
    summary="Where to go from here",
    description="A browser (`Accept: text/html`) is redirected to the pages at /ui; any other "
    "client gets the service's links: the pages, the API documentation, the OpenAPI schema "
    "and the health check.",
    response_model=None,
)
def root(request: Request) -> dict[str, Any] | RedirectResponse:
    if _wants_html(request.headers.get("accept", "")):
        return RedirectResponse(LINKS["pages"], status_code=303)
    return {"service": request.app.title, "links": LINKS}


def _wants_html(accept: str) -> bool:
    """A browser's Accept names text/html; JSON clients, curl (`*/*`) and httpx do not."""
    return any(part.split(";")[0].strip() == "text/html" for part in accept.split(","))
