"""Issue 15 point 2 on the pages, over a real server: the case page's documents in words with
their local day and a link to a readable view of each (newcomer findings 7 and 27), the view
itself with its versions, and the coordinator's "what this step still misses" without any
contents. In a real browser: tests/e2e/test_browser.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine import service
from engine.bootstrap import App
from engine.documents import example
from engine.store._tables import audit
from tests.integration.test_pages import World, world  # noqa: F401 (the fixture)

# 23:30 UTC on 4 January is 00:30 on 5 January in Amsterdam: a UTC date is a day early.
LATE_EVENING = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)
ANNA = "person:anna"


def _record(app: App, case_id: str, kind: str, **changes: object) -> None:
    data = {**example(kind, LATE_EVENING.astimezone(app.workflow.tz).date()), **changes}
    service.record(app, case_id, kind, data, actor=ANNA, at=LATE_EVENING)


def test_the_documents_list_names_each_kind_with_its_local_day_and_links_to_it(
    world: World,  # noqa: F811
) -> None:
    """Her counsellor's case page lists a document by its kind in words, with the local day it
    happened (5 January, not the UTC 4 January), linked to its readable view; the timeline
    and what the step still needs name the kinds in words too."""
    case_id = world.ids["CLIENT-A-1"]
    _record(world.app, case_id, "risk_analysis")
    with world.browser("anna") as web:
        html = web.get(f"/ui/cases/{case_id}?lang=en").text
    documents = html[html.index('<ul class="documents">') :]
    link = f'<a href="/ui/cases/{case_id}/documents/risk_analysis?lang=en">Risk analysis</a>'
    assert link in documents
    assert '<time datetime="2026-01-04T23:30:00+00:00">2026-01-05</time>' in documents
    timeline = html[html.index('<table class="timeline">') :]
    assert '<span class="muted">· Risk analysis</span>' in timeline
    missing = html[html.index('<p id="missing">') :]
    assert '<span data-kind="safety_plan">Safety plan</span>' in missing[: missing.index("</p>")]


def test_the_document_view_reads_labels_and_words_and_links_every_version(
    world: World,  # noqa: F811
) -> None:
    """The view shows each field's label and its answer in words, in the page's language;
    it links the other versions, and `?version=` shows an earlier one. Each view is an
    audited read of the document."""
    case_id = world.ids["CLIENT-A-1"]
    _record(world.app, case_id, "risk_analysis")
    _record(world.app, case_id, "risk_analysis", threat_level="high")
    base = f"/ui/cases/{case_id}/documents/risk_analysis"
    with world.browser("anna") as web:
        latest = web.get(f"{base}?lang=en")
        first = web.get(f"{base}?version=1&lang=en").text
        dutch = web.get(f"{base}?lang=nl").text
    assert 200 == latest.status_code
    html = latest.text
    assert "version 2 of 2" in html and "By person:anna" in html
    assert '<time datetime="2026-01-04T23:30:00+00:00">2026-01-05 00:30</time>' in html
    threat = '<span class="label">What is the concrete threat at this moment?</span>'
    assert f'{threat} <span class="value">high</span>' in html
    assert f"{base}?version=1&amp;lang=en" in html and 'aria-current="page">2<' in html
    assert f'{threat} <span class="value">medium</span>' in first and "version 1 of 2" in first
    assert "Wat is de concrete dreiging op dit moment?" in dutch and ">hoog<" in dutch
    assert "4 januari 2026" not in dutch and "5 januari 2026" in dutch
    with world.app.db.connect() as conn:
        reads = conn.execute(
            select(audit.c.action).where(audit.c.case_id == case_id, audit.c.actor == ANNA)
        ).scalars()  # fmt: skip
        assert 3 == list(reads).count("read:document:risk_analysis")


def test_a_wrong_kind_or_version_is_a_page_naming_the_field(
    world: World,  # noqa: F811
) -> None:
    """An unknown kind, a version the document does not have and a version that is no number
    answer 422 pages saying what is wrong, their reasons naming the field."""
    case_id = world.ids["CLIENT-A-1"]
    _record(world.app, case_id, "risk_analysis")
    base = f"/ui/cases/{case_id}/documents"
    with world.browser("anna") as web:
        unknown = web.get(f"{base}/risk?lang=en")
        too_new = web.get(f"{base}/risk_analysis?version=4&lang=en")
        word = web.get(f"{base}/risk_analysis?version=two&lang=en")
    assert [422, 422, 422] == [unknown.status_code, too_new.status_code, word.status_code]
    assert "unknown document kind &#39;risk&#39;" in unknown.text
    assert "filters" not in unknown.text and "no such document" in too_new.text
    assert "<li>kind: must be one of action_plan, " in unknown.text
    assert "<li>version: risk_analysis has versions 1 to 1</li>" in too_new.text
    assert "<li>version: a whole number from 1</li>" in word.text


def test_the_coordinator_sees_what_the_step_misses_but_no_document(
    world: World,  # noqa: F811
) -> None:
    """The coordinator's case page says, in words, which documents the step still misses (she
    asks the shelter about them), lists the recorded ones without a link, and the document
    view answers her with the 403 page, its contents unseen."""
    case_id = world.ids["CLIENT-A-1"]
    _record(world.app, case_id, "risk_analysis", other_concerns="Seen near the station")
    with world.browser("zc") as web:
        page = web.get(f"/ui/cases/{case_id}?lang=en").text
        view = web.get(f"/ui/cases/{case_id}/documents/risk_analysis?lang=en")
    misses = page[page.index('<section id="step-misses">') :]
    misses = misses[: misses.index("</section>")]
    assert "What this step still misses" in misses and "Ask the shelter" in misses
    assert '<li data-kind="safety_plan">Safety plan</li>' in misses
    assert "risk_analysis" not in misses
    assert "/documents/risk_analysis?" not in page
    assert '<li data-kind="risk_analysis">Risk analysis — Version 1' in page
    assert 403 == view.status_code and "This view is not for your role." in view.text
    assert "Seen near the station" not in view.text and "concrete threat" not in view.text


def test_a_partner_reads_no_document_of_a_case_not_handed_to_it(
    world: World,  # noqa: F811
) -> None:
    """A partner asking for a shelter's document of a case never offered to it gets no
    contents, on the shelter's document view as on its own."""
    case_id = world.ids["CLIENT-A-1"]
    _record(world.app, case_id, "risk_analysis", other_concerns="Seen near the station")
    with world.browser("px") as web:
        answers = [
            web.get(f"/ui/cases/{case_id}/documents/risk_analysis"),
            web.get(f"/ui/partner/cases/{case_id}/documents/risk_analysis"),
        ]
    assert [404, 404] == [a.status_code for a in answers]
    assert not any("Seen near the station" in a.text for a in answers)
