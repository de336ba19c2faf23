"""The coordinator's pages over a real server, read as HTML: login and sessions, scope per
role, the filters, what a page may and may not show, and the privacy headers. The same pages in
a real browser are in tests/e2e/test_browser.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.store._tables import audit
from tests.support import REGION_CASES, ServerThread, seed_region


class World:
    def __init__(self, app: App, url: str, tokens: dict[str, str], ids: dict[str, str]) -> None:
        self.app, self.url, self.tokens, self.ids = app, url, tokens, ids

    @contextmanager
    def browser(self, user: str | None = None) -> Iterator[httpx.Client]:
        """A client that keeps cookies and, like a browser, says where its forms come from;
        logged in as `user` when given."""
        headers = {"Accept-Language": "en", "Origin": self.url}
        with httpx.Client(base_url=self.url, headers=headers) as client:
            if user is not None:
                data = {"token": self.tokens[user], "next": "/ui/"}
                assert 303 == client.post("/ui/login", data=data).status_code
            yield client


@pytest.fixture
def world(app: App) -> Iterator[World]:
    tokens, ids = seed_region(app)
    with ServerThread(create_api(app)) as server:
        yield World(app, server.url, tokens, ids)


def _rows(html: str) -> list[tuple[str, str]]:
    """(case id, kind) of each row of the overdue table, in order."""
    return re.findall(r'<tr data-case="([^"]+)" data-kind="([^"]+)">', html)


def _days(html: str) -> list[int]:
    return [int(d) for d in re.findall(r'class="num late">(\d+)</td>', html)]


def test_a_page_asks_for_a_login_and_the_session_is_not_the_api_token(world: World) -> None:
    with world.browser() as web:
        first = web.get("/ui/overdue", params={"kind": "step_overdue"})
        assert 303 == first.status_code
        assert "/ui/login?next=%2Fui%2Foverdue%3Fkind%3Dstep_overdue" == first.headers["location"]
        wrong = web.post("/ui/login", data={"token": "sfe_guess", "next": "/ui/overdue"})
        assert 401 == wrong.status_code and "does not work" in wrong.text
        assert "sfe_session" not in wrong.headers.get("set-cookie", "")
        answer = web.post(
            "/ui/login",
            data={"token": world.tokens["zc"], "next": "/ui/overdue?kind=step_overdue"},
        )
        assert (303, "/ui/overdue?kind=step_overdue") == (
            answer.status_code,
            answer.headers["location"],
        )
        cookie = answer.headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=strict", "Path=/ui", "Max-Age=28800"):
            assert attribute in cookie
        session = web.cookies["sfe_session"]
        assert session.startswith("sfs_") and world.tokens["zc"] not in cookie
        assert 200 == web.get("/ui/overdue").status_code
    # The session opens pages only; the API wants the API token.
    api = httpx.get(f"{world.url}/overdue", headers={"Authorization": f"Bearer {session}"})
    assert 401 == api.status_code
    # And an API token put in the cookie opens no page.
    with httpx.Client(base_url=world.url, cookies={"sfe_session": world.tokens["zc"]}) as web:
        assert 303 == web.get("/ui/overdue").status_code


def test_logout_and_time_end_the_session(world: World, clock: FixedClock) -> None:
    with world.browser("zc") as web:
        session = web.cookies["sfe_session"]
        assert 303 == web.post("/ui/logout").status_code
    with httpx.Client(base_url=world.url, cookies={"sfe_session": session}) as stale:
        assert 303 == stale.get("/ui/overdue").status_code
    with world.browser("zc") as web:
        clock.advance(timedelta(hours=7, minutes=59))
        assert 200 == web.get("/ui/overdue").status_code
        clock.advance(timedelta(minutes=2))
        assert 303 == web.get("/ui/overdue").status_code


def test_revoking_the_token_or_its_expiry_ends_the_session(
    world: World, app: App, clock: FixedClock
) -> None:
    """A session opened with a token that leaked must not outlive it."""
    with world.browser("zc") as web:
        (api_token,) = [t for t in accounts.tokens(app, "zc") if t["purpose"] == "api"]
        accounts.revoke_token(app, api_token["id"])
        assert 303 == web.get("/ui/overdue").status_code
    short = accounts.issue_token(app, "zc", expires_at=clock.now() + timedelta(hours=2))
    with world.browser() as web:
        web.post("/ui/login", data={"token": short["token"]})
        assert 200 == web.get("/ui/overdue").status_code
        clock.advance(timedelta(hours=2, minutes=1))
        assert 303 == web.get("/ui/overdue").status_code


def test_behind_a_proxy_forms_come_from_the_public_url_and_the_cookie_is_secure(
    world: World, app: App
) -> None:
    app.settings.public_url = "https://opvang.example.nl"
    with world.browser() as web:
        data = {"token": world.tokens["zc"]}
        direct = web.post("/ui/login", data=data, headers={"Origin": world.url})
        assert 403 == direct.status_code
        proxied = web.post("/ui/login", data=data, headers={"Origin": "https://opvang.example.nl"})
        assert 303 == proxied.status_code and "Secure" in proxied.headers["set-cookie"]


def test_forms_from_another_site_and_redirects_away_are_refused(world: World) -> None:
    with world.browser() as web:
        forged = web.post(
            "/ui/login",
            data={"token": world.tokens["zc"], "next": "/ui/overdue"},
            headers={"Origin": "https://evil.example"},
        )
        assert 403 == forged.status_code and "origin:" in forged.text
        assert "sfe_session" not in web.cookies
        away = web.post("/ui/login", data={"token": world.tokens["zc"], "next": "//evil.example/"})
        assert "/ui/overdue" == away.headers["location"]


def test_a_form_without_origin_is_refused(world: World) -> None:
    """A login or logout posted without an Origin header is refused (403) and opens or ends
    nothing."""
    with world.browser("zc") as web:
        del web.headers["Origin"]
        login = web.post("/ui/login", data={"token": world.tokens["zc"]})
        logout = web.post("/ui/logout")
        assert (403, 403) == (login.status_code, logout.status_code)
        assert "origin:" in login.text
        assert "set-cookie" not in login.headers
        assert 200 == web.get("/ui/overdue").status_code


@pytest.mark.parametrize(
    ("site", "status"),
    [("cross-site", 403), ("same-site", 403), ("same-origin", 303), ("none", 303)],
)
def test_a_form_must_come_from_this_site_by_sec_fetch_site(
    world: World, site: str, status: int
) -> None:
    """Even with the right Origin, a form the browser marks cross-site or same-site is
    refused; same-origin and none (typed by the user) pass."""
    with world.browser() as web:
        answer = web.post(
            "/ui/login", data={"token": world.tokens["zc"]}, headers={"Sec-Fetch-Site": site}
        )
        assert status == answer.status_code


def test_without_a_public_url_a_chosen_host_is_not_enough(world: World) -> None:
    """Without SAFE_FUTURE_PUBLIC_URL, an Origin that equals an attacker-chosen Host (DNS
    rebinding) is refused, naming the setting; only localhost addresses stand for themselves."""
    with world.browser() as web:
        forged = web.post(
            "/ui/login",
            data={"token": world.tokens["zc"]},
            headers={"Host": "evil.example:1", "Origin": "http://evil.example:1"},
        )
        assert 403 == forged.status_code and "SAFE_FUTURE_PUBLIC_URL" in forged.text
        assert "set-cookie" not in forged.headers
        local = world.url.replace("127.0.0.1", "localhost")
        named = web.post(
            "/ui/login",
            data={"token": world.tokens["zc"]},
            headers={"Host": local.removeprefix("http://"), "Origin": local},
        )
        assert 303 == named.status_code


def test_pages_carry_the_privacy_headers(world: World) -> None:
    with world.browser("zc") as web:
        for path in ("/ui/login", "/ui/overdue", f"/ui/cases/{world.ids['CLIENT-A-1']}"):
            headers = web.get(path).headers
            assert "default-src 'none'" in headers["content-security-policy"]
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert ("no-store", "nosniff") == (
                headers["cache-control"],
                headers["x-content-type-options"],
            )
        assert web.get("/ui/static/style.css").headers["content-type"].startswith("text/css")


def test_the_coordinator_sees_her_region_most_overdue_first_without_clients(
    world: World, app: App
) -> None:
    with world.browser("zc") as web:
        html = web.get("/ui/overdue").text
    api = httpx.get(
        f"{world.url}/overdue", headers={"Authorization": f"Bearer {world.tokens['zc']}"}
    ).json()
    assert [(i["case_id"], i["kind"]) for i in api["items"]] == _rows(html)
    days = _days(html)
    assert days == sorted(days, reverse=True) and len(days) == 10
    in_region = {world.ids[c] for c, org, *_ in REGION_CASES if org != "shelter-b"}
    assert {case for case, _ in _rows(html)} == in_region
    # The counts on top: each shelter of the region by name, none of the south.
    counts = dict(re.findall(r'<span class="n">(\d+)</span><span class="org">([^<]+)<', html))
    assert {"6": "Opvang Anemoon", "4": "Opvang Cypres"} == counts
    assert "Opvang Beuk" not in html and "CLIENT-" not in html
    with app.db.connect() as conn:
        query = select(audit.c.case_id).where(
            audit.c.actor == "person:zc", audit.c.action == "read:overdue"
        )
        readers = conn.execute(query).scalars()
        assert in_region == set(readers)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"organisation": "shelter-c"}, {"CLIENT-C-1", "CLIENT-C-2"}),
        ({"counsellor": "anna"}, {"CLIENT-A-1", "CLIENT-A-2"}),
        ({"min_days": "50"}, {"CLIENT-A-1", "CLIENT-C-1", "CLIENT-A-2"}),
        ({"organisation": "shelter-b"}, set()),  # another region: nothing, not an error
    ],
)
def test_the_filters_narrow_the_list(
    world: World, params: dict[str, str], expected: set[str]
) -> None:
    with world.browser("zc") as web:
        html = web.get("/ui/overdue", params=params).text
    assert {world.ids[c] for c in expected} == {case for case, _ in _rows(html)}
    if not expected:
        assert "Nothing overdue with these filters." in html


def test_a_kind_filter_and_bad_filters(world: World) -> None:
    with world.browser("zc") as web:
        steps = web.get("/ui/overdue", params={"kind": "step_overdue"}).text
        assert {"step_overdue"} == {kind for _, kind in _rows(steps)}
        assert 5 == len(_rows(steps))
        for bad in ("abc", "0", "9999", "²"):
            answer = web.get("/ui/overdue", params={"min_days": bad})
            assert 422 == answer.status_code and "min_days" in answer.text


def test_the_case_page_shows_timeline_and_current_step_but_not_the_client(world: World) -> None:
    case_id = world.ids["CLIENT-A-1"]
    with world.browser("zc") as web:
        html = web.get(f"/ui/cases/{case_id}").text
    assert f"Case {case_id[:8]}" in html and "CLIENT-A-1" not in html
    assert 'class="step current" data-state="basic_needs_safety"' in html
    assert 'class="step current" data-state="no_procedure"' in html
    assert 1 == html.count('class="step current"', html.index("Residence</figcaption>"))
    assert "Case opened (intake)" in html and "person:anna" in html
    assert "not visible to your role" in html and "What can happen next" not in html


def test_a_case_outside_the_region_does_not_exist_and_the_attempt_is_kept(
    world: World, app: App
) -> None:
    south = world.ids["CLIENT-B-1"]
    with world.browser("zc") as web:
        answer = web.get(f"/ui/cases/{south}")
        assert 404 == answer.status_code and "does not exist" in answer.text
        assert 404 == web.get("/ui/cases/no-such-case").status_code
    with app.db.connect() as conn:
        actions = conn.execute(
            select(audit.c.action).where(audit.c.case_id == south, audit.c.actor == "person:zc")
        ).scalars()  # fmt: skip
        assert ["denied:read"] == list(actions)


def test_a_counsellor_sees_her_shelter_and_her_clients(world: World) -> None:
    with world.browser("anna") as web:
        overview = web.get("/ui/overdue").text
        page = web.get(f"/ui/cases/{world.ids['CLIENT-A-1']}").text
        other = web.get(f"/ui/cases/{world.ids['CLIENT-C-1']}")
    shelter_a = {world.ids[c] for c, org, *_ in REGION_CASES if org == "shelter-a"}
    assert shelter_a == {case for case, _ in _rows(overview)}
    assert "Opvang Cypres" not in overview
    assert 'id="client-ref">CLIENT-A-1<' in page and "not visible to your role" not in page
    # She sees what can happen next and why the rest cannot yet, as the API gives it.
    assert "What can happen next" in page and 'data-trigger="complete"' in page
    assert "has not been recorded yet" in page
    assert 404 == other.status_code


def test_a_partner_has_no_overview(world: World) -> None:
    with world.browser("px") as web:
        answer = web.get("/ui/overdue")
    assert 403 == answer.status_code and "not for your role" in answer.text


def test_dutch_or_english_by_choice_or_by_browser(world: World) -> None:
    with world.browser("zc") as web:
        assert "Overdue steps and deadlines" in web.get("/ui/overdue").text
        dutch = web.get("/ui/overdue", params={"lang": "nl"}).text
        assert "Achterstallige stappen en termijnen" in dutch and 'lang="nl"' in dutch
        assert "Eerste begeleidingsgesprek" in dutch or "Stap te lang open" in dutch
        by_browser = web.get("/ui/overdue", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).text
        assert "Achterstallige stappen" in by_browser
