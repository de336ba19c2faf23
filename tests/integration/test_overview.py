"""The coordinator's overview through the real HTTP server and database: the overdue list
judged on another day, paged with a cursor, as CSV, with what each step still misses, an
unknown kind refused; and `/overview` (deadlines coming up, cases without a counsellor,
open cases per step and shelter), each within the caller's scope and audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from engine import service
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from engine.store._tables import audit, cases
from tests.support import ACTOR, REGION_CASES, ServerThread, seed_region

TODAY = date(2026, 1, 5)  # the fixed clock's day
NOORD = {c for c, org, _, _ in REGION_CASES if org in ("shelter-a", "shelter-c")}


class Api:
    """A client that speaks as one token."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, lang: str | None = None, **params: Any) -> httpx.Response:
        headers = {**self.headers, **({"Accept-Language": lang} if lang else {})}
        return self.client.get(path, headers=headers, params=params)


@pytest.fixture
def region(app: App) -> Iterator[tuple[dict[str, Api], dict[str, str]]]:
    """The seeded region (two shelters in the north, one in the south) and, in shelter A,
    a case opened today whose deadlines are still ahead; an API client per person."""
    tokens, ids = seed_region(app)
    fresh = service.open_case(
        app, client_ref="CLIENT-A-NEW", organisation="shelter-a", kind="trafficking",
        intake_on=TODAY, counsellor="anna", actor=ACTOR,
    )  # fmt: skip
    ids["CLIENT-A-NEW"] = fresh["id"]
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        yield {user: Api(client, token) for user, token in tokens.items()}, ids


def _ok(response: httpx.Response) -> Any:
    assert 200 == response.status_code, response.text
    return response.json()


def _all_pages(api: Api, cursor: str | None = None, **params: Any) -> list[list[dict[str, Any]]]:
    pages = []
    while True:
        body = _ok(api.get("/overdue", **params, **({"cursor": cursor} if cursor else {})))
        pages.append(body["items"])
        cursor = body["next"]
        if cursor is None:
            return pages


def test_the_cursor_pages_through_the_whole_list_once(region: Any) -> None:
    """Pages of 3 hold every overdue item of the region exactly once, in the order of the
    one-page list, and the counts on each page cover all pages."""
    people, _ids = region
    zc = people["zc"]
    whole = _ok(zc.get("/overdue", limit=100))
    pages = _all_pages(zc, limit=3)
    assert [3, 3, 3, 1] == [len(p) for p in pages]
    paged = [(i["case_id"], i["kind"]) for p in pages for i in p]
    assert [(i["case_id"], i["kind"]) for i in whole["items"]] == paged
    assert {"shelter-a": 6, "shelter-c": 4} == whole["counts"]
    assert whole["next"] is None
    bad = zc.get("/overdue", cursor="not-a-cursor")
    assert 422 == bad.status_code
    assert bad.json()["reasons"][0].startswith("cursor:")


def test_paging_goes_on_where_it_was_when_cases_change_in_between(region: Any, app: App) -> None:
    """A case opened between two pages, more overdue than any listed, lands before the cursor:
    the pages after the first go on where it stopped, repeating and skipping nothing."""
    people, _ids = region
    zc = people["zc"]
    before = [(i["case_id"], i["kind"]) for i in _ok(zc.get("/overdue"))["items"]]
    first = _ok(zc.get("/overdue", limit=4))
    service.open_case(
        app, client_ref="CLIENT-A-OLD", organisation="shelter-a", kind="trafficking",
        intake_on=date(2025, 6, 2), counsellor="anna", actor=ACTOR,
    )  # fmt: skip
    rest = _all_pages(zc, limit=4, cursor=first["next"])
    assert before == [(i["case_id"], i["kind"]) for p in [first["items"], *rest] for i in p]
    assert 12 == len(_ok(zc.get("/overdue"))["items"])


def test_at_judges_another_day_from_a_date_or_a_datetime(region: Any) -> None:
    """`at` as a date is that day, as a datetime its local day: two months on, every item
    is 57 days later and the fresh case's deadlines have become overdue too."""
    people, ids = region
    anna = people["anna"]
    now = {(i["case_id"], i["kind"]): i["days_overdue"] for i in _ok(anna.get("/overdue"))["items"]}
    later = _ok(anna.get("/overdue", at="2026-03-03"))["items"]
    assert later == _ok(anna.get("/overdue", at="2026-03-03T08:00:00"))["items"]
    moved = {(i["case_id"], i["kind"]): i["days_overdue"] for i in later}
    assert {k: d + 57 for k, d in now.items()} == {k: moved[k] for k in now}
    assert {"first_counselling_due", "step_overdue"} <= {
        kind for case_id, kind in moved if case_id == ids["CLIENT-A-NEW"]
    }
    wrong = anna.get("/overdue", at="next tuesday")
    assert 422 == wrong.status_code
    assert wrong.json()["reasons"][0].startswith("at: 'next tuesday' is not an ISO date")


def test_an_unknown_kind_is_refused_naming_the_allowed_ones(region: Any) -> None:
    """`kind=bogus` is a 422 that names the field and lists the kinds, not an empty list."""
    people, _ids = region
    answer = people["zc"].get("/overdue", kind="bogus")
    assert 422 == answer.status_code
    (reason,) = answer.json()["reasons"]
    assert reason.startswith("kind: bogus unknown; use ")
    assert {"step_overdue", "first_counselling_due"} <= set(reason.split("use ")[1].split("|"))


def test_each_item_says_what_the_step_still_misses(region: Any, app: App) -> None:
    """Step 1 needs a risk analysis and a safety plan: once the risk analysis is recorded,
    that case's items miss only the safety plan, in words; the other cases miss both."""
    people, ids = region
    case_id = ids["CLIENT-A-1"]
    service.record(app, case_id, "risk_analysis", example("risk_analysis", TODAY), actor=ACTOR)
    items = _ok(people["zc"].get("/overdue"))["items"]
    missing = {i["case_id"]: [m["kind"] for m in i["missing"]] for i in items}
    assert ["safety_plan"] == missing[case_id]
    assert ["risk_analysis", "safety_plan"] == missing[ids["CLIENT-C-1"]]
    first = next(i for i in items if i["case_id"] == case_id)
    assert {"en": "Safety plan", "nl": "Veiligheidsplan"} == first["missing"][0]["label"]


def test_the_overdue_list_as_csv_in_the_readers_language(region: Any) -> None:
    """`format=csv` gives text/csv with a Dutch header for a Dutch reader, one row per item
    with the shelter's name and what is missing, and never a client reference."""
    people, ids = region
    answer = people["zc"].get("/overdue", lang="nl", format="csv")
    assert 200 == answer.status_code
    assert answer.headers["content-type"].startswith("text/csv")
    assert "nl" == answer.headers["content-language"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert ["Casus", "Organisatie", "Stap of termijn", "Stap", "Uiterlijk", "Dagen te laat",
            "Begeleider", "Nog nodig"] == rows[0]  # fmt: skip
    assert 10 == len(rows) - 1
    assert {"Opvang Anemoon", "Opvang Cypres"} == {r[1] for r in rows[1:]}
    assert {ids[c][:8] for c in NOORD} == {r[0] for r in rows[1:]}
    assert {"Risicoanalyse; Veiligheidsplan"} == {r[7] for r in rows[1:]}
    assert "CLIENT-" not in answer.text
    paged = people["zc"].get("/overdue", format="csv", limit=4)
    assert 5 == len(list(csv.reader(io.StringIO(paged.text))))
    assert paged.headers["next-cursor"]


def test_the_overview_gives_coming_deadlines_unassigned_cases_and_counts(
    region: Any, app: App
) -> None:
    """The coordinator's overview of her region: the fresh case's two deadlines within two
    weeks (none of the south), the case without a counsellor, and open cases per shelter
    and step; every case it lists is audited as read by her."""
    people, ids = region
    view = _ok(people["zc"].get("/overview"))
    fresh = ids["CLIENT-A-NEW"]
    assert [(fresh, "first_counselling_due", 7), (fresh, "step_due", 14)] == [
        (i["case_id"], i["kind"], i["days_left"]) for i in view["upcoming"]
    ]
    assert ["risk_analysis", "safety_plan"] == [m["kind"] for m in view["upcoming"][0]["missing"]]
    assert [ids["CLIENT-A-3"]] == [c["case_id"] for c in view["without_counsellor"]]
    assert (TODAY - date(2025, 12, 1)).days == view["without_counsellor"][0]["days_waiting"]
    assert [("shelter-a", "basic_needs_safety", 4), ("shelter-c", "basic_needs_safety", 2)] == [
        (c["organisation"], c["state"], c["open"]) for c in view["counts"]
    ]
    assert "CLIENT-" not in str(view)
    one_week = _ok(people["zc"].get("/overview", weeks=1))["upcoming"]
    assert ["first_counselling_due"] == [i["kind"] for i in one_week]
    later = _ok(people["zc"].get("/overview", weeks=1, at="2026-01-13"))
    assert ("2026-01-13", [("step_due", 6)]) == (
        later["as_of"],
        [(i["kind"], i["days_left"]) for i in later["upcoming"]],
    )
    with app.db.connect() as conn:
        read = conn.execute(
            select(audit.c.case_id).where(
                audit.c.action == "read:overview", audit.c.actor == "person:zc"
            )
        ).scalars()
        assert {fresh, ids["CLIENT-A-3"]} == set(read)


def test_the_overview_keeps_to_each_roles_scope(region: Any) -> None:
    """A counsellor sees her own shelter only, the coordinator the shelters of her region
    (asking for another region's shelter gives nothing), a partner and an administrator
    are refused; a bad `weeks` is a 422 naming it."""
    people, _ids = region
    anna = _ok(people["anna"].get("/overview"))
    assert {"shelter-a"} == {c["organisation"] for c in anna["counts"]}
    bert = _ok(people["bert"].get("/overview"))
    assert {"shelter-b"} == {c["organisation"] for c in bert["counts"]}
    assert [] == bert["without_counsellor"]
    south = _ok(people["zc"].get("/overview", organisation="shelter-b"))
    assert ([], [], []) == (south["counts"], south["upcoming"], south["without_counsellor"])
    assert 403 == people["px"].get("/overview").status_code
    assert 403 == people["root"].get("/overview").status_code
    bad = people["zc"].get("/overview", weeks=0)
    assert 422 == bad.status_code and "weeks" in bad.text


def test_a_case_in_a_step_the_workflow_file_does_not_know_is_listed_by_its_id(
    app: App, region: Any
) -> None:
    """A case opened with an older workflow file whose step the loaded file dropped is named
    by its step id in the overdue list and the overview: one such case does not turn the
    coordinator's whole list into an error."""
    people, ids = region
    with app.uow.begin() as repo:
        repo.conn.execute(
            update(cases).where(cases.c.id == ids["CLIENT-A-NEW"]).values(state="retired_step")
        )
    coming = _ok(people["zc"].get("/overview", weeks=4))["upcoming"]
    mine = [i for i in coming if i["case_id"] == ids["CLIENT-A-NEW"]]
    assert mine and {"retired_step"} == {i["step_label"]["nl"] for i in mine}
    counts = _ok(people["zc"].get("/overview"))["counts"]
    assert any(
        c["state"] == "retired_step" and c["step_label"]["en"] == "retired_step" for c in counts
    )
    late = _ok(people["zc"].get("/overdue", at="2027-01-05", limit=500))["items"]
    assert any(i["case_id"] == ids["CLIENT-A-NEW"] and i["step"] == "retired_step" for i in late)
