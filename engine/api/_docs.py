"""The interactive API documentation at /docs, served entirely by this server.

FastAPI's own /docs and /redoc load Swagger UI and ReDoc from a public CDN, so every visitor's
browser would tell a third party that it uses this service. Here Swagger UI's files come from
the `fastapi-offline` package and the page runs no inline script, under a Content-Security-Policy
that lets the browser reach this server only. ReDoc is not offered."""

from __future__ import annotations

import pathlib

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/swagger-ui"
OWN = "/docs/static"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} - API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{OWN}/docs.js"></script>
</body>
</html>
"""


def install(api: FastAPI) -> None:
    """Serve /docs and its files; the FastAPI app must be made with docs_url=None."""
    api.mount(ASSETS, StaticFiles(packages=[("fastapi_offline", "static")]), name="swagger_ui")
    own = pathlib.Path(__file__).parent / "static"
    api.mount(OWN, StaticFiles(directory=own), name="docs_static")
    html = PAGE.replace("{title}", api.title)

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(html, headers=HEADERS)
