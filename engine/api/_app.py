"""Build the FastAPI application around one bootstrapped App."""

from __future__ import annotations

from fastapi import FastAPI

from engine import pages
from engine.api import (
    _accounts,
    _audit,
    _calendar,
    _cases,
    _docs,
    _export,
    _find,
    _openapi,
    _overview,
    _problems,
    _root,
    _schemas,
    _socialmap,
)
from engine.api._limits import BodyLimit
from engine.bootstrap import App


def create_api(app: App) -> FastAPI:
    """The HTTP API for `app` (its database, clock and workflow); OpenAPI at /openapi.json."""
    api = FastAPI(
        title="Safe Future Engine",
        version="0.1.0",
        docs_url=None,  # served by _docs from our own files, not from a CDN
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        description=(
            "The Safe Future care pathway as a service. Authenticate with "
            "`Authorization: Bearer <token>`. Errors are application/problem+json with the "
            "reasons (guard reasons, invalid fields). A case outside your scope answers 404."
        ),
    )
    api.state.engine = app
    api.add_middleware(BodyLimit)
    _problems.install(api)
    _docs.install(api)
    api.include_router(_cases.router)
    api.include_router(_find.router)
    api.include_router(_overview.router)
    api.include_router(_accounts.router)
    api.include_router(_calendar.router)
    api.include_router(_audit.router)
    api.include_router(_socialmap.router)
    api.include_router(_export.router)
    api.include_router(_schemas.router)
    api.include_router(_root.router)
    _openapi.install(api, app.workflow)
    pages.install(api)

    @api.get("/health", tags=["service"], summary="The service is up")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
