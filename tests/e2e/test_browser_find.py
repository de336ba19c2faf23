"""The case list page ("my cases", issue 15 point 1) in a real headless Chromium against the
real server: a counsellor's own open cases, most urgent first, with their client references;
her shelter's other cases and a search by file number; a coordinator's region without client
references; the page on a phone. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from engine.api import create_api
from engine.bootstrap import App
from tests.e2e.test_browser import _login, _shot, browser
from tests.support import ServerThread, seed_region

__all__ = ["browser"]  # the module's Chromium, shared with the other page tests


@pytest.fixture
def site(app: App) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    tokens, ids = seed_region(app)
    with ServerThread(create_api(app)) as server:
        yield server.url, tokens, ids


def _cases(page: Page) -> list[str | None]:
    rows = page.locator("table.cases tbody tr")
    return [rows.nth(i).get_attribute("data-case") for i in range(rows.count())]


def test_a_counsellor_finds_her_cases_and_a_client_by_file_number(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """From the navigation to her own open cases, the most overdue first and in red; then her
    shelter's, a file number, and the case page by the short id's link."""
    url, tokens, ids = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["anna"])
    page.click("header nav a.nav-cases")
    page.wait_for_url("**/ui/cases?**")
    assert "My cases" == page.inner_text("h1")
    assert [ids["CLIENT-A-1"], ids["CLIENT-A-2"]] == _cases(page)
    assert ["CLIENT-A-1", "CLIENT-A-2"] == page.locator("td.client").all_inner_texts()
    due = page.locator("table.cases tbody tr td.late").first
    assert "rgb(" in due.evaluate("td => getComputedStyle(td).color")
    assert "days overdue" in due.inner_text()
    assert "First counselling talk" in page.locator("td.needs").first.inner_text()
    _shot(page, "my-cases")

    page.select_option("select[name=counsellor]", "")
    page.click("text=Apply")
    page.wait_for_url("**counsellor=&**")
    assert 3 == len(_cases(page))
    page.fill("input[name=client]", "CLIENT-A-3")
    page.click("form.case-search button")
    page.wait_for_selector(f"tr[data-case='{ids['CLIENT-A-3']}']")
    assert "CLIENT-A-3" not in page.url  # a post: not in the address bar nor the history
    assert [ids["CLIENT-A-3"]] == _cases(page)
    page.locator("table.cases tbody tr a").first.click()
    page.wait_for_url(f"**/ui/cases/{ids['CLIENT-A-3']}**")
    assert "CLIENT-A-3" == page.inner_text("#client-ref")
    page.close()


def test_a_coordinator_sees_her_regions_cases_without_client_references(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """Shelters a and c of noord, not b of zuid; no file number column, no search by one."""
    url, tokens, ids = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["zc"])
    page.goto(f"{url}/ui/cases?lang=en")
    assert "Cases" == page.inner_text("h1")
    expected = {v for k, v in ids.items() if not k.startswith("CLIENT-B")}
    assert expected == set(_cases(page))
    assert "CLIENT-" not in page.content()
    assert 0 == page.locator("input[name=client]").count()
    page.close()


def test_my_cases_reads_on_a_phone_in_dutch(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """On a phone the rows stack as cards, each cell naming its column, in Dutch."""
    url, tokens, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    _login(page, url, tokens["anna"], lang="nl")
    page.goto(f"{url}/ui/cases?lang=nl")
    assert "Mijn casussen" == page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    label = page.locator("table.cases tbody td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert '"Casus"' == label
    _shot(page, "my-cases-phone")
    page.close()
