"""The case list page over a real server, read as HTML (issue 15, point 1): her own open cases
by default, page by page; each role's scope; a short id in the case page's address; bad
filters as a page. The same page in Chromium is in tests/e2e/test_browser_find.py."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from engine import service
from engine.api import create_api
from engine.bootstrap import App
from engine.pages._cases import PAGE_SIZE
from tests.integration.test_pages import World
from tests.support import ServerThread, seed_region


@pytest.fixture
def world(app: App) -> Iterator[World]:
    tokens, ids = seed_region(app)
    with ServerThread(create_api(app)) as server:
        yield World(app, server.url, tokens, ids)


def _cases(html: str) -> list[str]:
    return re.findall(r'<tr data-case="([^"]+)">', html)


def _next(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" id="next-page">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_her_own_open_cases_page_by_page(world: World) -> None:
    """Her 2 seeded cases and 30 more: two pages of her own, each case once, none of
    another counsellor's; the next page keeps the filters."""
    for n in range(30):
        service.open_case(
            world.app, client_ref=f"MINE-{n}", organisation="shelter-a", kind="trafficking",
            intake_on=world.app.clock.now().date(), counsellor="anna", actor="person:anna",
        )  # fmt: skip
    with world.browser("anna") as web:
        first = web.get("/ui/cases")
        assert 200 == first.status_code
        seen = _cases(first.text)
        assert PAGE_SIZE == len(seen)
        assert [world.ids["CLIENT-A-1"], world.ids["CLIENT-A-2"]] == seen[:2]  # most overdue
        link = _next(first.text)
        assert link is not None and "counsellor=anna" in link
        second = web.get(f"/ui/cases{link}")
        seen += _cases(second.text)
        assert _next(second.text) is None
        assert 'id="first-page"' in second.text
    assert 32 == len(seen) == len(set(seen))
    assert world.ids["CLIENT-A-3"] not in seen  # unassigned: not hers


def test_each_role_sees_its_scope_on_the_case_list(world: World) -> None:
    """A coordinator her region without file numbers; a partner goes to its hand-overs; an
    administrator gets a page saying the view is not hers."""
    with world.browser("zc") as web:
        page = web.get("/ui/cases")
        north = {v for k, v in world.ids.items() if not k.startswith("CLIENT-B")}
        assert north == set(_cases(page.text))
        assert "CLIENT-" not in page.text
    with world.browser("px") as web:
        assert "/ui/partner" == web.get("/ui/cases").headers["location"]
    with world.browser("root") as web:
        refused = web.get("/ui/cases")
        assert 403 == refused.status_code
        assert "This view is not for your role." in refused.text


def test_the_case_page_opens_by_its_short_id_and_bad_filters_are_a_page(world: World) -> None:
    """/ui/cases/<short id> shows the case; a bad step or status is a 422 page; the search by
    file number is a form post from this site, and the number stays out of the links."""
    case_id = world.ids["CLIENT-A-1"]
    with world.browser("anna") as web:
        shown = web.get(f"/ui/cases/{case_id[:8]}")
        assert 200 == shown.status_code and case_id in shown.text
        assert 422 == web.get("/ui/cases", params={"state": "nowhere"}).status_code
        assert 422 == web.get("/ui/cases", params={"status": "some"}).status_code
        found = web.post("/ui/cases", data={"client": "CLIENT-A-3"}, headers={"Origin": world.url})
        assert [world.ids["CLIENT-A-3"]] == _cases(found.text)
        # the search is a post: the file number is in no link of the answer, and a query
        # parameter of that name is no search
        assert "CLIENT-A-3" not in "".join(re.findall(r'href="([^"]*)"', found.text))
        ignored = web.get("/ui/cases", params={"client": "CLIENT-A-3", "counsellor": ""})
        assert 3 == len(_cases(ignored.text))
        forged = web.post(
            "/ui/cases", data={"client": "CLIENT-A-3"}, headers={"Origin": "https://evil.example"}
        )
        assert 403 == forged.status_code
