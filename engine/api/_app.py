"""Build the FastAPI application around one bootstrapped App."""

from __future__ import annotations

from fastapi import FastAPI

from engine import pages
from engine.api import _accounts, _audit, _calendar, _cases, _problems
from engine.bootstrap import App


def create_api(app: App) -> FastAPI:
    """The HTTP API for `app` (its database, clock and workflow); OpenAPI at /openapi.json."""
    api = FastAPI(
        title="Safe Future Engine",
        version="0.1.0",
        description=(
            "The Safe Future care pathway as a service. Authenticate with "
            "`Authorization: Bearer <token>`. Errors are application/problem+json with the "
            "reasons (guard reasons, invalid fields). A case outside your scope answers 404."
        ),
    )
    api.state.engine = app
    _problems.install(api)
    api.include_router(_cases.router)
    api.include_router(_accounts.router)
    api.include_router(_calendar.router)
    api.include_router(_audit.router)
    pages.install(api)

    @api.get("/health", tags=["service"], summary="The service is up")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
