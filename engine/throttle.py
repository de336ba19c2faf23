"""Rate limits on wrong tokens: per client address and per presented token prefix.

Failed sign-ins (a presented API token, calendar secret or login-form token that does not
work) are counted in the database, so several `serve` processes on one PostgreSQL database
count together. The window slides: the count is this window's failures plus the previous
window's, weighted by how much of it still lies within the last `auth_window_seconds`. While
a key is over its limit, every sign-in for it is answered 429 with `Retry-After` before the
token is even looked at, so a right token guessed meanwhile is not revealed either.

The client address is the connecting address; only when that is a trusted proxy
(`SAFE_FUTURE_TRUSTED_PROXIES`) is `X-Forwarded-For` read, from the right, skipping the
trusted hops. A request that presents no token is not a guess and is not counted.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address, ip_network
from typing import TypeVar

from starlette.requests import HTTPConnection

from engine.bootstrap import App
from engine.errors import TooManyAttempts, Unauthenticated
from engine.logs import get_logger

log = get_logger("engine.throttle")

T = TypeVar("T")
PREFIX = 12  # characters of a presented token counted together: its kind and 8 more


def client_address(app: App, peer: str | None, forwarded_for: str | None) -> str:
    """Who is asking: the connecting address, or behind trusted proxies the rightmost
    address in X-Forwarded-For that is not one of them."""
    trusted = app.settings.trusted_proxies.split(",")
    networks = [ip_network(p.strip(), strict=False) for p in trusted if p.strip()]

    def is_trusted(address: str) -> bool:
        try:
            ip = ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    if peer is None:
        return "unknown"
    if not is_trusted(peer) or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop
    return hops[0] if hops else peer


def request_address(app: App, request: HTTPConnection) -> str:
    """`client_address` of a request to the API or the pages."""
    peer = request.client.host if request.client else None
    return client_address(app, peer, request.headers.get("x-forwarded-for"))


def sign_in(app: App, address: str, secret: str | None, check: Callable[[], T]) -> T:
    """Run `check` (which raises `Unauthenticated` for a wrong token) unless the address or
    the token's prefix has failed too often; count its failure."""
    if not secret:
        return check()
    settings = app.settings
    limits = {
        _key("address", address): settings.auth_failures_per_address,
        _key("token", secret[:PREFIX]): settings.auth_failures_per_token,
    }
    window = timedelta(seconds=settings.auth_window_seconds)
    now = app.clock.now()
    start = _window_start(now, window)
    with app.uow.throttle() as repo:
        counts = repo.failures(list(limits), start - window)
    waits = [_wait(counts, key, limit, start, now, window) for key, limit in limits.items()]
    wait = max(waits)
    if wait > 0:
        log.warning("sign_in_throttled", retry_after=wait, by_address=waits[0] > 0)
        raise TooManyAttempts(
            "too many failed sign-ins; try again later",
            [f"authorization: too many wrong tokens, try again in {wait} seconds"],
            retry_after=wait,
        )
    try:
        return check()
    except Unauthenticated:
        with app.uow.throttle() as repo:
            repo.count(list(limits), start, start - window)
        raise


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = window.total_seconds()
    return datetime.fromtimestamp(math.floor(now.timestamp() / seconds) * seconds, UTC)


def _wait(
    counts: dict[tuple[str, datetime], int],
    key: str,
    limit: int,
    start: datetime,
    now: datetime,
    window: timedelta,
) -> int:
    """Seconds until `key` may try again (0: now). The estimate is current + previous *
    (share of the previous window still inside the sliding window)."""
    current = counts.get((key, start), 0)
    previous = counts.get((key, start - window), 0)
    size = window.total_seconds()
    elapsed = (now - start).total_seconds()
    if current + previous * (size - elapsed) / size < limit:
        return 0
    if current >= limit:  # wait out this window, then until its weight falls below the limit
        until = size + size * (1 - limit / current)
    else:  # the previous window's weight must fall below what is left
        until = size * (1 - (limit - current) / previous)
    return max(1, math.floor(until - elapsed) + 1)  # strictly after the limit is met
