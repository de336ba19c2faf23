"""Absurd input over HTTP (issue 11 point 4; review findings 6 and 8): every input the review
found giving a 500 now answers problem+json 4xx naming the field and the rule, changing
nothing, and implausible dates are refused where they were accepted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from engine import accounts, service
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from engine.store._tables import cases, documents, events
from tests.support import ADMIN, ServerThread, enrolled_token

TODAY = date(2026, 1, 5)  # the fixed clock's day
OUTSIDE = "lies outside the years 1900-2199"


class Anna:
    """A counsellor's token on the served API, and one case of hers opened today."""

    def __init__(self, app: App, client: httpx.Client, token: str) -> None:
        self.app = app
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.case_id = service.open_case(
            app, client_ref="A-1", organisation="shelter-a", kind="trafficking",
            intake_on=TODAY, actor="counsellor:test",
        )["id"]  # fmt: skip

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        path = path.replace("{id}", self.case_id)
        return self.client.request(method, path, headers=self.headers, json=body, params=params)

    def state(self) -> list[int]:
        """How many cases, events and documents there are: a refusal adds none."""
        with self.app.db.connect() as conn:
            return [conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (cases, events, documents)]  # fmt: skip


@pytest.fixture
def anna(app: App) -> Iterator[Anna]:
    """The API served over the test database, with a counsellor and her case."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role="counsellor", actor=ADMIN)
    token = enrolled_token(app, "anna")
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as client:
        yield Anna(app, client, token)


def _open(**changes: Any) -> dict[str, Any]:
    return {"client_ref": "B-1", "kind": "trafficking", "intake_on": str(TODAY), **changes}


# The review's ten inputs that gave 500 (finding 6), each with a rule its answer must name.
FINDING_6 = [
    ("POST", "/cases", _open(intake_on="0001-01-01"), {}, "intake: 0001-01-01 lies more than"),
    ("POST", "/cases", _open(happened_at="0001-01-01T00:00:00+14:00"), {}, OUTSIDE),
    ("POST", "/cases", _open(happened_at="9999-12-31T23:59:59-12:00"), {}, OUTSIDE),
    ("GET", "/cases/{id}", None, {"at": "9999-12-31T23:59:59+00:00"}, OUTSIDE),
    ("GET", "/cases/{id}", None, {"at": "0001-01-01T00:00:00+14:00"}, OUTSIDE),
    ("GET", "/cases/{id}/timers", None, {"at": "9999-12-31T23:59:59-12:00"}, OUTSIDE),
    ("GET", "/cases/{id}/documents/risk_analysis", None, {"version": 2**63},
     "version: Input should be less than or equal to 2147483647"),
    ("GET", "/overdue", None, {"at": "9999-12-31T23:59:59+00:00"}, OUTSIDE),
    ("GET", "/overdue", None, {"at": "0001-01-01T00:00:00+00:00"}, OUTSIDE),
    ("GET", "/overdue", None, {"at": "9999-12-31T23:59:59-12:00"}, OUTSIDE),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "params", "rule"), FINDING_6)
def test_the_reviews_server_errors_are_clear_refusals(
    anna: Anna, method: str, path: str, body: Any, params: dict[str, Any], rule: str
) -> None:
    """Each input that gave a 500 now answers 422 problem+json naming the rule; nothing
    changes."""
    before = anna.state()
    answer = anna.call(method, path, body, **params)
    assert (422, "application/problem+json") == (
        answer.status_code, answer.headers["content-type"])  # fmt: skip
    assert any(rule in reason for reason in answer.json()["reasons"]), answer.json()
    assert before == anna.state()


def _document(kind: str, **changes: Any) -> dict[str, Any]:
    return {"data": {**example(kind, TODAY), **changes}}


# The review's implausible values that were accepted (finding 8), and the six-month
# report dated six months ahead.
FINDING_8 = [
    ("/cases/{id}/documents/risk_analysis", _document("risk_analysis", assessed_on="9999-12-31"),
     "risk_analysis.assessed_on: 9999-12-31 lies after the day it is recorded for (2026-01-05)"),
    ("/cases/{id}/documents/risk_analysis", _document("risk_analysis", assessed_on="0001-01-01"),
     "risk_analysis.assessed_on: 0001-01-01 lies before the intake (2026-01-05)"),
    ("/cases/{id}/triggers/report_to_police", {"data": {"reported_on": "0001-01-01"}},
     "data.reported_on: 0001-01-01 lies before 1900-01-01"),
    ("/cases", _open(intake_on="2026-01-01", happened_at="1990-01-01T00:00:00Z"),
     "happened_at: lies before the intake on 2026-01-01"),
    ("/cases/{id}/documents/contact",
     _document("contact", about="report_6_months", took_place_on="2026-07-05",
               reintegration_result="on_track", funds_use="as_agreed"),
     "contact.took_place_on: 2026-07-05 lies after the day it is recorded for (2026-01-05)"),
    ("/cases/{id}/documents/safety_plan", _document("safety_plan", review_on="2040-01-01"),
     "safety_plan.review_on: 2040-01-01 lies more than 10 years ahead (2036-01-05)"),
    ("/cases/{id}/documents/client_profile", _document("client_profile",
     youngest_child_born_on="1850-01-01"), "youngest_child_born_on: 1850-01-01 lies before 1900"),
    ("/cases/{id}/triggers/record_ind_decision", {"data": {
        "decision": "positive", "decided_on": "2026-01-05", "valid_until": "9999-12-31"}},
     "data.valid_until: 9999-12-31 lies more than ten years ahead"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "rule"), FINDING_8)
def test_implausible_dates_are_refused_naming_the_field(
    anna: Anna, path: str, body: Any, rule: str
) -> None:
    """A date that cannot be right for when it is recorded or for the case's intake: 422
    naming the field and the rule; nothing changes."""
    before = anna.state()
    answer = anna.call("POST", path, body)
    assert 422 == answer.status_code, answer.text
    assert any(rule in reason for reason in answer.json()["reasons"]), answer.json()
    assert before == anna.state()


def test_a_birth_date_and_an_earlier_report_may_lie_before_the_intake(anna: Anna) -> None:
    """The fields that can lie before the intake (a child's birth date, a report to the
    police made before she came) are accepted there."""
    born = _document("client_profile", youngest_child_born_on="2010-03-01")
    assert 201 == anna.call("POST", "/cases/{id}/documents/client_profile", born).status_code
    report = {"data": {"reported_on": "2025-06-01"}}
    answer = anna.call("POST", "/cases/{id}/triggers/report_to_police", report)
    assert 200 == answer.status_code, answer.text


@pytest.mark.parametrize("token_id", [2**31, 2**63])
def test_a_token_id_beyond_its_column_is_a_clear_error(app: App, token_id: int) -> None:
    """DELETE /tokens/{2^31 or 2^63}: 422, not an integer overflow in the database (the id
    column holds 32 bits on PostgreSQL)."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_user(app, "root", organisation="noord", role="admin", actor=ADMIN)
    token = enrolled_token(app, "root")
    with ServerThread(create_api(app)) as server:
        answer = httpx.delete(f"{server.url}/tokens/{token_id}",
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert 422 == answer.status_code, answer.text


def test_a_nul_character_anywhere_is_a_clear_error(anna: Anna) -> None:
    """A NUL character (which PostgreSQL cannot store) in the URL, a JSON body or a form:
    422 naming where, never a database error; nothing changes."""
    before = anna.state()
    in_query = anna.call("GET", "/overdue", counsellor="a\x00b")
    in_path = anna.client.get("/cases/a%00b", headers=anna.headers)
    note = _document("contact", note="call\x00back")
    in_json = anna.call("POST", "/cases/{id}/documents/contact", note)
    in_form = anna.client.post("/ui/login", data={"token": "x\x00y"})
    answers = (in_query, in_path, in_json, in_form)
    assert [422, 422, 422, 422] == [r.status_code for r in answers]
    url = "url: holds a NUL character (%00), which no parameter takes"
    assert [url, url, "body: holds a NUL character (\\u0000)",
            "form: holds a NUL character (%00), which no field takes"
            ] == [r.json()["reasons"][0] for r in answers]  # fmt: skip
    assert before == anna.state()


def test_a_token_expiring_after_the_calendar_ends_is_refused(app: App) -> None:
    """POST /users/{id}/tokens (a system's) with expires_at 9999-12-31T23:59:59-12:00 (year
    10000 in UTC, which no database column reads back): 422 naming the field."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_user(app, "root", organisation="noord", role="admin", actor=ADMIN)
    accounts.add_user(app, "crm", organisation="noord", role="coordinator", kind="system",
                      actor=ADMIN)  # fmt: skip
    token = enrolled_token(app, "root")
    with ServerThread(create_api(app)) as server:
        answer = httpx.post(f"{server.url}/users/crm/tokens",
                            json={"expires_at": "9999-12-31T23:59:59-12:00"},
                            headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert (422, ["expires_at: lies after 2199"]) == (answer.status_code, answer.json()["reasons"])
