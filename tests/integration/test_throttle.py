"""Rate limits on wrong tokens over a real server and database: per client address (real
loopback addresses 127.0.0.1 and 127.0.0.2) and per token prefix, for the API, the calendar
feed and the login form; 429 with Retry-After; the window passes as the clock moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from pydantic import ValidationError

from engine import accounts, throttle
from engine.api import create_api
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.errors import TooManyAttempts, Unauthenticated
from engine.settings import Settings
from tests.support import ADMIN, ServerThread, enrolled_token

LIMIT = 3


class Net:
    """Clients of one real server, each connecting from its own loopback address."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.clients: list[httpx.Client] = []

    def client(self, address: str = "127.0.0.1") -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=address)
        client = httpx.Client(base_url=self.url, transport=transport)
        self.clients.append(client)
        return client


@pytest.fixture
def net(app: App) -> Iterator[Net]:
    app.settings = app.settings.model_copy(
        update={"auth_failures_per_address": LIMIT, "auth_failures_per_token": 100}
    )
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role="counsellor", actor=ADMIN)
    with ServerThread(create_api(app)) as server:
        network = Net(server.url)
        yield network
        for client in network.clients:
            client.close()


def _token(app: App) -> str:
    return str(enrolled_token(app, "anna"))


def _me(client: httpx.Client, token: str) -> httpx.Response:
    return client.get("/me", headers={"Authorization": f"Bearer {token}"})


def _guesses(n: int) -> list[str]:
    """Wrong tokens that differ within their first 12 characters (distinct prefixes)."""
    return [f"sfe_{i:08d}guess" for i in range(n)]


def test_wrong_tokens_from_one_address_get_429_and_another_address_still_works(
    net: Net, app: App
) -> None:
    """After LIMIT wrong tokens from one address, its next request is 429 with Retry-After
    (problem+json), even with the right token; the right token from another address works."""
    token = _token(app)
    attacker, colleague = net.client("127.0.0.1"), net.client("127.0.0.2")
    assert [401] * LIMIT == [_me(attacker, guess).status_code for guess in _guesses(LIMIT)]
    blocked = _me(attacker, "sfe_one-more-guess")
    assert 429 == blocked.status_code
    assert blocked.headers["content-type"].startswith("application/problem+json")
    assert "too_many_attempts" == blocked.json()["code"]
    assert 0 < int(blocked.headers["retry-after"]) <= 2 * 900
    assert 429 == _me(attacker, token).status_code
    assert 200 == _me(colleague, token).status_code
    assert 401 == _me(colleague, "sfe_colleague-typo").status_code


def test_the_window_passes_as_the_clock_moves(net: Net, app: App, clock: FixedClock) -> None:
    """The blocked address may try again once Retry-After seconds have passed on the
    engine's clock, not before."""
    token = _token(app)
    attacker = net.client()
    for guess in _guesses(LIMIT):
        _me(attacker, guess)
    wait = int(_me(attacker, token).headers["retry-after"])
    clock.advance(timedelta(seconds=wait - 2))
    assert 429 == _me(attacker, token).status_code
    clock.advance(timedelta(seconds=2))
    assert 200 == _me(attacker, token).status_code


def test_tries_at_one_token_prefix_are_limited_from_any_address(net: Net, app: App) -> None:
    """Wrong tokens sharing their first 12 characters count together wherever they come
    from: after the per-token limit a new address is refused for that prefix, not others."""
    app.settings = app.settings.model_copy(
        update={"auth_failures_per_address": 100, "auth_failures_per_token": LIMIT}
    )
    addresses = [f"127.0.0.{n}" for n in range(2, 2 + LIMIT)]
    answers = [_me(net.client(a), f"sfe_samepref-{a}").status_code for a in addresses]
    assert [401] * LIMIT == answers
    fresh = net.client("127.0.0.9")
    assert 429 == _me(fresh, "sfe_samepref-else").status_code
    assert 200 == _me(fresh, _token(app)).status_code


def test_no_token_is_not_a_guess(net: Net) -> None:
    """Requests without any token answer 401 as before and are not counted."""
    client = net.client()
    assert [401] * (LIMIT + 2) == [client.get("/me").status_code for _ in range(LIMIT + 2)]


def test_wrong_calendar_secrets_are_limited_too(net: Net) -> None:
    """Guessing calendar feed URLs is limited like tokens: 401 LIMIT times, then 429."""
    client = net.client()
    answers = [client.get(f"/calendar/sfc_{i:08d}guess.ics").status_code for i in range(LIMIT)]
    assert [401] * LIMIT == answers
    assert 429 == client.get("/calendar/sfc_next-guess.ics").status_code


def test_wrong_logins_on_the_page_are_limited(net: Net, app: App) -> None:
    """The login form answers 401 LIMIT times, then a 429 page with Retry-After; the right
    token from another address still opens a session."""
    token = _token(app)

    def login(client: httpx.Client, secret: str) -> httpx.Response:
        data = {"token": secret, "next": "/ui/overdue"}
        return client.post("/ui/login", data=data, headers={"Origin": net.url})

    attacker, colleague = net.client("127.0.0.1"), net.client("127.0.0.2")
    assert [401] * LIMIT == [login(attacker, g).status_code for g in _guesses(LIMIT)]
    blocked = login(attacker, token)
    assert 429 == blocked.status_code and "retry-after" in blocked.headers
    assert "sfe_session" not in blocked.headers.get("set-cookie", "")
    assert 303 == login(colleague, token).status_code


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ("", "10.0.0.5", "1.2.3.4", "10.0.0.5"),
        ("10.0.0.5", "10.0.0.5", "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        ("10.0.0.0/24", "10.0.0.5", "1.2.3.4, 10.0.0.7", "1.2.3.4"),
        ("10.0.0.5", "192.0.2.1", "1.2.3.4", "192.0.2.1"),
        ("10.0.0.5", "10.0.0.5", None, "10.0.0.5"),
    ],
)
def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(
    app: App, trusted: str, peer: str, forwarded: str | None, expected: str
) -> None:
    """The client is the connecting address unless that is a trusted proxy; then the
    rightmost untrusted X-Forwarded-For hop (a client cannot choose it by adding hops)."""
    app.settings = app.settings.model_copy(update={"trusted_proxies": trusted})
    assert expected == throttle.client_address(app, peer, forwarded)


def test_a_bad_trusted_proxy_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """SAFE_FUTURE_TRUSTED_PROXIES that is not a list of addresses fails at load, naming it."""
    monkeypatch.setenv("SAFE_FUTURE_TRUSTED_PROXIES", "10.0.0.1, proxy.example")
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "trusted_proxies" in str(refused.value) and "proxy.example" in str(refused.value)


def test_the_window_slides_over_the_previous_windows_failures(app: App, clock: FixedClock) -> None:
    """Failures late in one window still count, weighted, early in the next: two at 90 % of
    a window and two just after it exceed a limit of three, and Retry-After is exactly how
    long until the previous window's weight has fallen enough."""
    app.settings = app.settings.model_copy(
        update={"auth_failures_per_address": 3, "auth_window_seconds": 900}
    )

    def wrong() -> None:
        raise Unauthenticated("the token is not valid")

    def attempt(n: int) -> None:
        with pytest.raises(Unauthenticated):
            throttle.sign_in(app, "192.0.2.7", f"sfe_{n:08d}guess", wrong)

    start = clock.now()  # 09:00 UTC: a window starts here
    clock.set(start + timedelta(seconds=810))
    attempt(1)
    attempt(2)
    clock.set(start + timedelta(seconds=910))
    attempt(3)
    attempt(4)
    with pytest.raises(TooManyAttempts) as blocked:
        throttle.sign_in(app, "192.0.2.7", "sfe_right-one", lambda: "anna")
    assert 441 == blocked.value.retry_after  # 2 + 2 * (900 - t) / 900 < 3 from t = 450
    clock.advance(timedelta(seconds=440))
    with pytest.raises(TooManyAttempts):
        throttle.sign_in(app, "192.0.2.7", "sfe_right-one", lambda: "anna")
    clock.advance(timedelta(seconds=1))
    assert "anna" == throttle.sign_in(app, "192.0.2.7", "sfe_right-one", lambda: "anna")


def test_guessed_enrolment_links_count_as_wrong_tokens(net: Net) -> None:
    """Wrong enrolment secrets (API and the link's page) count like wrong tokens: after
    LIMIT of them from one address the next is 429, even on the pages."""
    guesser = net.client()
    answers = [
        guesser.post("/enrolment", json={"secret": guess}).status_code for guess in _guesses(LIMIT)
    ]
    assert [401] * LIMIT == answers
    assert 429 == guesser.post("/enrolment", json={"secret": "one-more-guess"}).status_code
    assert 429 == guesser.get("/ui/enrol/yet-another-guess").status_code
