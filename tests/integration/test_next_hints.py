"""What to do next where nothing else said it (review findings 12-17): hints after the
decision to report and when the reflection period ran out, what step 9 asks, `evaluate` in
step 7 named for what it does, a reason that claims nothing unknown, a repeated deadline told
apart from the earlier one, and no empty heading on a closed case."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import httpx

from engine import service
from engine.api import create_api
from engine.bootstrap import App
from engine.cli._human import human_case
from engine.clock import FixedClock
from engine.views import restrict_view
from tests.support import ACTOR, CaseDriver, ServerThread, seed_region

REPORT = (
    "The action plan says she will report to the police: record it with report_to_police "
    "once she has"
)
ENDED = (
    "The reflection period has ended: record her report to the police (report_to_police), her "
    "permit application (apply_permit) or the end of her lawful stay (end_lawful_stay)"
)


def _printed(app: App, view: dict[str, Any], lang: str = "en") -> list[str]:
    """`case show` as the CLI prints it."""
    wf = app.workflow
    return human_case(view, lang, wf.labels, tz=wf.tz, timers=wf.timer_names).splitlines()


def test_the_decision_to_report_says_to_record_the_report_until_it_is(case: CaseDriver) -> None:
    """After an action plan with the decision to report, `case show` says to record the
    report with report_to_police; once recorded, the hint is gone."""
    case.open()
    case.fire("start_reflection_period", started_on=str(case.today))
    case.to_short_term_plan()
    assert REPORT not in case.show()["hints"]
    case.record("action_plan", report_decision="report", permit_decision=None)
    assert [REPORT] == case.show()["hints"]
    assert f"  next: {REPORT}" in _printed(case.app, case.view)
    case.fire("report_to_police")
    assert [] == case.show()["hints"]


def test_an_ended_reflection_period_says_what_to_record(case: CaseDriver) -> None:
    """While the reflection period runs nothing is hinted about it; the day after it ended
    `case show` says which triggers record what happened, in English and in Dutch, and the
    deadline is one day (not "1 days") overdue."""
    case.open()
    case.fire("start_reflection_period", started_on=str(case.today))
    ends = date.fromisoformat(case.timer("reflection_period_end")["due_on"])
    case.days((ends - case.today).days)
    assert (ends, []) == (case.today, case.show()["hints"])
    case.days(1)
    assert [ENDED] == case.show()["hints"]
    (deadline,) = [ln for ln in _printed(case.app, case.view) if "reflection_period_end" in ln]
    assert deadline.endswith("overdue (1 day)")  # not "1 days" (review finding 13)
    dutch = _printed(case.app, case.view, "nl")
    assert (
        "  te doen: De bedenktijd is voorbij: leg haar aangifte vast (report_to_police), haar "
        "aanvraag voor een verblijfsvergunning (apply_permit) of het einde van haar rechtmatig "
        "verblijf (end_lawful_stay)"
    ) in dutch


def test_step_9_says_what_it_asks_and_evaluate_in_step_7_says_it_starts_anew(
    case: CaseDriver,
) -> None:
    """In step 7 `evaluate` is offered as starting step 7 anew, not as going to step 7; step 9
    (which requires no document) says to keep working on the action plan and how to go on."""
    case.open()
    case.to_provisional_decision()
    case.fire("evaluate", reason="change")
    (offer,) = [t for t in case.show()["triggers"] if t["name"] == "evaluate"]
    assert {"en": "Evaluate anew (step 7 starts again)",
            "nl": "Opnieuw evalueren (stap 7 begint opnieuw)"} == offer["label"]  # fmt: skip
    case.record("evaluation")
    case.record("overview1")
    case.record("overview2")
    case.fire("complete")
    (offer,) = [t for t in case.show()["triggers"] if t["name"] == "evaluate"]
    assert "Evaluate (step 7)" == offer["label"]["en"]
    case.fire("choose_stay")
    assert "stay_action_plan" == case.state
    (step9, *_) = case.show()["hints"]
    assert step9.startswith("Keep working on her short-term goals: record a new action plan")
    assert "  te doen: Blijf met haar werken aan de doelen voor de korte termijn" in "\n".join(
        _printed(case.app, case.view, "nl")
    )


def test_the_eu_citizen_reason_claims_nothing_before_the_profile_says(case: CaseDriver) -> None:
    """Before a client profile, register_eu_citizen's reason says her citizenship is not
    recorded yet; with a third-country profile, that the profile does not say she is one."""
    case.open()
    (before,) = case.refused("register_eu_citizen", arrived_on=str(case.today))
    assert "only for EU/EEA citizens; her citizenship is not recorded yet (client profile, " \
        "client_profile)" == before  # fmt: skip
    case.record("client_profile")
    (after,) = case.refused("register_eu_citizen", arrived_on=str(case.today))
    assert "only for EU/EEA citizens; the client profile does not say she is one" == after


def test_a_deadline_started_anew_is_told_from_the_earlier_one(case: CaseDriver) -> None:
    """After step 7 the periodic evaluation is listed twice (done, and the next round); the
    done one is marked as the earlier round, the pending one is not."""
    case.open()
    case.to_provisional_decision()
    rounds = [ln for ln in _printed(case.app, case.show()) if "(periodic_evaluation)" in ln]
    statuses = [re.split(r"due \d{4}-\d{2}-\d{2}", ln)[1].split() for ln in rounds]
    assert [["done", "(an", "earlier", "round)"], ["pending"]] == statuses


def test_a_closed_case_prints_no_empty_heading_and_no_hints(case: CaseDriver) -> None:
    """A withdrawn case has nothing that can happen next: no heading for it, no hints."""
    case.open()
    view = case.fire("withdraw", reason="client_left")
    assert ([], []) == (view["triggers"], view["hints"])
    assert not any("what can happen next" in line for line in _printed(case.app, view))


def test_a_coordinator_and_a_partner_get_no_hints(case: CaseDriver) -> None:
    """Hints point to triggers only the shelter fires: the read-only and partner views have
    none."""
    case.open()
    case.fire("start_reflection_period", started_on=str(case.today))
    case.days(100)
    view = case.show()
    assert [ENDED] == view["hints"]
    assert [] == restrict_view(view, "read", None)["hints"]
    assert [] == restrict_view(view, "partner", frozenset())["hints"]


def test_the_api_and_the_case_page_show_the_hint_to_the_shelter_only(app: App) -> None:
    """A case whose reflection period ran out: GET /cases/{id} gives her counsellor the hint,
    her case page says it in Dutch; the coordinator's answer and page have none."""
    tokens, ids = seed_region(app)
    case_id = ids["CLIENT-A-1"]  # intake 2025-09-01; the clock stands at 2026-01-05
    service.fire(app, case_id, "start_reflection_period", {"started_on": "2025-09-02"},
                 actor=ACTOR, at=datetime(2025, 9, 2, 10, tzinfo=UTC))  # fmt: skip
    with ServerThread(create_api(app)) as server, httpx.Client(base_url=server.url) as web:

        def api(user: str) -> list[str]:
            auth = {"Authorization": f"Bearer {tokens[user]}"}
            answer = web.get(f"/cases/{case_id}", headers=auth)
            assert 200 == answer.status_code
            return list(answer.json()["hints"])

        def page(user: str) -> str:
            with httpx.Client(
                base_url=server.url, headers={"Accept-Language": "nl", "Origin": server.url}
            ) as browser:
                login = {"token": tokens[user], "next": "/ui/"}
                assert 303 == browser.post("/ui/login", data=login).status_code
                return browser.get(f"/ui/cases/{case_id}").text  # fmt: skip

        assert ([ENDED], []) == (api("anna"), api("zc"))
        dutch = "De bedenktijd is voorbij: leg haar aangifte vast (report_to_police)"
        assert (True, False) == (dutch in page("anna"), dutch in page("zc"))


def test_the_case_page_tells_a_deadline_started_anew_from_the_earlier_one(
    app: App, clock: FixedClock
) -> None:
    """On the case page too, the done periodic evaluation before step 8 reads as the earlier
    round, in Dutch, and the new one as pending only."""
    tokens, ids = seed_region(app)
    case = CaseDriver(app, clock)
    case.id = ids["CLIENT-A-1"]
    case.show()
    case.to_provisional_decision()
    with (
        ServerThread(create_api(app)) as server,
        httpx.Client(
            base_url=server.url, headers={"Accept-Language": "nl", "Origin": server.url}
        ) as browser,
    ):
        login = {"token": tokens["anna"], "next": "/ui/"}
        assert 303 == browser.post("/ui/login", data=login).status_code
        page = browser.get(f"/ui/cases/{case.id}").text
    rows = re.findall(r'<tr class="(\w+)" data-kind="periodic_evaluation">.*?</tr>', page, re.S)
    statuses = re.findall(
        r'<tr class="\w+" data-kind="periodic_evaluation">(?:.*?<td[^>]*>){3}(.*?)</td>', page, re.S
    )
    assert ["done", "pending"] == rows
    assert ["afgerond (een eerdere ronde)", "open"] == statuses
