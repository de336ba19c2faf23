"""Where a counsellor refers (steps 2, 6, 10 and 12, and when a client leaves without
papers, book L2888-2891), the case suggests organisations in the client's country of origin
that offer what her return plan asks for: a hint for the counsellor only, never a
requirement, and never shown to a coordinator or a partner."""

from __future__ import annotations

from typing import Any

import pytest

from engine import accounts, service, socialmap
from engine.access import Principal
from engine.bootstrap import App
from tests.support import ADMIN, CaseDriver, residence_for_leaving


def _suggested(view: dict[str, Any]) -> list[str]:
    return [o["id"] for o in view["suggestions"]["organisations"]]


def test_step_2_suggests_organisations_in_her_country_from_her_profile(case: CaseDriver) -> None:
    """Profile says NG: step 2 suggests COSUDOW; step 1 suggests nothing."""
    case.open()
    case.record("client_profile", country_of_origin="NG")
    assert "suggestions" not in case.show()
    case.record("risk_analysis")
    case.record("safety_plan")
    view = case.fire("complete")
    assert "first_counselling" == view["state"]
    view = case.show()
    assert "NG" == view["suggestions"]["country"]
    assert "ng-cosudow" in _suggested(view)
    first = view["suggestions"]["organisations"][0]
    assert first["in_country"]


def test_without_her_country_the_case_says_what_to_record(case: CaseDriver) -> None:
    """No country of origin in the profile: no organisations, a hint naming the field."""
    case.open()
    case.record("client_profile", country_of_origin=None)
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    suggestions = case.show()["suggestions"]
    assert [] == suggestions["organisations"]
    assert "client_profile.country_of_origin" in suggestions["hint"]


def test_the_pat_s_support_areas_rank_who_offers_them_and_say_what_lacks(
    case: CaseDriver,
) -> None:
    """At step 10 the PAT asks for shelter and financial help: those offering both come
    first, and COSUDOW (no financial help, book L7273-7292) shows what it lacks."""
    case.open()
    case.to_provisional_decision()
    case.fire("choose_return")
    plan = case.record("return_plan")  # the example asks airport pick-up, shelter, job/income
    assert "return_action_plan" == plan["state"]
    case.record(
        "return_plan",
        organisations={
            "wants_support_after_return": True,
            "support_areas": ["shelter", "financial"],
        },
        safety=None,
    )
    suggestions = case.show()["suggestions"]
    assert ["shelter", "financial"] == suggestions["needs"]
    lacking = [len(o["lacks"]) for o in suggestions["organisations"]]
    assert lacking == sorted(lacking)
    cosudow = next(o for o in suggestions["organisations"] if o["id"] == "ng-cosudow")
    assert (["shelter"], ["financial"]) == (cosudow["offers"], cosudow["lacks"])


def test_a_retired_organisation_is_no_longer_suggested(case: CaseDriver, app: App) -> None:
    """Retiring COSUDOW takes it out of the suggestions."""
    case.open()
    case.to_short_term_plan()
    case.record("action_plan")
    case.fire("complete")
    case.record("overview1")
    case.record("overview2")
    case.fire("complete")
    assert "supplement_plan" == case.state
    assert "ng-cosudow" in _suggested(case.show())
    socialmap.retire(app, "ng-cosudow", actor=ADMIN)
    assert "ng-cosudow" not in _suggested(case.show())


@pytest.mark.parametrize(("outcome", "suggests"), [("undocumented", True), ("permit", False)])
def test_leaving_without_papers_suggests_and_leaving_with_a_permit_does_not(
    case: CaseDriver, outcome: str, suggests: bool
) -> None:
    """After leaving the shelter, only a client without papers gets suggestions (L2888-2891)."""
    case.open()
    case.record("client_profile")
    residence_for_leaving(case, "trafficking", outcome)
    case.to_provisional_decision()
    case.fire("choose_stay")
    informed = {"rights_information_given": True, "socialmap_given": True}
    view = case.fire("leave_shelter", outcome=outcome, **(informed if suggests else {}))
    assert "closed_stayed" == view["state"]
    view = case.show()
    assert suggests == ("suggestions" in view)
    if suggests:
        assert "ng-cosudow" in _suggested(view)


def test_a_coordinator_gets_no_suggestions(case: CaseDriver, app: App) -> None:
    """Suggestions reveal her country: a coordinator's view of the same case has none."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    case.open(org="shelter-a")
    case.record("client_profile")
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    coordinator = Principal(user_id="zc", role="coordinator", organisation="noord")
    view = service.show(app, case.id, actor=coordinator)
    assert "suggestions" not in view
    assert "suggestions" in case.show()
