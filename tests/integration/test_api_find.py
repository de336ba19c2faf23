"""Finding cases over HTTP (issue 15, point 1): `GET /cases` answers each role its scope, page
by page; the short id is taken on every case endpoint, and an ambiguous one is a 422."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from tests.integration.test_api import DAY, Api, _problem
from tests.support import ADMIN, ServerThread, enrolled_token

TWIN_1 = "abcd1234-0000-4000-8000-000000000001"
TWIN_2 = "abcd1234-0000-4000-8000-000000000002"


@pytest.fixture
def world(app: App) -> Iterator[dict[str, Api]]:
    """Region noord with shelter a, region zuid with shelter b, a partner abroad; a counsellor
    at each shelter, noord's coordinator, the partner and an administrator."""
    for org, kind, region in (
        ("noord", "region", None), ("zuid", "region", None), ("shelter-a", "shelter", "noord"),
        ("shelter-b", "shelter", "zuid"), ("partner-x", "partner", None),
    ):  # fmt: skip
        accounts.add_organisation(app, org, kind=kind, name=org.title(), region=region, actor=ADMIN)
    people = {
        "anna": ("shelter-a", "counsellor"), "bert": ("shelter-b", "counsellor"),
        "zc": ("noord", "coordinator"), "px": ("partner-x", "partner"), "root": ("noord", "admin"),
    }  # fmt: skip
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        apis = {}
        for user, (org, role) in people.items():
            accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
            apis[user] = Api(client, enrolled_token(app, user))
        yield apis


def _open(api: Api, client: str) -> str:
    body = {"client_ref": client, "kind": "trafficking", "intake_on": str(DAY)}
    response = api.post("/cases", body)
    assert 201 == response.status_code, response.text
    return str(response.json()["id"])


def _ids(response: Any) -> list[str]:
    assert 200 == response.status_code, response.text
    return [item["id"] for item in response.json()["items"]]


def test_get_cases_answers_each_role_its_scope(world: dict[str, Api]) -> None:
    """Counsellors their shelter's, the coordinator her region's without client references,
    the partner only what is offered to it; an administrator is refused."""
    a1, a2 = _open(world["anna"], "A-1"), _open(world["anna"], "A-2")
    b1 = _open(world["bert"], "B-1")
    mine = world["anna"].get("/cases").json()["items"]
    assert {a1, a2} == {i["id"] for i in mine}
    assert {"A-1", "A-2"} == {i["client_ref"] for i in mine}
    assert [a1] == _ids(world["anna"].get("/cases", client_ref="A-1"))
    assert [b1] == _ids(world["bert"].get("/cases"))
    region = world["zc"].get("/cases").json()["items"]
    assert {a1, a2} == {i["id"] for i in region}
    assert all("client_ref" not in i for i in region)
    refused = _problem(world["zc"].get("/cases", client_ref="A-1"), 403)
    assert ["client_ref: only a counsellor of the shelter sees client references"] == (
        refused["reasons"]
    )
    assert [] == _ids(world["px"].get("/cases"))
    assert "forbidden" == _problem(world["root"].get("/cases"), 403)["code"]
    bad = _problem(world["anna"].get("/cases", state="nowhere"), 422)
    assert bad["reasons"][0].startswith("state: 'nowhere' is neither a step nor")


def test_the_cursor_pages_over_more_than_one_page(world: dict[str, Api]) -> None:
    """Five cases in pages of two: three pages, each case once, `next` null on the last."""
    opened = {_open(world["anna"], f"A-{n}") for n in range(5)}
    seen: list[str] = []
    cursor, pages = None, 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = world["anna"].get("/cases", **params).json()
        seen += [i["id"] for i in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert 3 == pages
    assert opened == set(seen) and 5 == len(seen)
    assert "invalid_input" == _problem(world["anna"].get("/cases", cursor="x!"), 422)["code"]


def test_the_short_id_is_taken_on_every_case_endpoint(app: App, world: dict[str, Api]) -> None:
    """show, fire, record, document and timeline by the short id; the audit names the full id;
    another shelter's counsellor gets 404."""
    anna = world["anna"]
    case_id = _open(anna, "A-1")
    short = f"/cases/{case_id[:8]}"
    assert case_id == anna.get(short).json()["id"]
    data = example("risk_analysis", DAY)
    assert 201 == anna.post(f"{short}/documents/risk_analysis", {"data": data}).status_code
    assert 1 == anna.get(f"{short}/documents/risk_analysis").json()["version"]
    fired = anna.post(f"{short}/triggers/start_reflection_period", {"data": {}})
    assert "reflection_period" == fired.json()["residence_state"]
    assert "start_reflection_period" == anna.get(f"{short}/timeline").json()[-1]["trigger"]
    assert 200 == anna.get(f"{short}/timers").status_code
    assert "case_not_found" == _problem(world["bert"].get(short), 404)["code"]
    trail = world["root"].get(f"{short}/audit").json()
    assert {"read", "record:risk_analysis", "read:document:risk_analysis"} <= {
        r["action"] for r in trail
    }
    full = world["root"].get(f"/cases/{case_id}/audit").json()
    assert len(full) > len(trail)  # the same rows, under the full id, and the reads of them


def test_an_ambiguous_short_id_is_a_422_naming_the_cases(app: App, world: dict[str, Api]) -> None:
    """Two of shelter a's cases share their short id: the API names both and reads neither."""
    app.new_id = iter([TWIN_1, TWIN_2]).__next__
    _open(world["anna"], "A-1")
    _open(world["anna"], "A-2")
    problem = _problem(world["anna"].get("/cases/abcd1234"), 422)
    assert "ambiguous_case" == problem["code"]
    assert [f"case: abcd1234 starts the ids of {TWIN_1}, {TWIN_2}; give more of the id"] == (
        problem["reasons"]
    )
    assert TWIN_2 == world["anna"].get(f"/cases/{TWIN_2}").json()["id"]
