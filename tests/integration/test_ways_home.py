"""The ways home beside the full path: an early return straight to the PAT (L2327-2329,
L2391-2395), leaving "with a silent drum" (L2913-2918), the health checklist a departure needs
when the PAT records complaints (Bijlage 6, L4441-4504), and the return funds (L2963-2968)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine import reminders, service
from engine.documents import example
from engine.errors import InvalidInput, TriggerRefused
from engine.notifications import LogChannel
from engine.service import OverdueQuery
from tests.integration.test_reminders import DIRECTORY, Recorder
from tests.support import ACTOR, CaseDriver

PARTNER = "example-partner"  # the consent example's partner organisation id


def _at_pat(case: CaseDriver) -> None:
    """Step 1's documents, her profile (from Nigeria) and an early return: step 10."""
    case.record("client_profile")
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("choose_return", early=True)
    assert "return_action_plan" == case.state


def _at_departure(case: CaseDriver, **pat: Any) -> None:
    """An early return through steps 10 and 11 (PAT section 5 stands in for the update)."""
    _at_pat(case)
    case.record("return_plan", **pat)
    case.fire("complete")
    case.fire("complete")
    assert "departure" == case.state


def _events(case: CaseDriver) -> list[dict[str, Any]]:
    return service.timeline(case.app, case.id, actor=ACTOR)


def _with_complaints() -> dict[str, Any]:
    """PAT section 7 with physical complaints, care answered (L4357-4367)."""
    health = example("return_plan")["health"]
    health["physical"] = {
        "complaints": True,
        "care_available": "yes",
        "care_affordable": "no",
        "care_accessible": "yes",
    }
    return health


# -- early return -----------------------------------------------------------------------------


def test_early_return_from_step_1_goes_to_the_pat_without_steps_3_to_9(case: CaseDriver) -> None:
    """A client who wishes to return from the start goes from step 1 to the PAT, with no
    Overview 1/2 or steps 3-9, and departs (L2327-2329); the timeline says it was early."""
    case.open()
    case.record("client_profile")
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("choose_return", early=True)
    assert ("return_action_plan", True) == (case.state, case.view["facts"]["early_return"])
    case.record("return_plan")
    case.fire("complete")
    case.fire("complete")  # PAT section 5 stands in for the risk update (L3363)
    case.record("handover_checklist", with_partner=False)
    view = case.fire("depart", departed_on=str(case.today))
    assert "reint_monitoring" == view["state"]
    chosen = [e for e in _events(case) if e["trigger"] == "choose_return"]
    assert [("basic_needs_safety", "return_action_plan", {"early": True})] == [
        (e["from_state"], e["to_state"], e["data"]) for e in chosen
    ]
    kinds = {d["kind"] for d in case.show()["documents"]}
    assert set() == kinds & {"overview1", "overview2", "strengths_inventory", "action_plan"}


def test_early_return_from_step_1_needs_its_risk_analysis_and_safety_plan(
    case: CaseDriver,
) -> None:
    """Safety first: from step 1 the early return waits for its risk analysis and safety plan
    (L2266-2277, L2306-2308); nothing changes on the refusal."""
    case.open()
    reasons = case.refused("choose_return", early=True)
    assert any("risk_analysis" in r for r in reasons), reasons
    assert any("safety_plan" in r for r in reasons), reasons
    assert "basic_needs_safety" == case.show()["state"]


@pytest.mark.parametrize("step", ["first_counselling", "short_term_plan", "interim_evaluation"])
def test_early_return_is_possible_from_each_step_before_8(case: CaseDriver, step: str) -> None:
    """From steps 2 to 7 an early return goes straight to the PAT (L2327-2329, L2391-2395)."""
    case.open()
    if step == "short_term_plan":
        case.to_short_term_plan()
    else:
        case.record("risk_analysis")
        case.record("safety_plan")
        case.fire("complete")
        if step == "interim_evaluation":
            case.fire("evaluate", reason="change")
    assert step == case.state
    assert case.allowed("choose_return")
    view = case.fire("choose_return", early=True)
    assert ("return_action_plan", True) == (view["state"], view["facts"]["early_return"])


def test_choose_return_before_step_8_must_say_it_is_early(case: CaseDriver) -> None:
    """Before the provisional decision choose_return needs early: true, with a reason that
    says why (L2327-2329); the case stays where it is."""
    case.open()
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    reasons = case.refused("choose_return")
    assert 1 == len(reasons) and "early: true" in reasons[0], reasons
    assert "first_counselling" == case.show()["state"]


def test_choose_return_at_step_8_is_not_early(case: CaseDriver) -> None:
    """At the provisional decision (step 8, L2899) choose_return needs no early flag and sets
    no early_return fact."""
    case.open()
    case.to_provisional_decision()
    view = case.fire("choose_return")
    assert ("return_action_plan", None) == (view["state"], view["facts"].get("early_return"))


def test_early_return_keeps_article_64(case: CaseDriver) -> None:
    """After an early return a departure is still suspended while article 64 holds (L2723)."""
    case.open()
    _at_departure(case)
    case.fire("start_article64", started_on=str(case.today))
    case.record("handover_checklist", with_partner=False)
    reasons = case.refused("depart", departed_on=str(case.today))
    assert any("article 64" in r for r in reasons), reasons


# -- the silent drum --------------------------------------------------------------------------


def test_silent_drum_with_a_call_waits_for_it_then_closes_as_a_return(case: CaseDriver) -> None:
    """She leaves without support, gets a local organisation's contact details and agrees to a
    call after a while (L2913-2918): a timer, overdue when missed, done by the call's contact
    record; then the case closes as a return, not a withdrawal."""
    case.open()
    _at_pat(case)
    call_on = case.today + timedelta(days=30)
    view = case.fire(
        "depart_unassisted",
        departed_on=str(case.today),
        local_organisation="ng-cosudow",
        follow_up_call_on=str(call_on),
    )
    assert ("left_unassisted", "unassisted") == (view["state"], view["facts"]["departure"])
    timer = case.timer("follow_up_call")
    assert (str(call_on), "pending") == (timer["due_on"], timer["status"])
    assert [] == [t for t in view["triggers"] if t["track"] == "residence"]
    reasons = case.refused("close")
    assert [
        "Follow-up call after leaving without support (follow_up_call) is still open "
        f"(due {call_on})"
    ] == reasons
    case.days(31)
    overdue = service.overdue(case.app, OverdueQuery())
    assert [("follow_up_call", 1)] == [
        (o["kind"], o["days_overdue"]) for o in overdue if o["case_id"] == case.id
    ]
    case.record("contact", about="follow_up_call", by="organisation", outcome="ok")
    assert "done" == case.timer("follow_up_call")["status"]
    view = case.fire("close")
    assert ("closed_returned_unassisted", True) == (view["state"], view["closed"])
    data = [e["data"] for e in _events(case) if e["trigger"] == "depart_unassisted"]
    departed = str(case.today - timedelta(days=31))
    expected = {"departed_on": departed, "local_organisation": "ng-cosudow",
                "follow_up_call_on": str(call_on)}  # fmt: skip
    assert [expected] == data


def test_silent_drum_without_a_call_closes_at_once(case: CaseDriver) -> None:
    """Without a call agreed the case closes as a return at once, with the local organisation
    she was given by name when it is not on the social map (L2916-2918); no timer starts."""
    case.open()
    _at_departure(case)
    view = case.fire(
        "depart_unassisted",
        departed_on=str(case.today),
        local_organisation_name="Women's centre in her home town",
    )
    assert ("closed_returned_unassisted", True) == (view["state"], view["closed"])
    assert [] == [t for t in view["timers"] if t["kind"] == "follow_up_call"]
    assert str(case.today) == view["facts"]["departed_on"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "local_organisation: the client always gets"),
        (
            {"local_organisation": "ng-cosudow", "local_organisation_name": "Centre"},
            "give one of them, not both",
        ),
    ],
)
def test_silent_drum_always_gives_a_local_organisation(
    case: CaseDriver, data: dict[str, str], expected: str
) -> None:
    """A departure without support always names one local organisation whose contact details
    she got (L2917: "altijd!"); the case stays where it was."""
    case.open()
    _at_pat(case)
    reasons = case.refused("depart_unassisted", departed_on=str(case.today), **data)
    assert 1 == len(reasons) and expected in reasons[0], reasons
    assert "return_action_plan" == case.show()["state"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"local_organisation": "xx-nowhere"}, "data.local_organisation: 'xx-nowhere' is not on"),
        ({"local_organisation": "bg-animus"}, "does not work in her country of origin (NG"),
        ({"local_organisation": "Not An Id"}, "data.local_organisation: String should match"),
        ({"departed_on": "2099-01-01"}, "data.departed_on: 2099-01-01 lies after the day"),
        ({"departed_on": "2025-12-01"}, "data.departed_on: 2025-12-01 lies before the intake"),
        ({"follow_up_call_on": "2026-01-01"}, "data.follow_up_call_on: 2026-01-01 lies before"),
        ({"local_organisation_name": "x" * 121}, "data.local_organisation_name: String should"),
    ],
)
def test_silent_drum_bad_input_is_refused_and_changes_nothing(
    case: CaseDriver, data: dict[str, str], expected: str
) -> None:
    """Bad data for depart_unassisted is refused naming the field and rule: an id not on the
    social map, an organisation not working in her country, a day in the future or before the
    intake, a call before the departure, a name too long; nothing changes."""
    case.open()
    _at_pat(case)
    events = len(_events(case))
    payload = {"departed_on": str(case.today), "local_organisation": "ng-cosudow", **data}
    with pytest.raises(InvalidInput) as refused:
        service.fire(case.app, case.id, "depart_unassisted", payload, actor=ACTOR)
    assert any(expected in r for r in refused.value.reasons), refused.value.reasons
    assert ("return_action_plan", events) == (case.show()["state"], len(_events(case)))


def test_silent_drum_only_after_choosing_to_return(case: CaseDriver) -> None:
    """The silent drum is a way of returning (chapter 6, L2913): from steps 10-12 only, not
    before she has chosen to return."""
    case.open()
    case.record("risk_analysis")
    case.record("safety_plan")
    case.fire("complete")
    reasons = case.refused(
        "depart_unassisted", departed_on=str(case.today), local_organisation="ng-cosudow"
    )
    assert ["depart_unassisted is not possible from First counselling talks and information "
            "(first_counselling)"] == reasons  # fmt: skip


def test_silent_drum_keeps_article_64(case: CaseDriver) -> None:
    """While article 64 holds (medically unfit to travel) she cannot be recorded as left."""
    case.open()
    _at_pat(case)
    case.fire("start_article64", started_on=str(case.today))
    reasons = case.refused(
        "depart_unassisted", departed_on=str(case.today), local_organisation="ng-cosudow"
    )
    assert any("article 64" in r for r in reasons), reasons


def test_a_follow_up_call_needs_one_agreed(case: CaseDriver) -> None:
    """A follow-up call is recorded only when one was agreed at a departure without support
    (L2916); before that it is refused and nothing is recorded."""
    case.open()
    _at_pat(case)
    data = {**example("contact", case.today), "about": "follow_up_call", "by": "organisation"}
    with pytest.raises(TriggerRefused) as refused:
        service.record(case.app, case.id, "contact", data, actor=ACTOR)
    assert any("no follow-up call was agreed" in r for r in refused.value.reasons)
    assert [] == [d for d in case.show()["documents"] if d["kind"] == "contact"]


def test_withdrawing_after_a_silent_drum_cancels_the_call(case: CaseDriver) -> None:
    """A case withdrawn while it waits for the call no longer reminds anyone of it."""
    case.open()
    _at_pat(case)
    case.fire(
        "depart_unassisted",
        departed_on=str(case.today),
        local_organisation="ng-cosudow",
        follow_up_call_on=str(case.today + timedelta(days=30)),
    )
    case.fire("withdraw", reason="no_contact")
    assert "cancelled" == case.timer("follow_up_call")["status"]


# -- the health checklist ---------------------------------------------------------------------


@pytest.mark.parametrize("partner", [True, False])
def test_complaints_in_the_pat_make_departure_wait_for_the_health_checklist(
    case: CaseDriver, partner: bool
) -> None:
    """When the PAT records health complaints (section 7), departure, with or without a
    partner, needs a complete health checklist (Bijlage 6, L4441-4504; L3212-3217)."""
    case.open()
    _at_departure(case, health=_with_complaints())
    case.record("consent")
    case.record("handover_checklist", with_partner=partner)
    if partner:
        case.hand_over(PARTNER)
    data = {"departed_on": str(case.today)} | ({"partner_organisation": PARTNER} if partner else {})
    reasons = case.refused("depart", **data)
    assert [
        "the return plan records physical health complaints (PAT section 7): check with the "
        "health checklist (Bijlage 6) that the care she needs is available, accessible and "
        "affordable in her country, and record it (health_checklist) before departure"
    ] == reasons
    case.record("health_checklist", capacity_doubt="yes")
    reasons = case.refused("depart", **data)
    assert [
        "health_checklist.capacity: her capacity to decide is in doubt; have a psychiatrist or "
        "doctor assess it (L4488-4490)"
    ] == reasons
    case.record("health_checklist")
    view = case.fire("depart", **data)
    assert ("reint_basic_needs" if partner else "reint_monitoring") == view["state"]


def test_without_complaints_departure_needs_no_health_checklist(case: CaseDriver) -> None:
    """A PAT without health complaints asks for no health checklist (L2696: "als de cliënt
    gezondheidsproblemen heeft")."""
    case.open()
    _at_departure(case)
    case.record("handover_checklist", with_partner=False)
    view = case.fire("depart", departed_on=str(case.today))
    assert "reint_monitoring" == view["state"]
    assert [] == [d for d in view["documents"] if d["kind"] == "health_checklist"]


def test_the_silent_drum_needs_no_health_checklist(case: CaseDriver) -> None:
    """A client who wants no provision at all (L2914) is not held back by the checklist: she
    leaves with a local organisation's contact details."""
    case.open()
    _at_departure(case, health=_with_complaints())
    view = case.fire("depart_unassisted", departed_on=str(case.today), local_organisation="int-iom")
    assert "closed_returned_unassisted" == view["state"]


def test_a_checklist_assessed_not_capable_blocks_departure(case: CaseDriver) -> None:
    """A client assessed as not capable of deciding cannot give valid consent to her return
    (L4486-4490): the checklist says so and departure waits."""
    case.open()
    _at_departure(case, health=_with_complaints())
    case.record(
        "health_checklist", capacity_doubt="yes", capacity_assessed_by="psychiatrist",
        capacity="not_capable",
    )  # fmt: skip
    case.record("handover_checklist", with_partner=False)
    reasons = case.refused("depart", departed_on=str(case.today))
    assert any("not capable of deciding" in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"medicines_needed": False}, "medicines are listed only when medicines_needed"),
        ({"condition_en": "x" * 121}, "health_checklist.condition_en: String should have at most"),
        ({"capacity": "capable"}, "capacity needs capacity_assessed_by"),
        ({"doctor_name": "Dr. Someone"}, "health_checklist.doctor_name: Extra inputs"),
        ({"network": "maybe"}, "health_checklist.network: Input should be 'yes', 'no'"),
    ],
)
def test_a_bad_health_checklist_is_refused(
    case: CaseDriver, changes: dict[str, Any], expected: str
) -> None:
    """A health checklist that contradicts itself, holds a too long text, a person's name
    field or an unknown answer is refused naming the field; nothing is recorded."""
    case.open()
    data = {**example("health_checklist", case.today), **changes}
    with pytest.raises(InvalidInput) as refused:
        service.record(case.app, case.id, "health_checklist", data, actor=ACTOR)
    assert any(expected in r for r in refused.value.reasons), refused.value.reasons
    assert [] == [d for d in case.show()["documents"] if d["kind"] == "health_checklist"]


# -- return funds ------------------------------------------------------------------------------


def test_return_funds_are_recorded_with_the_organisations(case: CaseDriver) -> None:
    """The file per returnee (L2965-2968): amount, in kind, through which organisation she
    returned (social map) and which receives the money (a registered id), the agreements."""
    case.open()
    view = case.record("return_funds")
    found = service.document(case.app, case.id, "return_funds", actor=ACTOR)["data"]
    through = {"organisation_id": None, "socialmap_id": "int-iom", "name": None}
    assert (1500, "in_kind", through) == (found["amount"], found["form"], found["returned_through"])
    assert "return_funds" in {d["kind"] for d in view["documents"]}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"returned_through": {"socialmap_id": "xx-nowhere"}},
         "return_funds.returned_through.socialmap_id: 'xx-nowhere' is not on the social map"),
        ({"returned_through": {"name": "IOM", "socialmap_id": "int-iom"}},
         "give exactly one of organisation_id, socialmap_id or name"),
        ({"amount": -5}, "return_funds.amount: Input should be greater than or equal to 0"),
        ({"form": "voucher"}, "return_funds.form: Input should be 'in_kind', 'cash' or 'mixed'"),
        ({"currency": "euro"}, "return_funds.currency: String should match pattern"),
    ],
)  # fmt: skip
def test_bad_return_funds_are_refused(
    case: CaseDriver, changes: dict[str, Any], expected: str
) -> None:
    """Return funds naming an organisation not on the map, two ways at once, a negative
    amount or an unknown form or currency are refused naming the field; nothing recorded."""
    case.open()
    data = {**example("return_funds", case.today), **changes}
    with pytest.raises(InvalidInput) as refused:
        service.record(case.app, case.id, "return_funds", data, actor=ACTOR)
    assert any(expected in r for r in refused.value.reasons), refused.value.reasons
    assert [] == [d for d in case.show()["documents"] if d["kind"] == "return_funds"]


def test_return_funds_in_kind_name_what_they_pay_for() -> None:
    """Support in kind pays for activities agreed beforehand (L2963-2965): without them, and
    without the agreements on their use (L3386-3387), the file has gaps."""
    from engine.documents import document_model

    data = {**example("return_funds"), "purposes": [], "use_agreements_made": False}
    gaps = document_model("return_funds").model_validate(data).gaps()
    assert [g.split(":")[0] for g in gaps] == [
        "return_funds.purposes",
        "return_funds.use_agreements_made",
    ]


def test_the_agreed_call_is_reminded_like_the_other_deadlines(case: CaseDriver) -> None:
    """The follow-up call agreed at a silent departure (L2916) reminds her counsellor before
    the day (policy follow_up_call_reminder, 3 days), on it and when missed; recording the
    call stops the reminders."""
    case.open(counsellor="j.devries")
    _at_pat(case)
    call_on = case.today + timedelta(days=30)
    case.fire("depart_unassisted", departed_on=str(case.today), local_organisation="ng-cosudow",
              follow_up_call_on=str(call_on))  # fmt: skip
    channel = Recorder()
    stages = {}
    for offset in (-4, -3, 0, 1):
        day = call_on + timedelta(days=offset)
        case.clock.set(datetime.combine(day, time(8), tzinfo=ZoneInfo("Europe/Amsterdam")))
        before = len(channel.sent)
        reminders.run_once(case.app, {"email": channel, "log": LogChannel()}, DIRECTORY,
                           worker="test")  # fmt: skip
        stages[offset] = sorted(
            (m.stage, m.recipient) for m in channel.sent[before:]
            if m.timer_kind == "follow_up_call"
        )  # fmt: skip
    mail = "j.devries@shelter-a.example"
    assert {-4: [], -3: [("before:3d", mail)], 0: [("due", mail)], 1: [("overdue", mail)]} == stages
    case.record("contact", about="follow_up_call", by="organisation", outcome="ok")
    case.days(7)
    before = len(channel.sent)
    reminders.run_once(case.app, {"email": channel, "log": LogChannel()}, DIRECTORY, worker="test")
    assert [] == [m for m in channel.sent[before:] if m.timer_kind == "follow_up_call"]


@pytest.mark.parametrize(
    ("kind", "citizenship", "allowed"),
    [("domestic_violence", "eu", False), ("trafficking", "eu", True),
     ("domestic_violence", "third_country", True)],
)  # fmt: skip
def test_iom_rean_is_for_eu_citizens_only_as_victims_of_trafficking(
    case: CaseDriver, kind: str, citizenship: str, allowed: bool
) -> None:
    """L2938-2939: EU citizens in principle do not qualify for REAN; victims of trafficking
    are the exception. The refusal names the rule and records nothing."""
    case.open(kind)
    case.record("client_profile", citizenship=citizenship)
    funds = {**example("return_funds", case.today), "programme": "iom_rean"}
    if allowed:
        view = service.record(case.app, case.id, "return_funds", funds, actor=ACTOR)
        assert "return_funds" in {d["kind"] for d in view["documents"]}
        return
    with pytest.raises(TriggerRefused) as refused:
        service.record(case.app, case.id, "return_funds", funds, actor=ACTOR)
    assert [
        "programme iom_rean: IOM's REAN programme is not for EU citizens, except victims of "
        "trafficking (L2938-2939); choose another programme"
    ] == refused.value.reasons
    assert "return_funds" not in {d["kind"] for d in case.show()["documents"]}
