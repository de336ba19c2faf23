"""A counsellor reads a document in a real headless Chromium: from the case page's documents
list to the readable view, on to an earlier version, and the same in Dutch; a coordinator is
shown the 403 page. The view's screenshot is kept as tests/artifacts/document-view.png."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Browser

from engine import service
from engine.bootstrap import App
from engine.documents import example
from tests.e2e.test_browser import _login, _shot, browser, site  # noqa: F401 (fixtures)
from tests.e2e.test_cli_dutch import english_in

# 23:30 UTC on 4 January is 00:30 on 5 January in Amsterdam.
LATE_EVENING = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)


def test_a_counsellor_opens_a_document_and_an_earlier_version(
    browser: Browser,  # noqa: F811
    site: tuple[str, dict[str, str], dict[str, str]],  # noqa: F811
    app: App,
) -> None:
    """The documents list links each kind in words to its view; the view shows labels and
    answers in words, parts indented, and links the earlier version; in Dutch the page shows
    no English; the coordinator's case page names what the step misses, links no document,
    and the document's address gets her the 403 page."""
    url, tokens, ids = site
    case_id = ids["CLIENT-A-1"]
    for kind, changes in (("safety_plan", {}), ("safety_plan", {"review_on": "2026-03-01"})):
        data = {**example(kind, LATE_EVENING.astimezone(app.workflow.tz).date()), **changes}
        service.record(app, case_id, kind, data, actor="person:anna", at=LATE_EVENING)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, tokens["anna"])
    page.goto(f"{url}/ui/cases/{case_id}?lang=en")
    entry = page.locator("ul.documents li[data-kind=safety_plan]")
    assert entry.inner_text().startswith("Safety plan — Version 2, 2026-01-05")
    entry.locator("a", has_text="Safety plan").click()
    page.wait_for_url(f"**/ui/cases/{case_id}/documents/safety_plan**")
    assert "Safety plan version 2 of 2" == page.inner_text("h1")
    measure = page.locator("#document .field.depth-2", has_text="Who takes the measure").first
    assert "the client and the counsellor" == measure.locator(".value").inner_text()
    indent = measure.locator(".label").evaluate("e => getComputedStyle(e).paddingLeft")
    assert "40px" == indent  # drawn indented under its measure, not just marked
    review = page.locator("#document .field", has_text="When the plan is to be reviewed next")
    assert "1 March 2026" == review.locator(".value").inner_text()
    page.click("nav.versions a[data-version='1']")
    page.wait_for_url("**version=1**")
    assert "Safety plan version 1 of 2" == page.inner_text("h1")
    _shot(page, "document-view")

    page.goto(f"{url}/ui/cases/{case_id}/documents/safety_plan?lang=nl")
    assert "Veiligheidsplan versie 2 van 2" == page.inner_text("h1")
    body = page.inner_text("body")
    # what the counsellor typed (the English example's answers) is read back as typed
    typed = set(_strings(example("safety_plan", LATE_EVENING.date())))
    assert [] == [t for t in english_in(body) if t not in typed], body
    page.close()

    coordinator = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(coordinator, url, tokens["zc"])
    coordinator.goto(f"{url}/ui/cases/{case_id}?lang=en")
    misses = coordinator.locator("#step-misses")
    assert ["Risk analysis"] == misses.locator("li").all_inner_texts()
    assert 0 == coordinator.locator("ul.documents a").count()
    _shot(coordinator, "case-coordinator-misses")
    answer = coordinator.goto(f"{url}/ui/cases/{case_id}/documents/safety_plan?lang=en")
    assert answer is not None and 403 == answer.status
    assert "This view is not for your role." in coordinator.inner_text("body")
    assert "Who takes the measure" not in coordinator.content()
    coordinator.close()


def _strings(value: object) -> list[str]:
    """Every text in a document's data, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []
