"""The partner organisation's own pages (issue 13, point 3) in a real headless Chromium
against the real server: it logs in, finds the case offered to it, accepts, and after the
departure works re-integration steps 1 and 2 through their forms (L3529-3660), then records
the safe-arrival contact. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from tests.e2e.test_browser import _shot
from tests.e2e.test_browser import browser as browser
from tests.e2e.test_cli_dutch import english_in
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

PARTNER = "partner-x"


@pytest.fixture
def offered(app: App, case: CaseDriver) -> Iterator[tuple[str, str, CaseDriver]]:
    """A shelter's case at step 12 offered to partner-x with the client's consent; the real
    server; the token of a person at partner-x."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(app, "shelter-a", kind="shelter", name="Shelter A",
                              region="noord", actor=ADMIN)  # fmt: skip
    accounts.add_organisation(app, PARTNER, kind="partner", name="Partner X", actor=ADMIN)
    accounts.add_user(app, "px", organisation=PARTNER, role="partner", actor=ADMIN)
    case.open(org="shelter-a")
    case.to_departure()
    case.record("handover_checklist")
    case.record("consent", partner_organisation=PARTNER)
    case.fire("offer_handover", partner=PARTNER)
    with ServerThread(create_api(app)) as server:
        yield server.url, enrolled_token(app, "px"), case


def _login(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/ui/overdue?lang=en")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url("**/ui/partner")


def _complete(page: Page) -> None:
    page.click("#complete")
    page.wait_for_load_state()


def test_a_partner_answers_the_offer_and_works_the_first_steps(
    browser: Browser, offered: tuple[str, str, CaseDriver]
) -> None:
    """Her cases, the shared return plan read, the offer accepted, step 1's agreement (refused
    first while incomplete) and step 2's legal questions through their forms, and a
    safe-arrival contact."""
    url, token, case = offered
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    _login(page, url, token)
    assert ["Offered: please answer"] == page.locator("td.handover").all_inner_texts()
    _shot(page, "partner-cases")
    page.click(f"text={case.id[:8]}")
    assert {"return_plan", "risk_update"} == set(
        page.locator("ul.documents li").evaluate_all("els => els.map(e => e.dataset.kind)")
    )
    _shot(page, "partner-offer")
    page.click("text=Personal return action plan (PAT)")
    agrees = page.locator("#document .field", has_text="She agrees to being contacted after")
    assert "yes" == agrees.locator(".value").inner_text()
    page.go_back()
    page.click("#accept")
    page.wait_for_load_state()
    assert "accept_handover" not in page.content()
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)

    page.reload()
    assert "Step 1: Re-integration: basic needs and safety" == page.inner_text("#current-step")
    assert ["Agreement on next steps"] == page.locator("ul.missing li").all_inner_texts()
    form = page.locator("#form-reint_agreement")
    for box in form.locator("input[name=needs_discussed]").all()[:3]:
        box.check()
    form.locator("input[name=next_what]").fill("Shelter place for the first weeks")
    form.locator("input[name=next_by]").fill(str(case.today))
    form.locator("input[name=safety_plan_agreed]").check()
    form.locator("input[name=expectations_explained]").check()
    page.click("#save-reint_agreement")
    page.wait_for_load_state()
    reasons = page.locator("ul.reasons li").all_inner_texts()
    assert 6 == len(reasons) and all("has not been looked at yet" in r for r in reasons)
    assert page.locator("#complete").is_disabled()
    _shot(page, "partner-step-1-incomplete")
    form = page.locator("#form-reint_agreement")
    for box in form.locator("input[name=needs_discussed]").all():
        box.check()
    form.locator("input[name=next_what]").fill("Shelter place for the first weeks")
    form.locator("input[name=next_by]").fill(str(case.today))
    form.locator("input[name=safety_plan_agreed]").check()
    form.locator("input[name=expectations_explained]").check()
    page.click("#save-reint_agreement")
    page.wait_for_load_state()
    _complete(page)
    assert "Step 2: Re-integration: legal and practical matters" == page.inner_text("#current-step")

    form = page.locator("#form-legal_questions")
    for select in form.locator("select[name^=status_]").all()[:10]:
        select.select_option("explained")
    form.locator("input[name=explained_in_her_language]").check()
    _shot(page, "partner-step-2-form")
    page.click("#save-legal_questions")
    page.wait_for_load_state()
    _complete(page)
    assert "Step 3:" in page.inner_text("#current-step")

    contact = page.locator("#form-contact")
    contact.locator("select[name=about]").select_option("arrival_confirmation")
    page.click("#save-contact")
    page.wait_for_load_state()
    assert "done" == case.timer("arrival_confirmation")["status"]
    _shot(page, "partner-step-3")
    kinds = page.locator("ul.documents li").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert {"reint_agreement", "legal_questions", "contact"} <= set(kinds)


def test_the_partner_pages_speak_dutch_to_a_dutch_browser_and_english_by_default(
    browser: Browser, offered: tuple[str, str, CaseDriver]
) -> None:
    """Issue 14 point 7: the partner pages' texts come from the catalogs. A browser that
    prefers Dutch reads its cases, the offer, a shared document and step 1's form without an
    English text of the catalogs; one that asks for no language of the catalogs (French)
    reads English, the partner pages' default (a partner abroad)."""
    url, token, case = offered
    page = browser.new_page(
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "nl-NL, en;q=0.5"},
    )
    page.goto(f"{url}/ui/overdue")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url("**/ui/partner**")
    assert "nl" == page.get_attribute("html", "lang")
    assert ["Aangeboden: graag een antwoord"] == page.locator("td.handover").all_inner_texts()
    texts = {"cases": page.inner_text("body")}
    _shot(page, "dutch-partner-cases")
    page.goto(f"{url}/ui/partner/cases/{case.id}")
    assert "Het aanbod tot overdracht" in page.inner_text("#answer")
    texts["offer"] = page.inner_text("body")
    _shot(page, "dutch-partner-offer")
    page.goto(f"{url}/ui/partner/cases/{case.id}/documents/return_plan")
    # the document's own data is the shelter's, as recorded: only the page around it counts
    texts["document"] = page.inner_text("body").replace(page.inner_text("#document"), "")
    page.goto(f"{url}/ui/partner/cases/{case.id}")
    page.click("#accept")
    page.wait_for_load_state()
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    page.reload()
    assert page.inner_text("#current-step").startswith("Stap 1: ")
    form = page.locator("#form-reint_agreement")
    assert "Wil zij verdere hulp?" in form.inner_text()
    texts["step 1"] = page.inner_text("body")
    _shot(page, "dutch-partner-step-1")
    assert {name: [] for name in texts} == {name: english_in(t) for name, t in texts.items()}
    page.close()

    french = browser.new_page(extra_http_headers={"Accept-Language": "fr-FR"})
    french.goto(f"{url}/ui/overdue?lang=en")
    french.fill("#token", token)
    french.press("#token", "Enter")
    french.wait_for_url("**/ui/partner**")
    french.goto(f"{url}/ui/partner/cases/{case.id}")
    assert "en" == french.get_attribute("html", "lang")
    assert french.inner_text("#current-step").startswith("Step 1: ")
    french.close()
