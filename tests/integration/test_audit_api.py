"""The audit endpoints: an administrator reads any case's audit, a privacy officer her own
organisation's; nobody else, and no case outside that scope (404, as everywhere). The audit
holds who, when and what was done, never the contents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from engine import accounts, audit
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from tests.support import ADMIN, ServerThread, enrolled_token


class Api:
    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path, headers=self.headers)


@pytest.fixture
def world(app: App) -> Iterator[tuple[dict[str, Api], dict[str, str]]]:
    """Two shelters in two regions with a case each (opened over the API, a document recorded
    and read, the case read), a
    counsellor, a privacy officer at each shelter, the north's coordinator and an admin."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(app, "zuid", kind="region", name="Regio Zuid", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_organisation(
        app, "shelter-b", kind="shelter", name="Shelter B", region="zuid", actor=ADMIN
    )
    people = {
        "anna": ("shelter-a", "counsellor"), "bert": ("shelter-b", "counsellor"),
        "po-a": ("shelter-a", "privacy_officer"), "po-b": ("shelter-b", "privacy_officer"),
        "zc": ("noord", "coordinator"), "root": ("noord", "admin"),
    }  # fmt: skip
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        apis = {}
        for user, (org, role) in people.items():
            accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
            apis[user] = Api(client, enrolled_token(app, user))
        cases = {}
        for user, ref in (("anna", "CLIENT-A-1"), ("bert", "CLIENT-B-1")):
            body = {"client_ref": ref, "kind": "trafficking", "intake_on": "2026-01-05"}
            opened = client.post("/cases", json=body, headers=apis[user].headers)
            cases[user] = opened.json()["id"]
            document = {"data": example("risk_analysis", date(2026, 1, 5))}
            path = f"/cases/{cases[user]}/documents/risk_analysis"
            client.post(path, json=document, headers=apis[user].headers)
            apis[user].get(f"/cases/{cases[user]}/documents/risk_analysis")
            apis[user].get(f"/cases/{cases[user]}")
        yield apis, cases


def _status(api: Api, path: str) -> int:
    response = api.get(path)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    return response.status_code


def test_who_may_read_a_cases_audit(world: tuple[dict[str, Api], dict[str, str]]) -> None:
    """Admin: every case; privacy officer: her shelter's cases; counsellor, coordinator and
    the other shelter's officer: 404 as if the case did not exist; an absent case: 404."""
    apis, cases = world
    a, b = (f"/cases/{cases[u]}/audit" for u in ("anna", "bert"))
    seen = {user: [_status(api, a), _status(api, b)] for user, api in apis.items()}
    assert {
        "anna": [404, 404], "bert": [404, 404], "po-a": [200, 404], "po-b": [404, 200],
        "zc": [404, 404], "root": [200, 200],
    } == seen  # fmt: skip
    assert 404 == _status(apis["root"], "/cases/00000000-0000-0000-0000-000000000000/audit")


def test_the_audit_says_who_and_when_never_the_contents(
    world: tuple[dict[str, Api], dict[str, str]], app: App
) -> None:
    """The privacy officer sees each read and change with actor and time, no client
    reference or document data; she reads no case itself; her reads are audited too."""
    apis, cases = world
    response = apis["po-a"].get(f"/cases/{cases['anna']}/audit")
    rows: list[dict[str, Any]] = response.json()
    assert [
        (1, "person:anna", "open"), (2, "person:anna", "record:risk_analysis"),
        (3, "person:anna", "read:document:risk_analysis"), (4, "person:anna", "read"),
    ] == [(r["seq"], r["actor"], r["action"]) for r in rows]  # fmt: skip
    assert {"seq", "at", "actor", "action"} == set(rows[0])
    assert ("CLIENT-A-1" not in response.text, "threat" not in response.text) == (True, True)
    assert 404 == _status(apis["po-a"], f"/cases/{cases['anna']}")
    apis["po-b"].get(f"/cases/{cases['anna']}/audit")
    trail = audit.trail(app, cases["anna"], actor="cli:auditor")
    assert [
        ("person:po-a", "read:audit"),
        ("person:po-a", "denied:read"),
        ("person:po-b", "denied:read:audit"),
    ] == [(r["actor"], r["action"]) for r in trail[4:7]]


def test_verify_over_the_api_names_breaks_of_a_case_in_scope(
    world: tuple[dict[str, Api], dict[str, str]], app: App
) -> None:
    """GET /cases/{id}/audit/verify: intact, then the changed row by seq; out of scope 404."""
    apis, cases = world
    path = f"/cases/{cases['anna']}/audit/verify"
    assert {"ok": True, "broken": []} == {
        k: v for k, v in apis["po-a"].get(path).json().items() if k != "checked"
    }
    with app.db.begin() as conn:
        conn.execute(text("UPDATE audit SET actor = 'person:x' WHERE seq = 1 AND case_id = :c"),
                     {"c": cases["anna"]})  # fmt: skip
    answer = apis["root"].get(path).json()
    assert (False, [{"case_id": cases["anna"], "seq": 1, "what": "audit row changed (hash "
                     "does not match)"}]) == (answer["ok"], answer["broken"])  # fmt: skip
    assert 404 == _status(apis["po-b"], path)
    assert 404 == _status(apis["anna"], path)
