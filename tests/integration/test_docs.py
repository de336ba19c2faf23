"""The API documentation at /docs over a real server: every file it needs comes from this
server, nothing points a visitor's browser at another host, and its CSP says so."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from engine.api import create_api
from engine.bootstrap import App
from tests.support import ServerThread


@pytest.fixture
def web(app: App) -> Iterator[httpx.Client]:
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        yield client


def test_docs_reference_no_other_host_and_their_files_load_from_us(web: httpx.Client) -> None:
    """Every src and href of /docs is a path on this server that answers 200 with the right
    type, and the page names no other host."""
    page = web.get("/docs")
    assert 200 == page.status_code
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert [] == [r for r in references if not r.startswith("/") or r.startswith("//")]
    assert [] == re.findall(r"https?://|//[a-z]", page.text)
    types = {r.rsplit(".", 1)[1]: web.get(r).headers["content-type"] for r in references}
    assert {"css": "text/css", "png": "image/png", "js": "text/javascript"} == {
        k: v.split(";")[0] for k, v in types.items()
    }
    assert all(200 == web.get(r).status_code for r in references)
    assert "/openapi.json" in web.get("/docs/static/docs.js").text


def test_docs_page_lets_the_browser_reach_this_server_only(web: httpx.Client) -> None:
    """The CSP of /docs allows scripts, styles, images and requests from this server only,
    and the page runs no inline script."""
    page = web.get("/docs")
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";")
    )
    assert "'none'" == policy["default-src"]
    assert "'self'" == policy["script-src"]
    assert "'self'" == policy["connect-src"]
    assert "'self' data:" == policy["img-src"]
    assert [] == re.findall(r"<script>", page.text)
    assert "validatorUrl: null" in web.get("/docs/static/docs.js").text


def test_the_cdn_pages_are_gone(web: httpx.Client) -> None:
    """FastAPI's CDN-backed ReDoc page is not served."""
    assert 404 == web.get("/redoc").status_code
