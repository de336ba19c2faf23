"""Request dependencies: the engine's App and the principal behind the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from engine import accounts, throttle
from engine.access import Principal
from engine.bootstrap import App
from engine.errors import Forbidden

_bearer = HTTPBearer(
    auto_error=False,
    description="your own token (from your enrolment link), or a system's from `token issue`",
)


def get_app(request: Request) -> App:
    app: App = request.app.state.engine
    return app


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    secret = credentials.credentials if credentials else None
    app = get_app(request)
    return throttle.sign_in(
        app, address(request), secret, lambda: accounts.authenticate(app, secret)
    )


def address(request: Request) -> str:
    """The client's address for the rate limits (see `engine.throttle.client_address`)."""
    return throttle.request_address(get_app(request), request)


def get_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal.role != "admin":
        raise Forbidden("not for your role", ["role: only an administrator manages accounts"])
    return principal


AppDep = Annotated[App, Depends(get_app)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
AdminDep = Annotated[Principal, Depends(get_admin)]
