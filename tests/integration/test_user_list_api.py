"""GET /users filters as `safe-future user list` does: by organisation and by role, and an
unknown role or organisation is bad input naming the field, not an empty list."""

from __future__ import annotations

import httpx

from engine.api import create_api
from engine.bootstrap import App
from tests.support import ServerThread, seed_region


def test_users_filter_by_organisation_and_role_and_refuse_unknown_ones(app: App) -> None:
    """The administrator lists one shelter's users, one role's, both; a made-up role and
    organisation answer 422 with a reason for each."""
    tokens, _ = seed_region(app)
    auth = {"Authorization": f"Bearer {tokens['root']}"}
    with (
        ServerThread(create_api(app)) as server,
        httpx.Client(base_url=server.url, headers=auth) as api,
    ):

        def ids(**query: str) -> list[str]:
            answer = api.get("/users", params=query)
            assert 200 == answer.status_code, answer.text
            return [u["id"] for u in answer.json()]

        assert ["anna"] == ids(organisation="shelter-a")
        assert ["zc"] == ids(role="coordinator")
        assert ["root"] == ids(organisation="noord", role="admin")
        assert [] == ids(organisation="noord", role="counsellor")
        wrong = api.get("/users", params={"role": "boss", "organisation": "nowhere"})
    assert 422 == wrong.status_code
    reasons = wrong.json()["reasons"]
    assert reasons[0].startswith("role: must be one of counsellor, coordinator,")
    assert "organisation: nowhere is not registered" == reasons[1]
