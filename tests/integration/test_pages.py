"""The coordinator's pages over a real server, read as HTML: login and sessions, scope per
role, the filters, what a page may and may not show, and the privacy headers. The same pages in
a real browser are in tests/e2e/test_browser.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import select

from engine import accounts, service, socialmap
from engine.api import create_api
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.i18n import gettext
from engine.pages import _mapview
from engine.store._tables import audit
from tests.support import (
    ADMIN,
    REGION_CASES,
    ServerThread,
    at_first_counselling,
    enrolled_token,
    seed_region,
)


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
        accounts.revoke_token(app, api_token["id"], actor=ADMIN)
        assert 303 == web.get("/ui/overdue").status_code
    with app.uow.access() as repo:  # a token that expires (enrolment's do not): stored as is
        later = clock.now() + timedelta(hours=2)
        short = accounts.add_token(repo, "zc", issuer="person:zc", purpose="api", label=None,
                                   expires_at=later, now=clock.now())  # fmt: skip
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
    """A partner has no overdue overview: /ui/overdue sends it to its own cases (issue 13),
    where no case of the region shows."""
    with world.browser("px") as web:
        answer = web.get("/ui/overdue", follow_redirects=True)
    assert ("/ui/partner", 200) == (answer.url.path, answer.status_code)
    assert "No case is offered or handed over to your organisation." in answer.text


def test_the_partner_pages_are_the_partners_only(world: World) -> None:
    """A counsellor opening the partner's pages is refused (403); the partner's forms need
    the page's own origin like every form; a case not offered to it does not exist (404)."""
    case_id = world.ids["CLIENT-A-1"]
    with world.browser("anna") as web:
        assert 403 == web.get("/ui/partner").status_code
        assert 403 == web.get(f"/ui/partner/cases/{case_id}").status_code
    with world.browser("px") as web:
        assert 404 == web.get(f"/ui/partner/cases/{case_id}").status_code
        foreign = web.post(f"/ui/partner/cases/{case_id}/fire/accept_handover",
                           headers={"Origin": "https://evil.example"})  # fmt: skip
        assert 403 == foreign.status_code
        assert 404 == web.post(f"/ui/partner/cases/{case_id}/fire/accept_handover").status_code


def test_dutch_or_english_by_choice_or_by_browser(world: World) -> None:
    with world.browser("zc") as web:
        assert "Overdue steps and deadlines" in web.get("/ui/overdue").text
        dutch = web.get("/ui/overdue", params={"lang": "nl"}).text
        assert "Achterstallige stappen en termijnen" in dutch and 'lang="nl"' in dutch
        assert "Eerste begeleidingsgesprek" in dutch or "Stap te lang open" in dutch
        by_browser = web.get("/ui/overdue", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).text
        assert "Achterstallige stappen" in by_browser


@pytest.mark.parametrize(
    ("header", "heading"),
    [
        ("en;q=0.3, nl;q=0.8", "Achterstallige stappen en termijnen"),
        ("nl;q=0.2, de, en-GB;q=0.9", "Overdue steps and deadlines"),
        ("fr, de;q=0.5", "Achterstallige stappen en termijnen"),  # neither: Dutch
        ("*;q=0.1, en;q=0", "Achterstallige stappen en termijnen"),  # en refused
    ],
)
def test_the_browser_language_is_picked_by_its_q_weights(
    world: World, header: str, heading: str
) -> None:
    """Issue 14 point 7: the page language is the one the browser weighs highest, not the
    first it names; `?lang=` still wins."""
    with world.browser("zc") as web:
        assert heading in web.get("/ui/overdue", headers={"Accept-Language": header}).text
        chosen = web.get("/ui/overdue?lang=en", headers={"Accept-Language": header}).text
        assert "Overdue steps and deadlines" in chosen


# The social map's pages (engine/pages/_socialmap.py). The shipped data may grow from the
# placeholder to the book's ~90 organisations: the tests name only COSUDOW (Nigeria: shelter and
# psychological help, no financial help) and count from the map itself.


def _orgs(html: str) -> list[str]:
    """The organisation ids of the result cards, in order."""
    return re.findall(r'<li class="org" data-org="([^"]+)">', html)


def test_the_social_map_finds_cosudow_by_dutch_country_name_and_services(world: World) -> None:
    """Nigerië (Dutch) with shelter and psychological help finds COSUDOW, based there first."""
    with world.browser("anna") as web:
        params = {"country": "Nigerië", "service": ["shelter", "psychological"]}
        answer = web.get("/ui/socialmap", params=params)
    assert 200 == answer.status_code
    found = _orgs(answer.text)
    assert "ng-cosudow" in found
    live = socialmap.current(world.app).search(
        socialmap.Query(country="NG", services=["shelter", "psychological"])
    )
    assert [e.org.id for e in live] == found
    assert (
        "Based in Nigeria" in answer.text
        and 'href="/ui/socialmap/ng-cosudow?lang=en"' in answer.text
    )
    assert 'value="Nigerië"' in answer.text
    assert 2 == len(
        re.findall(r'name="service" value="(shelter|psychological)" checked', answer.text)
    )


def test_the_social_map_by_code_or_english_name_gives_the_same_list(world: World) -> None:
    """NG, Nigeria and nigerie find the same organisations as Nigerië."""
    with world.browser("anna") as web:
        lists = [
            _orgs(web.get("/ui/socialmap", params={"country": c, "service": "shelter"}).text)
            for c in ("NG", "Nigeria", "nigerie", "Nigerië")
        ]
    assert "ng-cosudow" in lists[0]
    assert [lists[0]] * 4 == lists


def test_a_service_narrows_the_social_map(world: World) -> None:
    """Every ticked service must be offered: COSUDOW offers no financial help."""
    with world.browser("anna") as web:
        html = web.get("/ui/socialmap", params={"country": "NG", "service": "financial"}).text
    assert "ng-cosudow" not in _orgs(html)


def test_without_filters_the_social_map_lists_everything_by_country_with_a_count(
    world: World,
) -> None:
    """No filter: every live organisation, under country headings, the international ones
    last, with the count on top."""
    live = socialmap.current(world.app).live()
    with world.browser("anna") as web:
        html = web.get("/ui/socialmap").text
    assert sorted(e.org.id for e in live) == sorted(_orgs(html))
    assert f"{len(live)} organisations found" in html
    sections = re.findall(r'<section class="sm-group" id="([^"]+)">', html)
    assert "c-NG" in sections and "c-international" == sections[-1]
    links = re.findall(r'<a class="external" href="[^"]+"([^>]*)>', html)
    assert links and {' rel="noopener noreferrer" target="_blank"'} == set(links)


def test_an_unknown_country_shows_the_countries_on_the_map_with_the_form_kept(
    world: World,
) -> None:
    """An unknown country: 422, the reasons list the countries on the map, the form stays
    filled in."""
    with world.browser("anna") as web:
        params = {"country": "Narnia", "service": "shelter", "q": "women"}
        answer = web.get("/ui/socialmap", params=params)
    assert 422 == answer.status_code
    assert (
        "The search is not valid" in answer.text
        and "&#39;Narnia&#39; is not a country" in answer.text
    )
    listed = [f"{c} {socialmap.country_name(c)}" for c in socialmap.current(world.app).countries()]
    assert "NG Nigeria" in listed and all(c in answer.text for c in listed)
    assert 'value="Narnia"' in answer.text and 'value="women"' in answer.text
    assert 'value="shelter" checked' in answer.text and [] == _orgs(answer.text)


def test_an_unknown_service_is_refused_naming_the_twelve(world: World) -> None:
    """An unknown service (and a too long one): 422 naming all 12 service ids."""
    with world.browser("anna") as web:
        answer = web.get("/ui/socialmap", params={"service": ["shelter", "housing"]})
        too_long = web.get("/ui/socialmap", params={"country": "N" * 500})
    assert 422 == answer.status_code
    reason = next(r for r in re.findall(r"<li>([^<]+)</li>", answer.text) if "housing" in r)
    assert all(s in reason for s in socialmap.SERVICES)
    assert 12 == len(socialmap.SERVICES)
    assert 422 == too_long.status_code and "country: at most 100 characters" in too_long.text


def test_an_organisation_page_shows_everything_the_map_holds(world: World) -> None:
    """COSUDOW's page: country, kind, the 12 services marked, the book's source line."""
    with world.browser("anna") as web:
        html = web.get("/ui/socialmap/ng-cosudow").text
    assert "COSUDOW" in html and 'id="country">Nigeria <span class="muted">(NG)' in html
    assert 'id="kind">Organisation on the ground<' in html
    assert "Bijlage 14, line 7273" in html
    assert 12 == len(re.findall(r'data-service="', html))
    offered = set(re.findall(r'<li class="offered" data-service="([^"]+)"', html))
    assert {"shelter", "psychological"} <= offered and "financial" not in offered
    assert 'href="/ui/socialmap?lang=en&amp;country=NG"' in html


def test_an_unknown_organisation_is_the_404_page(world: World) -> None:
    """An id not on the map: the error page, 404, with a way back to the map."""
    with world.browser("anna") as web:
        answer = web.get("/ui/socialmap/no-such-org")
    assert 404 == answer.status_code
    assert "This organisation is not on the social map." in answer.text
    assert 'href="/ui/socialmap?lang=en"' in answer.text


def test_the_social_map_in_dutch(world: World) -> None:
    """With lang=nl: Dutch words, Dutch country names and Dutch service labels."""
    smap = socialmap.current(world.app)
    with world.browser("anna") as web:
        html = web.get("/ui/socialmap", params={"lang": "nl"}).text
        one = web.get("/ui/socialmap/ng-cosudow", params={"lang": "nl"}).text
    assert 'lang="nl"' in html and "Sociale kaart" in html and "Diensten (alle aangevinkte)" in html
    headings = dict(re.findall(r'<section class="sm-group" id="c-(\w+)">\s*<h2>([^<]+) <', html))
    dutch = {c: socialmap.country_name(c, "nl") for c in smap.countries()}
    assert {**dutch, "international": "Internationaal"} == headings
    assert "Albanië" == dutch["AL"] and "Albania" not in headings.values()
    assert "Psychologische hulp" in html and "Opvang" in html and "Psychological help" not in html
    assert "Bijlage 14, regel 7273" in one and "Organisatie ter plaatse" in one


def test_switching_language_keeps_the_whole_search(world: World) -> None:
    """The language link of a search keeps the country and every ticked service."""
    with world.browser("anna") as web:
        params = {"lang": "nl", "country": "NG", "service": ["shelter", "psychological"]}
        html = web.get("/ui/socialmap", params=params).text
    link = re.search(r'<a href="\?([^"]+)" lang="en">', html)
    assert link is not None
    expected = "country=NG&amp;service=shelter&amp;service=psychological&amp;lang=en"
    assert expected == link.group(1)


def test_the_social_map_is_for_signed_in_people_only(world: World) -> None:
    """Without a session the search and an organisation's page send to the login form."""
    with world.browser() as web:
        search = web.get("/ui/socialmap", params={"country": "NG"})
        one = web.get("/ui/socialmap/ng-cosudow")
    assert (303, "/ui/login?next=%2Fui%2Fsocialmap%3Fcountry%3DNG") == (
        search.status_code,
        search.headers["location"],
    )
    assert (303, "/ui/login?next=%2Fui%2Fsocialmap%2Fng-cosudow") == (
        one.status_code,
        one.headers["location"],
    )


def test_every_role_may_read_the_social_map(world: World, app: App) -> None:
    """Counsellor, coordinator, partner, admin and privacy officer all open the map, linked
    from every page's navigation."""
    accounts.add_user(app, "pia", organisation="shelter-a", role="privacy_officer", actor=ADMIN)
    world.tokens["pia"] = enrolled_token(app, "pia")
    statuses = {}
    for user in ("anna", "zc", "px", "root", "pia"):
        with world.browser(user) as web:
            answer = web.get("/ui/socialmap", params={"country": "NG"})
            statuses[user] = answer.status_code
            assert "ng-cosudow" in _orgs(answer.text)
            assert 'class="nav-socialmap"' in answer.text
            assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert dict.fromkeys(("anna", "zc", "px", "root", "pia"), 200) == statuses


def test_a_counsellor_sees_suggestions_on_the_case_page_and_the_coordinator_not(
    world: World, app: App
) -> None:
    """At step 2 with her country NG, the counsellor's case page suggests COSUDOW and links
    the rest of the map; the coordinator's view of the same case has no suggestions."""
    case_id = world.ids["CLIENT-A-1"]
    at_first_counselling(app, case_id, "NG")
    with world.browser("anna") as web:
        mine = web.get(f"/ui/cases/{case_id}").text
    with world.browser("zc") as web:
        theirs = web.get(f"/ui/cases/{case_id}").text
    assert "Organisations in her country (social map)" in mine
    box = mine[
        mine.index('id="suggestions"') : mine.index("</section>", mine.index('id="suggestions"'))
    ]
    assert '<li class="org" data-org="ng-cosudow">' in box
    assert 'href="/ui/socialmap/ng-cosudow?lang=en"' in box
    assert "Her country of origin: <strong>Nigeria</strong>" in box
    assert "the choice is the client&#39;s and yours" in box
    assert re.search(r'id="suggestions-more" href="/ui/socialmap\?lang=en&amp;country=NG"', box)
    assert 'id="suggestions"' not in theirs and "social map)" not in theirs
    zc = accounts.authenticate(app, world.tokens["zc"])
    anna = accounts.authenticate(app, world.tokens["anna"])
    assert "suggestions" not in service.show(app, case_id, actor=zc)
    assert "ng-cosudow" in [
        o["id"] for o in service.show(app, case_id, actor=anna)["suggestions"]["organisations"]
    ]


def test_the_suggestions_link_her_country_and_her_needs(world: World, app: App) -> None:
    """The box links all of her country's organisations, and those offering all her plan's
    needs, with them ticked."""
    case_id = world.ids["CLIENT-A-1"]
    at_first_counselling(app, case_id, "NG")
    view = service.show(app, case_id, actor=accounts.authenticate(app, world.tokens["anna"]))
    box = _mapview.suggestions(
        {**view["suggestions"], "needs": ["shelter", "psychological"]}, "en", gettext("en")
    )
    assert "/ui/socialmap?lang=en&country=NG" == box["link"]
    assert (
        "/ui/socialmap?lang=en&country=NG&service=shelter&service=psychological"
        == (box["link_needs"])
    )
    assert ["Shelter", "Psychological help"] == box["needs"]
    with world.browser("anna") as web:
        html = web.get(box["link_needs"]).text
    assert 2 == html.count('" checked>') and "ng-cosudow" in _orgs(html)


def test_more_than_five_suggestions_link_the_rest_and_a_shelter_addition_is_marked(
    world: World, app: App, tmp_path: Path
) -> None:
    """With a shelter's file adding six organisations in Nigeria, the box shows five and
    "N more" linking the map for Nigeria; an added organisation's page says where it comes
    from."""
    added = [
        {"id": f"ng-added-{n}", "name": f"Added Foundation {n}", "kind": "partner",
         "country": "NG", "services": ["shelter"], "sources": [{"file": "additions.yaml"}]}
        for n in range(1, 7)
    ]  # fmt: skip
    additions = tmp_path / "additions.yaml"
    additions.write_text(yaml.safe_dump({"organisations": added}), encoding="utf-8")
    app.settings.socialmap_file = additions
    case_id = world.ids["CLIENT-A-1"]
    at_first_counselling(app, case_id, "NG")
    view = service.show(app, case_id, actor=accounts.authenticate(app, world.tokens["anna"]))
    more = view["suggestions"]["more"]
    with world.browser("anna") as web:
        html = web.get(f"/ui/cases/{case_id}").text
        one = web.get("/ui/socialmap/ng-added-1").text
    assert more >= 3 and 5 == len(_orgs(html))
    assert f'href="/ui/socialmap?lang=en&amp;country=NG">{more} more on the social map<' in html
    assert 'id="origin">the shelter&#39;s own file<' in one and "file additions.yaml" in one


def test_a_retired_organisation_is_marked_on_its_page_and_left_out_of_searches(
    world: World, app: App
) -> None:
    """Retired by an administrator: its page still opens, marked retired with the change;
    the search no longer lists it."""
    socialmap.retire(app, "ng-cosudow", actor=ADMIN)
    with world.browser("anna") as web:
        one = web.get("/ui/socialmap/ng-cosudow")
        search = web.get("/ui/socialmap", params={"country": "NG"}).text
    assert 200 == one.status_code and 'id="retired"' in one.text
    assert "Retired: this organisation no longer shows in searches" in one.text
    assert f"{ADMIN} (retire)" in one.text
    assert "ng-cosudow" not in _orgs(search)
