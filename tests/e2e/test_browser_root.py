"""A browser at the server's root lands on the pages' login in real Chromium, not on a 404
(review finding 24)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from engine.api import create_api
from engine.bootstrap import App
from tests.e2e.test_browser import _shot, browser  # noqa: F401 (the module's browser fixture)
from tests.support import ServerThread


@pytest.fixture
def url(app: App) -> Iterator[str]:
    with ServerThread(create_api(app)) as server:
        yield server.url


def test_chromium_at_the_root_lands_on_the_login(browser: Browser, url: str) -> None:  # noqa: F811
    """Opening http://host:port/ in Chromium ends on /ui/login with its form."""
    page = browser.new_page(locale="nl-NL")
    answer = page.goto(f"{url}/")
    assert answer is not None and 200 == answer.status
    assert f"{url}/ui/login" == page.url.split("?")[0]
    assert page.locator("#token").is_visible()
    _shot(page, "root-to-login")
    page.close()
