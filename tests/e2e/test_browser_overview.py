"""The coordinator's overview and the overdue list's CSV download in a real headless Chromium
against the real server (issue 15, point 6). The screenshot is kept as
tests/artifacts/coordinator-overview.png."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Browser

from engine import service
from engine.bootstrap import App
from tests.e2e.test_browser import _login, _shot, browser, site  # noqa: F401 (fixtures)
from tests.e2e.test_cli_dutch import english_in
from tests.support import ACTOR

Site = tuple[str, dict[str, str], dict[str, str]]


def test_a_coordinator_reads_the_overview_of_her_region(
    browser: Browser,  # noqa: F811
    site: Site,  # noqa: F811
    app: App,
) -> None:
    """From the navigation: open cases per shelter and step, the deadlines of a case opened
    today with what its step still misses, and the case without a counsellor; no client
    reference; the same page in Dutch."""
    url, tokens, ids = site
    today = app.clock.now().astimezone(app.workflow.tz).date()
    fresh = service.open_case(
        app, client_ref="CLIENT-A-NEW", organisation="shelter-a", kind="trafficking",
        intake_on=today, counsellor="anna", actor=ACTOR,
    )["id"]  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["zc"])
    page.click("a.nav-overview")
    page.wait_for_url("**/ui/overview**")
    assert "Overview" == page.inner_text("h1")
    shelters = page.locator("table.open-counts").evaluate_all(
        "tables => tables.map(t => t.dataset.organisation)"
    )
    assert ["shelter-a", "shelter-c"] == shelters
    caption = page.inner_text("table[data-organisation=shelter-a] caption")
    assert "Opvang Anemoon — 4 open" == caption
    coming = page.locator("#upcoming tbody tr")
    assert [fresh, fresh] == coming.evaluate_all("rows => rows.map(r => r.dataset.case)")
    assert "Risk analysis, Safety plan" == coming.first.locator("td.missing").inner_text()
    assert [ids["CLIENT-A-3"]] == page.locator("#unassigned tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.case)"
    )
    assert "CLIENT-" not in page.content()
    _shot(page, "coordinator-overview")

    page.click("header nav a[lang=nl]")
    assert "Overzicht" == page.inner_text("h1")
    assert "Open casussen zonder begeleider" == page.inner_text("#unassigned-h")
    assert "Risicoanalyse, Veiligheidsplan" == coming.first.locator("td.missing").inner_text()
    assert [] == english_in(page.inner_text("body"))
    page.close()


def test_the_overdue_page_downloads_its_filtered_list_as_csv(
    browser: Browser,  # noqa: F811
    site: Site,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Each overdue row says what the step misses; the download link keeps the filters and
    the language: shelter C's rows only, a Dutch header, no client reference."""
    url, tokens, ids = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    _login(page, url, tokens["zc"], lang="nl")
    missing = page.locator("table.overdue tbody td.missing").all_inner_texts()
    assert 10 == len(missing) and {"Risicoanalyse, Veiligheidsplan"} == set(missing)
    assert [] == english_in(page.inner_text("body"))
    page.select_option("select[name=organisation]", "shelter-c")
    page.click("text=Toepassen")
    page.wait_for_url("**organisation=shelter-c**")
    with page.expect_download() as download:
        page.click("a.download")
    saved = tmp_path / "overdue.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert "Casus" == rows[0][0] and "Nog nodig" == rows[0][7]
    assert {"Opvang Cypres"} == {r[1] for r in rows[1:]} and 4 == len(rows) - 1
    assert {ids["CLIENT-C-1"][:8], ids["CLIENT-C-2"][:8]} == {r[0] for r in rows[1:]}
    assert "CLIENT-" not in text
    page.close()


def test_the_overview_reads_on_a_phone(
    browser: Browser,  # noqa: F811
    site: Site,  # noqa: F811
) -> None:
    """At 390 px wide, in Dutch: no sideways scrolling, each row a card naming its columns."""
    url, tokens, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    _login(page, url, tokens["zc"], lang="nl")
    page.click("a.nav-overview")
    page.wait_for_url("**/ui/overview**")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    label = page.locator("#unassigned tbody td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert '"Casus"' == label
    _shot(page, "coordinator-overview-phone")
    page.close()
