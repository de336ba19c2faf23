"""The social map over HTTP: every signed-in role searches and reads it, only an
administrator changes it, bad filters are refused as problem+json naming the allowed values,
and a partner organisation in the accounts points at its entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.store._tables import audit
from tests.integration.test_api import Api
from tests.support import ADMIN, ServerThread, enrolled_token

PEOPLE = {
    "anna": ("shelter-a", "counsellor"), "zc": ("noord", "coordinator"),
    "px": ("partner-x", "partner"), "root": ("noord", "admin"),
}  # fmt: skip


@pytest.fixture
def apis(app: App) -> Iterator[dict[str, Api]]:
    """A region, a shelter, a partner abroad, and a person of each role with a token."""
    for org, kind, region in (
        ("noord", "region", None), ("shelter-a", "shelter", "noord"), ("partner-x", "partner", None)
    ):  # fmt: skip
        accounts.add_organisation(app, org, kind=kind, name=org.title(), region=region, actor=ADMIN)
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        found = {}
        for user, (org, role) in PEOPLE.items():
            accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
            found[user] = Api(client, enrolled_token(app, user))
        found["nobody"] = Api(client, None)
        yield found


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert status == response.status_code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def test_every_role_searches_nigeria_by_code_or_dutch_name(apis: dict[str, Api]) -> None:
    """`GET /socialmap?country=Nigerië&service=shelter&service=psychological` finds COSUDOW,
    for each role, the same as by code."""
    for user in PEOPLE:
        dutch = apis[user].get(
            "/socialmap", country="Nigerië", service=["shelter", "psychological"]
        )
        assert 200 == dutch.status_code, dutch.text
        ids = [i["id"] for i in dutch.json()["items"]]
        assert "ng-cosudow" in ids
        by_code = apis[user].get("/socialmap", country="NG", service=["shelter", "psychological"])
        assert ids == [i["id"] for i in by_code.json()["items"]]
    item = apis["anna"].get("/socialmap/ng-cosudow").json()
    assert ("NG", "Nigeria") == (item["country"], item["country_name"]["en"])
    assert {"bijlage", "line"} <= set(item["source"])


def test_without_a_token_the_map_is_closed(apis: dict[str, Api]) -> None:
    """The map is for signed-in people only."""
    _problem(apis["nobody"].get("/socialmap"), 401)


def test_bad_filters_and_unknown_ids_are_problems_naming_what_is_allowed(
    apis: dict[str, Api],
) -> None:
    """Unknown country 422, unknown service 422 naming the 12 ids, unknown id 404."""
    country = _problem(apis["anna"].get("/socialmap", country="Narnia"), 422)
    assert "NG Nigeria" in country["reasons"][-1]
    service = _problem(apis["anna"].get("/socialmap", service=["food"]), 422)
    assert "airport_pickup, customs_police_assistance, shelter" in service["reasons"][0]
    missing = _problem(apis["anna"].get("/socialmap/xx-nowhere"), 404)
    assert ["id: 'xx-nowhere' is not on the social map"] == missing["reasons"]


def test_only_an_administrator_changes_the_map(apis: dict[str, Api]) -> None:
    """A counsellor's add is 403; the administrator adds, corrects, retires and restores."""
    new = {"id": "ng-new-hope", "name": "New Hope Lagos", "kind": "partner", "country": "NG",
           "services": ["shelter", "financial"]}  # fmt: skip
    refused = _problem(apis["anna"].post("/socialmap", new), 403)
    assert ["role: only an administrator maintains the social map"] == refused["reasons"]
    assert 201 == apis["root"].post("/socialmap", new).status_code
    patched = apis["root"].client.patch(
        "/socialmap/ng-new-hope", headers=apis["root"].headers, json={"services": ["shelter"]}
    )
    assert ["shelter"] == patched.json()["services"]
    assert apis["root"].post("/socialmap/ng-new-hope/retire").json()["retired"]
    assert [] == apis["anna"].get("/socialmap", q="new hope").json()["items"]
    assert not apis["root"].post("/socialmap/ng-new-hope/restore").json()["retired"]
    assert ["ng-new-hope"] == [
        i["id"] for i in apis["zc"].get("/socialmap", q="new hope").json()["items"]
    ]
    bad = _problem(
        apis["root"].post("/socialmap", {**new, "id": "ng-x2", "website": "ftp://x"}), 422
    )
    assert any("website" in r for r in bad["reasons"]), bad


def test_a_partner_organisation_points_at_its_entry(apis: dict[str, Api], app: App) -> None:
    """PUT /organisations/{id}/socialmap links a partner to its entry; a shelter or an id not
    on the map is refused; the change is in the accounts' audit trail."""
    root = apis["root"]
    linked = root.put("/organisations/partner-x/socialmap", {"socialmap_id": "ng-cosudow"})
    assert "ng-cosudow" == linked.json()["socialmap_id"], linked.text
    rows = {o["id"]: o for o in root.get("/organisations").json()}
    assert "ng-cosudow" == rows["partner-x"]["socialmap_id"]
    shelter = _problem(
        root.put("/organisations/shelter-a/socialmap", {"socialmap_id": "ng-cosudow"}), 422
    )
    assert ["socialmap: only a partner organisation points at a social-map entry"] == shelter[
        "reasons"
    ]
    unknown = _problem(
        root.put("/organisations/partner-x/socialmap", {"socialmap_id": "xx-no"}), 422
    )
    assert ["socialmap: 'xx-no' is not on the social map (socialmap search)"] == unknown["reasons"]
    _problem(apis["anna"].put("/organisations/partner-x/socialmap", {"socialmap_id": None}), 403)
    assert (
        None
        is root.put("/organisations/partner-x/socialmap", {"socialmap_id": None}).json()[
            "socialmap_id"
        ]
    )
    with app.db.connect() as conn:
        actions = conn.execute(
            select(audit.c.actor, audit.c.action).where(audit.c.case_id == "accounts")
        ).all()
    assert 2 == actions.count(("person:root", "organisation:socialmap:partner-x"))
    added = accounts.add_organisation(
        app, "partner-y", kind="partner", name="Partner Y", socialmap_id="ng-cosudow", actor=ADMIN
    )
    assert "ng-cosudow" == added["socialmap_id"]
