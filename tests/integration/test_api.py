"""The HTTP API served by uvicorn on 127.0.0.1 over the real database: every endpoint, each
role's scope, refusals as problem+json, tokens and the calendar feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import select

from engine import accounts, service
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from engine.i18n import LANGS
from engine.store._tables import audit, tokens
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

PARTNER = "partner-x"
PARTNER_NAME = "Example Partner Foundation"
DAY = date(2026, 1, 5)  # the fixed clock's day, and the intake of the cases opened here


class Api:
    """A client that speaks as one token."""

    def __init__(self, client: httpx.Client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, headers=self.headers, params=params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(path, headers=self.headers, json=body or {})

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, headers=self.headers, json=body)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def world(app: App) -> Iterator[dict[str, Api]]:
    """Two regions, two shelters, a partner abroad; a counsellor at each shelter, the north's
    coordinator, the partner and an administrator, each with an API token."""
    for org, kind, name, region in (
        ("noord", "region", "Regio Noord", None), ("zuid", "region", "Regio Zuid", None),
        ("shelter-a", "shelter", "Shelter A", "noord"),
        ("shelter-b", "shelter", "Shelter B", "zuid"),
        (PARTNER, "partner", PARTNER_NAME, None),
    ):  # fmt: skip
        accounts.add_organisation(app, org, kind=kind, name=name, region=region, actor=ADMIN)
    people = {
        "anna": ("shelter-a", "counsellor"), "ben": ("shelter-a", "counsellor"),
        "bert": ("shelter-b", "counsellor"), "zc": ("noord", "coordinator"),
        "px": ("partner-x", "partner"), "root": ("noord", "admin"),
    }  # fmt: skip
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        apis = {}
        for user, (org, role) in people.items():
            accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
            apis[user] = Api(client, enrolled_token(app, user))
        apis["nobody"] = Api(client, None)
        yield apis


def _open(api: Api, client: str = "A-1", **extra: Any) -> dict[str, Any]:
    response = api.post(
        "/cases",
        {"client_ref": client, "kind": "trafficking", "intake_on": "2026-01-05", **extra},
    )
    assert 201 == response.status_code, response.json()
    return dict(response.json())


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert status == response.status_code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert {"type", "title", "status", "detail", "code", "reasons"} <= set(body)
    return body


def test_a_counsellor_uses_every_case_endpoint(world: dict[str, Api]) -> None:
    """Open, refuse then fire, record and read a document, assign, timeline, timers, the
    diagrams and the overdue list, through the API as the case's counsellor."""
    anna = world["anna"]
    case = _open(anna, counsellor="anna")
    cid = case["id"]
    assert ("shelter-a", "anna", "A-1") == (case["organisation"], case["counsellor"],
                                            case["client_ref"])  # fmt: skip
    refused = _problem(anna.post(f"/cases/{cid}/triggers/complete", {}), 409)
    assert any("risk_analysis" in r or "Risk" in r for r in refused["reasons"])
    for kind in ("risk_analysis", "safety_plan"):
        assert (
            201
            == anna.post(f"/cases/{cid}/documents/{kind}", {"data": example(kind, DAY)}).status_code
        )
    fired = anna.post(f"/cases/{cid}/triggers/complete", {})
    assert (200, "first_counselling") == (fired.status_code, fired.json()["state"])
    doc = anna.get(f"/cases/{cid}/documents/safety_plan").json()
    assert (1, example("safety_plan")["measures"]) == (doc["version"], doc["data"]["measures"])
    assert "ben" == anna.put(f"/cases/{cid}/counsellor", {"counsellor": "ben"}).json()["counsellor"]
    unknown = _problem(anna.put(f"/cases/{cid}/counsellor", {"counsellor": "bert"}), 422)
    assert unknown["reasons"][0].startswith("counsellor: bert is not an active counsellor")
    timeline = anna.get(f"/cases/{cid}/timeline").json()
    assert ["open", "record", "record", "complete", "assign_counsellor"] == [
        e["trigger"] for e in timeline
    ]
    assert {"person:anna"} == {e["actor"] for e in timeline}
    kinds = {t["kind"] for t in anna.get(f"/cases/{cid}/timers").json()}
    assert "first_counselling_due" in kinds
    diagram = anna.get(f"/cases/{cid}/diagram").text
    assert diagram.startswith("flowchart") and "first_counselling" in diagram
    assert "digraph" in anna.get("/workflow/diagram", format="dot").text
    late = anna.get("/overdue", at="2026-03-01T12:00:00+01:00").json()
    assert {cid} == {i["case_id"] for i in late["items"]}
    assert {"shelter-a": len(late["items"])} == late["counts"]
    days = [i["days_overdue"] for i in late["items"]]
    assert days == sorted(days, reverse=True)


def test_the_documented_answers_keep_everything_the_engine_gives(
    world: dict[str, Api], app: App
) -> None:
    """The response models of the OpenAPI schema filter what is sent: they must not drop a
    field the engine gives, nor change how times are written."""
    anna, zc = world["anna"], world["zc"]
    cid = _open(anna, counsellor="anna")["id"]
    anna.post(f"/cases/{cid}/documents/risk_analysis", {"data": example("risk_analysis", DAY)})
    at = "2026-03-01T12:00:00+01:00"
    assert (
        service.show(app, cid, actor="cli:test", at=datetime.fromisoformat(at))
        == anna.get(f"/cases/{cid}", at=at).json()
    )
    assert service.timeline(app, cid, actor="cli:test") == anna.get(f"/cases/{cid}/timeline").json()
    late = service.overdue(app, service.OverdueQuery(at=datetime.fromisoformat(at)))
    assert late == anna.get("/overdue", at=at).json()["items"]
    seen = set(zc.get(f"/cases/{cid}").json())
    assert set(service.show(app, cid, actor="cli:test")) - {"client_ref", "facts"} == seen


def test_outside_ones_scope_a_case_does_not_exist(world: dict[str, Api], app: App) -> None:
    """Another shelter's counsellor, a coordinator of another region, a partner it was not
    handed to and an administrator all get 404 on every case endpoint; each try is audited."""
    cid = _open(world["anna"])["id"]
    paths = [f"/cases/{cid}", f"/cases/{cid}/timeline", f"/cases/{cid}/timers",
             f"/cases/{cid}/documents/consent", f"/cases/{cid}/diagram"]  # fmt: skip
    for who in ("bert", "px", "root"):
        for path in paths:
            _problem(world[who].get(path), 404)
        _problem(world[who].post(f"/cases/{cid}/triggers/complete", {}), 404)
    assert _problem(world["bert"].get("/cases/no-such-case"), 404)["code"] == "case_not_found"
    with app.db.connect() as conn:
        actors = set(
            conn.execute(select(audit.c.actor).where(audit.c.action.like("denied:%"))).scalars()
        )
    assert {"person:bert", "person:px", "person:root"} == actors


def test_a_coordinator_reads_her_region_without_client_or_contents(
    world: dict[str, Api],
) -> None:
    """The north's coordinator sees shelter A's case (no client reference, no facts, no
    document contents, no event data), cannot change it, and her overdue list holds only her
    region's organisations, with a count per organisation."""
    cid = _open(world["anna"])["id"]
    _open(world["bert"], client="B-1")
    zc = world["zc"]
    view = zc.get(f"/cases/{cid}").json()
    assert "client_ref" not in view and "facts" not in view and [] == view["triggers"]
    assert all(e["data"] == {} for e in zc.get(f"/cases/{cid}/timeline").json())
    _problem(zc.get(f"/cases/{cid}/documents/risk_analysis"), 403)
    _problem(zc.post(f"/cases/{cid}/triggers/withdraw", {}), 403)
    _problem(
        zc.post(f"/cases/{cid}/documents/risk_analysis", {"data": example("risk_analysis", DAY)}),
        403,
    )
    opening = {"client_ref": "C-1", "organisation": "shelter-a", "kind": "trafficking",
               "intake_on": "2026-01-05"}  # fmt: skip
    _problem(zc.post("/cases", opening), 403)
    late = zc.get("/overdue", at="2026-03-01T12:00:00+01:00").json()
    assert {"shelter-a"} == {i["organisation"] for i in late["items"]} == set(late["counts"])
    assert (
        []
        == zc.get("/overdue", at="2026-03-01T12:00:00+01:00", organisation="shelter-b").json()[
            "items"
        ]
    )
    only = zc.get(
        "/overdue", at="2026-03-01T12:00:00+01:00", kind="step_overdue", min_days=20
    ).json()
    assert {"step_overdue"} == {i["kind"] for i in only["items"]}
    assert all(i["days_overdue"] >= 20 for i in only["items"])


def test_a_partner_sees_only_handed_over_cases_and_consented_documents(
    world: dict[str, Api], case: CaseDriver
) -> None:
    """Before the hand-over the case does not exist for the partner; after departure with her
    consent it sees the case, reads the documents she consented to share (not others), records
    its contacts; once she withdraws her consent the case is gone for it again."""
    case.open(org="shelter-a")
    px = world["px"]
    _problem(px.get(f"/cases/{case.id}"), 404)
    case.to_departure()
    case.record("consent", partner_organisation=PARTNER)
    case.record("handover_checklist")
    case.hand_over(PARTNER)
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    view = px.get(f"/cases/{case.id}").json()
    assert {"return_plan", "risk_update"} >= {d["kind"] for d in view["documents"]}
    assert "client_ref" not in view and view["residence_state"] is None
    assert view["timers"] and {t["kind"] for t in view["timers"]} <= {
        "arrival_confirmation",
        "contact_1_month",
        "report_6_months",
        "report_12_months",
    }
    assert "return_plan" == px.get(f"/cases/{case.id}/documents/return_plan").json()["kind"]
    refused = _problem(px.get(f"/cases/{case.id}/documents/risk_analysis"), 403)
    assert "did not consent" in refused["reasons"][0]
    contact = {**example("contact"), "took_place_on": str(case.today)}
    assert 201 == px.post(f"/cases/{case.id}/documents/contact", {"data": contact}).status_code
    # it works the re-integration steps (issue 13), but ends or closes nothing of the shelter's
    _problem(px.post(f"/cases/{case.id}/triggers/withdraw", {"data": {"reason": "other"}}), 403)
    records = px.get(f"/cases/{case.id}/timeline").json()
    assert {"return_plan", "risk_update", "contact"} >= {e["data"]["kind"] for e in records}
    case.record(
        "consent", partner_organisation=PARTNER, withdrawn=True, withdrawn_on=str(case.today)
    )
    _problem(px.get(f"/cases/{case.id}"), 404)


def test_tokens_are_needed_checked_and_revocable(world: dict[str, Api], app: App) -> None:
    """No token, an unknown one, a revoked one or a deactivated user's: 401, saying nothing
    more; accounts are the administrator's alone; a token's secret is never listed."""
    _problem(world["nobody"].get("/me"), 401)
    assert "Bearer" == world["nobody"].get("/me").headers["www-authenticate"]
    _problem(Api(world["anna"].client, "sfe_made-up").get("/me"), 401)
    root = world["root"]
    system = {"id": "crm-a", "organisation": "shelter-a", "role": "counsellor", "kind": "system"}
    assert 201 == root.post("/users", system).status_code
    made = root.post("/users/crm-a/tokens", {"label": "crm"}).json()
    fresh = Api(root.client, made["token"])
    assert "crm-a" == fresh.get("/me").json()["user_id"]
    listed = root.get("/users/crm-a/tokens").json()
    assert all("token" not in t and "digest" not in t for t in listed)
    assert 204 == root.delete(f"/tokens/{made['id']}").status_code
    _problem(fresh.get("/me"), 401)
    assert 200 == world["ben"].get("/me").status_code
    assert 204 == root.post("/users/ben/deactivate").status_code
    _problem(world["ben"].get("/me"), 401)
    _problem(world["anna"].post("/organisations", {"id": "x", "kind": "region", "name": "X"}), 403)
    _problem(world["anna"].get("/users"), 403)
    bad = _problem(root.post("/users", {"id": "Jane Doe", "organisation": "noord",
                                        "role": "counsellor"}), 422)  # fmt: skip
    assert any(r.startswith("id:") for r in bad["reasons"])
    assert any(r.startswith("role: a counsellor belongs to a shelter") for r in bad["reasons"])
    assert {"noord", "zuid", "shelter-a", "shelter-b", "partner-x"} == {
        o["id"] for o in root.get("/organisations").json()
    }


def test_bad_input_is_a_problem_naming_the_field(world: dict[str, Api]) -> None:
    """A malformed body or query answers 422 problem+json naming the field; nothing is made."""
    anna = world["anna"]
    bad = _problem(anna.post("/cases", {"client_ref": "A-1", "kind": "burglary",
                                        "intake_on": "someday"}), 422)  # fmt: skip
    assert any(r.startswith("kind:") for r in bad["reasons"])
    assert any(r.startswith("intake_on:") for r in bad["reasons"])
    _problem(anna.get("/overdue", min_days=0), 422)
    assert [] == anna.get("/overdue").json()["items"]


def test_the_calendar_feed_holds_a_counsellors_own_deadlines(
    world: dict[str, Api], app: App
) -> None:
    """A counsellor's secret feed URL gives an iCalendar with one all-day event per open
    deadline of her own cases (not her colleague's), naming no client; a new URL retires the
    old one."""
    anna = world["anna"]
    mine = _open(anna, client="A-1", counsellor="anna")["id"]
    anna.post(
        f"/cases/{mine}/triggers/start_reflection_period", {"data": {"started_on": "2026-01-05"}}
    )
    _open(anna, client="A-2", counsellor="ben")
    app.settings = app.settings.model_copy(update={"public_url": "https://sfe.example"})
    url = anna.post("/me/calendar").json()["url"]
    assert url.startswith("https://sfe.example/calendar/sfc_")
    path = httpx.URL(url).path
    feed = anna.client.get(path)
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert {str(e["categories"].cats[0]) for e in events} >= {"reflection_period_end",
                                                             "first_counselling_due"}  # fmt: skip
    assert all(mine[:8] in str(e["summary"]) for e in events)
    reflection = next(e for e in events if "reflection_period_end" in e["categories"].cats)
    assert "2026-04-05" == reflection.decoded("dtstart").isoformat()
    assert b"A-1" not in feed.content
    anna.post("/me/calendar")
    assert 401 == anna.client.get(path).status_code
    _problem(world["zc"].client.get("/calendar/sfc_not-a-feed.ics"), 401)


def _calendar_tokens(app: App) -> list[tuple[str, str]]:
    with app.db.connect() as conn:
        rows = conn.execute(select(tokens.c.user_id, tokens.c.purpose)).all()
    return sorted((user, purpose) for user, purpose in rows if purpose == "calendar")


def test_the_calendar_url_comes_from_the_public_url_never_the_host_header(
    world: dict[str, Api], app: App
) -> None:
    """Without SAFE_FUTURE_PUBLIC_URL no feed URL is handed out (409 naming the setting, no
    secret made); with it, the URL starts there whatever Host the request carries."""
    anna = world["anna"]
    refused = _problem(anna.post("/me/calendar"), 409)
    assert ["SAFE_FUTURE_PUBLIC_URL"] == [r.split(":")[0] for r in refused["reasons"]]
    assert [] == _calendar_tokens(app)
    app.settings = app.settings.model_copy(update={"public_url": "https://sfe.example"})
    answer = anna.client.post("/me/calendar", headers={**anna.headers, "Host": "evil.example"})
    assert 200 == answer.status_code
    assert answer.json()["url"].startswith("https://sfe.example/calendar/sfc_")


def test_only_counsellors_get_a_calendar_secret(world: dict[str, Api], app: App) -> None:
    """A coordinator, a partner or an administrator asking for a feed gets 403, and no
    calendar secret is made for them."""
    app.settings = app.settings.model_copy(update={"public_url": "https://sfe.example"})
    for who in ("zc", "px", "root"):
        _problem(world[who].post("/me/calendar"), 403)
    assert [] == _calendar_tokens(app)
    assert 200 == world["anna"].post("/me/calendar").status_code
    assert [("anna", "calendar")] == _calendar_tokens(app)


def test_a_refused_triggers_reason_speaks_the_accept_language(world: dict[str, Api]) -> None:
    """Issue 14 point 7: the problem's title, detail and reasons are Dutch when the client asks
    for Dutch (by q-weight), English without Accept-Language (the contract's examples)."""
    anna = world["anna"]
    cid = _open(anna)["id"]
    path = f"/cases/{cid}/triggers/choose_stay"

    def refused(accept: str | None) -> dict[str, Any]:
        headers = {**anna.headers, **({"Accept-Language": accept} if accept else {})}
        return _problem(anna.client.post(path, headers=headers, json={}), 409)

    english = "choose_stay is not possible from Basic needs and safety (basic_needs_safety)"
    dutch = (
        "choose_stay is niet mogelijk vanuit Eerste behoeften en veiligheid (basic_needs_safety)"
    )
    assert ([english], english) == (refused(None)["reasons"], refused(None)["detail"])
    nl = refused("en;q=0.5, nl-NL")
    assert ([dutch], dutch, "choose_stay is nu niet mogelijk") == (
        nl["reasons"],
        nl["detail"],
        nl["title"],
    )
    assert "trigger_refused" == nl["code"]  # the code stays an id, whatever the language
    assert [english] == refused("de, en;q=0.9, nl;q=0.1")["reasons"]


def test_the_diagrams_speak_every_catalog_language_and_refuse_others(
    world: dict[str, Api],
) -> None:
    """Issue 14 point 7: the diagram endpoints take the languages of the catalogs
    (`engine.i18n.LANGS`), and `?lang=` naming another is bad input that names them."""
    anna = world["anna"]
    cid = _open(anna, counsellor="anna")["id"]
    for lang in LANGS:
        assert 200 == anna.get("/workflow/diagram", lang=lang).status_code
        assert 200 == anna.get(f"/cases/{cid}/diagram", lang=lang).status_code
    assert "Eerste behoeften en veiligheid" in anna.get("/workflow/diagram", lang="nl").text
    for path in ("/workflow/diagram", f"/cases/{cid}/diagram"):
        refused = _problem(anna.get(path, lang="xx"), 422)
        assert [f"lang: 'xx' is not a language of the labels; use {'|'.join(LANGS)}"] == (
            refused["reasons"]
        )
