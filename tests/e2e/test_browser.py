"""The coordinator's pages in a real headless Chromium (Debian's `chromium`) against the real
server: log in, filter the overdue list, open a case, read it on a phone, log out; search the
social map and follow the case page's suggestions. Screenshots
are kept in tests/artifacts/ (CI prints where)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from engine.api import create_api
from engine.bootstrap import App
from tests.e2e.test_cli_dutch import english_in
from tests.support import ServerThread, at_first_counselling, seed_region

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("SAFE_FUTURE_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("SAFE_FUTURE_REQUIRE_BROWSER"):  # set by .ci/run
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def site(app: App) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    tokens, ids = seed_region(app)
    with ServerThread(create_api(app)) as server:
        yield server.url, tokens, ids


def _login(page: Page, url: str, token: str, lang: str = "en") -> None:
    page.goto(f"{url}/ui/overdue?lang={lang}")
    assert "/ui/login" in page.url
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url("**/ui/overdue**")


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _column(page: Page, index: int) -> list[str]:
    return page.locator(f"table.overdue tbody tr td:nth-child({index})").all_inner_texts()


def test_a_coordinator_filters_the_overdue_list_and_opens_a_case(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    url, tokens, ids = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["zc"])

    days = [int(d) for d in _column(page, 5)]
    assert 10 == len(days) and days == sorted(days, reverse=True)
    assert ["6", "4"] == page.locator(".counts .n").all_inner_texts()
    assert "CLIENT-" not in page.content()
    _shot(page, "overdue-laptop")

    page.select_option("select[name=organisation]", "shelter-c")
    page.select_option("select[name=kind]", "step_overdue")
    page.click("text=Apply")
    page.wait_for_url("**organisation=shelter-c**")
    assert {"Opvang Cypres"} == set(_column(page, 2))
    assert 2 == len(_column(page, 3))
    assert all(w.startswith("Step open too long") for w in _column(page, 3))
    assert "chosen" in (page.get_attribute(".count[data-organisation=shelter-c]", "class") or "")
    _shot(page, "overdue-filtered")

    # A count on top keeps the other filters and picks that shelter.
    page.click(".count[data-organisation=shelter-a]")
    page.wait_for_url("**organisation=shelter-a**")
    assert {"Opvang Anemoon"} == set(_column(page, 2)) and 3 == len(_column(page, 2))

    first = page.locator("table.overdue tbody tr").first.get_attribute("data-case")
    assert ids["CLIENT-A-1"] == first
    page.locator("table.overdue tbody tr a").first.click()
    page.wait_for_url(f"**/ui/cases/{first}**")
    assert page.inner_text("h1").startswith(f"Case {first[:8]}")
    current = page.locator(".diagram g.step.current")
    assert ["basic_needs_safety", "no_procedure"] == [
        current.nth(i).get_attribute("data-state") for i in range(current.count())
    ]
    fill = current.first.locator("rect").evaluate("r => getComputedStyle(r).fill")
    assert "rgb(255, 213, 79)" == fill  # drawn highlighted, not just marked in the markup
    assert page.locator("table.timeline tbody tr").count() >= 1
    assert "CLIENT-A-1" not in page.content()
    _shot(page, "case-laptop")

    page.click("header nav a[lang=nl]")
    assert page.inner_text("h1").startswith("Casus")
    page.click("text=Uitloggen")
    page.wait_for_url("**/ui/login**")
    page.goto(f"{url}/ui/overdue")
    assert "/ui/login" in page.url
    page.close()


def test_the_overdue_list_reads_on_a_phone(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    url, tokens, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    _login(page, url, tokens["zc"], lang="nl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    header = page.locator("table.overdue thead").bounding_box()
    assert header is not None and header["x"] + header["width"] < 0  # kept for screen readers
    label = page.locator("table.overdue tbody td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert '"Casus"' == label  # each cell names its column when the table is stacked
    _shot(page, "overdue-phone")
    page.locator("table.overdue tbody tr a").first.click()
    page.wait_for_url("**/ui/cases/**")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "case-phone")
    page.close()


def test_the_api_docs_render_in_chromium_without_calling_another_host(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """Swagger UI at /docs shows the engine's operations in Chromium; every request the page
    makes goes to this server, and its Content-Security-Policy blocks nothing it needs."""
    url = site[0]
    page = browser.new_page()
    requested: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{url}/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert "Safe Future Engine" in page.inner_text(".swagger-ui .info .title")
    _shot(page, "api-docs")
    page.close()
    assert [] == [u for u in requested if not u.startswith((f"{url}/", "data:"))]
    assert f"{url}/openapi.json" in requested
    assert [] == blocked


def test_a_counsellor_searches_the_social_map_and_opens_an_organisation(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """From the navigation: types Nigerië, ticks shelter and psychological help, finds COSUDOW
    and opens its page; the search is a shareable URL and the page runs no script."""
    url, tokens, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["anna"])
    page.click("a.nav-socialmap")
    page.wait_for_url("**/ui/socialmap**")
    assert "Social map: help to return" == page.inner_text("h1")
    page.fill("#country", "Nigerië")
    page.check("input[name=service][value=shelter]")
    page.check("input[name=service][value=psychological]")
    page.click("button:has-text('Search')")
    page.wait_for_url("**country=Nigeri%C3%AB**")
    assert "service=shelter&service=psychological" in page.url
    assert "ng-cosudow" in page.locator("li.org").evaluate_all(
        "cards => cards.map(c => c.dataset.org)"
    )
    assert page.is_checked("input[name=service][value=shelter]")
    assert "Nigerië" == page.input_value("#country")
    assert 0 == page.locator("script").count()
    _shot(page, "socialmap")

    page.click("li.org[data-org=ng-cosudow] h3 a")
    page.wait_for_url("**/ui/socialmap/ng-cosudow**")
    assert page.inner_text("h1").startswith("COSUDOW")
    assert "Bijlage 14, line 7273" in page.inner_text("#sources")
    offered = page.locator(".all-services li.offered").evaluate_all(
        "items => items.map(i => i.dataset.service)"
    )
    assert {"shelter", "psychological"} <= set(offered) and "financial" not in offered
    _shot(page, "socialmap-organisation")

    page.goto(f"{url}/ui/socialmap?country=Narnia&service=shelter")
    assert "Narnia" == page.input_value("#country")
    assert "is not a country" in page.inner_text("#errors")
    page.close()


def test_the_social_map_reads_on_a_phone(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    """At 390 px wide, in Dutch: no sideways scrolling, the services stacked one under the
    other, the results as cards."""
    url, tokens, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    _login(page, url, tokens["anna"], lang="nl")
    page.goto(f"{url}/ui/socialmap?lang=nl")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    boxes = page.locator("fieldset.services label.check").evaluate_all(
        "labels => labels.map(l => l.getBoundingClientRect().left)"
    )
    assert 12 == len(boxes) and 1 == len(set(boxes))  # one column
    assert "Opvang" in page.inner_text("fieldset.services")
    _shot(page, "socialmap-phone")
    page.goto(f"{url}/ui/socialmap/ng-cosudow?lang=nl")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()


def test_the_case_page_suggests_organisations_in_her_country(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]], app: App
) -> None:
    """A counsellor's case at step 2, her country Nigeria, her plan asking for shelter,
    psychological and financial help: the box names COSUDOW with what it offers and lacks,
    links its page, and links the map for Nigeria, all of it and with her needs ticked."""
    url, tokens, ids = site
    case_id = ids["CLIENT-A-1"]
    at_first_counselling(app, case_id, "NG", needs=["shelter", "psychological", "financial"])
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["anna"])
    page.goto(f"{url}/ui/cases/{case_id}?lang=en")
    box = page.locator("#suggestions")
    assert "Organisations in her country (social map)" == box.locator("h2").inner_text()
    cosudow = box.locator("li.org[data-org=ng-cosudow]")
    assert "Offers: Shelter, Psychological help" == cosudow.locator(".offers").inner_text()
    assert "Not: Financial help" == cosudow.locator(".lacks").inner_text()
    _shot(page, "case-suggestions")
    page.click("#suggestions-more")
    page.wait_for_url("**/ui/socialmap?lang=en&country=NG")
    assert 0 == page.locator("input[name=service]:checked").count()
    page.go_back()
    page.click("#suggestions-needs")
    page.wait_for_url("**/ui/socialmap?lang=en&country=NG&service=**")
    assert "NG" == page.input_value("#country")
    ticked = page.locator("input[name=service]:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    assert ["shelter", "psychological", "financial"] == ticked
    page.go_back()
    page.click("#suggestions li.org[data-org=ng-cosudow] h3 a")
    page.wait_for_url("**/ui/socialmap/ng-cosudow**")
    assert page.inner_text("h1").startswith("COSUDOW")
    page.close()


def test_the_dutch_pages_show_no_english(
    browser: Browser, site: tuple[str, dict[str, str], dict[str, str]], app: App
) -> None:
    """Issue 14 point 7: a browser that weighs Dutch above English (no `?lang=`) gets every
    page in Dutch: no English text of the catalogs on the login, overdue, case, social map
    and error pages (labels of the workflow file included)."""
    url, tokens, ids = site
    case_id = ids["CLIENT-A-1"]
    at_first_counselling(app, case_id, "NG", needs=["shelter", "psychological", "financial"])
    page = browser.new_page(
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "en-GB;q=0.4, nl;q=0.8"},
    )
    page.goto(f"{url}/ui/overdue")
    assert "Inloggen" == page.inner_text("h1")
    texts = {"login": page.inner_text("body")}
    page.fill("#token", tokens["anna"])
    page.press("#token", "Enter")
    page.wait_for_url("**/ui/overdue**")
    for name, path in (
        ("overdue", "/ui/overdue"),
        ("case", f"/ui/cases/{case_id}"),
        ("socialmap", "/ui/socialmap?country=NG&service=shelter"),
        ("error", "/ui/cases/no-such-case"),
    ):
        page.goto(f"{url}{path}")
        assert "nl" == page.get_attribute("html", "lang"), name
        _shot(page, f"dutch-{name}")
        texts[name] = page.inner_text("body")
    assert {name: [] for name in texts} == {name: english_in(t) for name, t in texts.items()}
    assert "Organisaties in haar land (sociale kaart)" in texts["case"]
    assert "Eerste begeleidingsgesprekken en informatie" in texts["case"]
    page.close()
