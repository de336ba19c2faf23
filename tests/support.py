"""A small driver that walks a case through the real service, for readable tests."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from engine import service
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.documents import example
from engine.errors import TriggerRefused
from engine.notifications import Message

ACTOR = "counsellor:test"
# What a 6- or 12-month report says besides the contact: progress and the funds (L3841-3856).
REPORT = {"reintegration_result": "on_track", "funds_use": "as_agreed"}
ADMIN = "cli:test-admin"  # who registers organisations and people in the tests
PUBLIC_URL = "https://sfe.test"


class CaseDriver:
    """Opens one case and fires triggers and records documents on it, moving the clock."""

    def __init__(self, app: App, clock: FixedClock) -> None:
        self.app = app
        self.clock = clock
        self.id = ""
        self.view: dict[str, Any] = {}

    def open(
        self,
        kind: str = "trafficking",
        *,
        org: str = "shelter-a",
        client: str = "A-1",
        intake: date | None = None,
        counsellor: str | None = None,
    ) -> dict[str, Any]:
        intake_on = intake or self.today
        self.view = service.open_case(
            self.app,
            client_ref=client,
            organisation=org,
            kind=kind,
            intake_on=intake_on,
            counsellor=counsellor,
            actor=ACTOR,
        )
        self.id = self.view["id"]
        return self.view

    @property
    def today(self) -> date:
        return self.clock.now().astimezone(self.app.workflow.tz).date()

    def days(self, n: int) -> None:
        """Let `n` days pass."""
        self.clock.advance(timedelta(days=n))

    def record(self, kind: str, **changes: Any) -> dict[str, Any]:
        """Record the complete example of `kind`, with top-level fields changed."""
        data = {**example(kind, self.today), **changes}
        self.view = service.record(self.app, self.id, kind, data, actor=ACTOR)
        return self.view

    def fire(self, trigger: str, **data: Any) -> dict[str, Any]:
        self.view = service.fire(self.app, self.id, trigger, data, actor=ACTOR)
        return self.view

    def refused(self, trigger: str, **data: Any) -> list[str]:
        """Fire a trigger that must be refused; return the reasons."""
        with pytest.raises(TriggerRefused) as refused:
            service.fire(self.app, self.id, trigger, data, actor=ACTOR)
        return refused.value.reasons

    def show(self) -> dict[str, Any]:
        self.view = service.show(self.app, self.id, actor=ACTOR)
        return self.view

    @property
    def state(self) -> str:
        return str(self.view["state"])

    def timer(self, kind: str) -> dict[str, Any]:
        """The newest timer of `kind` as `case show` reports it."""
        found = [t for t in self.show()["timers"] if t["kind"] == kind]
        assert found, f"no {kind} timer"
        return found[-1]

    def allowed(self, trigger: str) -> bool:
        return any(t["name"] == trigger and t["allowed"] for t in self.show()["triggers"])

    # -- the usual way through the Dutch steps ----------------------------------------------

    def to_short_term_plan(self) -> None:
        """Steps 1-3 with complete documents: the case stands in step 4."""
        if all(d["kind"] != "client_profile" for d in self.show()["documents"]):
            self.record("client_profile")
        self.record("risk_analysis")
        self.record("safety_plan")
        self.fire("complete")
        self.record("counselling_info")
        self.fire("complete")
        self.record("strengths_inventory")
        self.fire("complete")
        assert self.state == "short_term_plan"

    def to_provisional_decision(self) -> None:
        """Steps 1-7: the case stands at the provisional decision (step 8). After an IND
        decision in step 1, leaving step 1 leads into step 7, which catches up on steps 2-4
        (L2812-2815)."""
        if self.state == "basic_needs_safety" and self.show()["deferred"]:
            if all(d["kind"] != "client_profile" for d in self.show()["documents"]):
                self.record("client_profile")
            self.record("risk_analysis")
            self.record("safety_plan")
            assert "interim_evaluation" == self.fire("complete")["state"]
            for kind in ("counselling_info", "strengths_inventory", "action_plan"):
                self.record(kind)
            self.record("evaluation")
            self.record("overview1")
            self.record("overview2")
            self.fire("complete")
            assert self.state == "provisional_decision"
            return
        self.to_short_term_plan()
        self.record("action_plan")
        self.fire("complete")
        self.record("overview1")
        self.record("overview2")
        self.fire("complete")
        self.record("action_plan")
        self.fire("complete")
        self.record("evaluation")
        self.record("overview1")
        self.record("overview2")
        self.fire("complete")
        assert self.state == "provisional_decision"

    def to_departure(self) -> None:
        """Steps 1-11 on the return branch: the case stands at departure (step 12)."""
        self.to_provisional_decision()
        self.fire("choose_return")
        self.record("return_plan")
        self.fire("complete")
        self.record("risk_update")
        self.fire("complete")
        assert self.state == "departure"

    def hand_over(self, partner: str) -> dict[str, Any]:
        """Step 12: offer the case to `partner` and let it accept (a trusted local caller
        answers for it, as the command line does)."""
        self.fire("offer_handover", partner=partner)
        return self.fire("accept_handover")

    def through_reintegration(self) -> None:
        """The partner runs re-integration steps 1-5, each with its fresh document."""
        assert "reint_basic_needs" == self.state
        for kind in ("reint_agreement", "legal_questions", "strengths_inventory", "action_plan",
                     "resources_plan"):  # fmt: skip
            self.record(kind)
            self.fire("complete")
        assert "reint_monitoring" == self.state


def residence_for_leaving(case: CaseDriver, kind: str, outcome: str) -> None:
    """Bring the residence track where the leaving outcome needs it (during step 1)."""
    permit = "b8_3_temporary" if kind == "trafficking" else "independent_domestic_violence"
    if outcome == "lawful_stay":
        case.record(
            "client_profile", citizenship="eu", minor_children=0, youngest_child_born_on=None
        )
        case.fire("register_eu_citizen", arrived_on=str(case.today))
        return
    if kind == "trafficking":
        case.fire("start_reflection_period", started_on=str(case.today))
        case.fire("report_to_police", reported_on=str(case.today))
        case.fire("apply_permit", permit=permit, applied_on=str(case.today))
    else:  # an independent permit for a client whose permit depends on her partner (L659-664)
        case.fire("record_dependent_permit", dependent_on="partner")
        case.fire("apply_permit", permit=permit, applied_on=str(case.today), grounds="report")
    if outcome == "permit":
        case.fire(
            "record_ind_decision",
            decision="positive",
            decided_on=str(case.today),
            permit=permit,
            valid_until="2027-01-04",
        )
    else:
        case.fire("record_ind_decision", decision="negative", decided_on=str(case.today))
    if outcome == "litigating":
        case.fire("file_objection", filed_on=str(case.today))
    elif outcome in ("family_location", "vbl", "undocumented"):
        case.fire("end_lawful_stay", ended_on=str(case.today), reason="remedies_exhausted")
    if outcome == "vbl":
        case.record("client_profile", minor_children=0, youngest_child_born_on=None)


class CollectingChannel:
    """A channel that keeps what it is given (the e-mail a person would receive)."""

    name = "email"

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> None:
        self.sent.append(message)


def enrolled_token(app: App, user_id: str) -> str:
    """A person's own API token, got the only way there is: an enrolment link sent to her
    address, redeemed by her."""
    from engine import enrolment
    from engine.directory import Contact, Directory

    inbox = CollectingChannel()
    settings = app.settings.model_copy(update={"public_url": PUBLIC_URL})
    directory = Directory(people={user_id: Contact(email=f"{user_id}@people.test")})
    enrolment.send_link(replace(app, settings=settings), user_id, issuer=ADMIN, channel=inbox,
                        directory=directory)  # fmt: skip
    (message,) = inbox.sent
    assert message.link is not None
    return str(enrolment.redeem(app, message.link.rpartition("/")[2])["token"])


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class ServerThread:
    """The real API served by uvicorn on 127.0.0.1 in a thread, for the length of a test."""

    def __init__(self, api: Any) -> None:
        import threading

        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # without proxy headers, as `serve` runs it (X-Forwarded-For: engine.throttle)
        config = uvicorn.Config(api, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", proxy_headers=False)  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        import time

        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


# The region the pages are tried on: the north with two shelters, the south with one.
REGION_PEOPLE = {
    "anna": ("shelter-a", "counsellor"), "carla": ("shelter-c", "counsellor"),
    "bert": ("shelter-b", "counsellor"), "zc": ("noord", "coordinator"),
    "px": ("partner-x", "partner"), "root": ("noord", "admin"),
}  # fmt: skip
# (client reference, shelter, counsellor, intake): client references a coordinator must never
# see on a page; intakes spread so that the cases are overdue by different numbers of days.
REGION_CASES = [
    ("CLIENT-A-1", "shelter-a", "anna", date(2025, 9, 1)),
    ("CLIENT-A-2", "shelter-a", "anna", date(2025, 11, 3)),
    ("CLIENT-A-3", "shelter-a", None, date(2025, 12, 1)),
    ("CLIENT-C-1", "shelter-c", "carla", date(2025, 10, 6)),
    ("CLIENT-C-2", "shelter-c", "carla", date(2025, 12, 15)),
    ("CLIENT-B-1", "shelter-b", "bert", date(2025, 8, 4)),
]


def seed_region(app: App) -> tuple[dict[str, str], dict[str, str]]:
    """Organisations, people with an API token each, and the cases of REGION_CASES opened
    through the service. Answers the tokens by user and the case ids by client reference."""
    from engine import accounts

    for org, kind, name, region in (
        ("noord", "region", "Regio Noord", None), ("zuid", "region", "Regio Zuid", None),
        ("shelter-a", "shelter", "Opvang Anemoon", "noord"),
        ("shelter-c", "shelter", "Opvang Cypres", "noord"),
        ("shelter-b", "shelter", "Opvang Beuk", "zuid"),
        ("partner-x", "partner", "Partner Foundation", None),
    ):  # fmt: skip
        accounts.add_organisation(app, org, kind=kind, name=name, region=region, actor=ADMIN)
    tokens = {}
    for user, (org, role) in REGION_PEOPLE.items():
        accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
        tokens[user] = enrolled_token(app, user)
    ids = {}
    for client, org, counsellor, intake in REGION_CASES:
        view = service.open_case(
            app, client_ref=client, organisation=org, kind="trafficking", intake_on=intake,
            counsellor=counsellor, actor=f"person:{counsellor or 'intake'}",
        )  # fmt: skip
        ids[client] = view["id"]
    return tokens, ids


def at_first_counselling(
    app: App, case_id: str, country: str = "NG", needs: list[str] | None = None
) -> None:
    """Record her profile (country of origin `country`) and step 1's documents, then complete
    step 1: the case stands at step 2, where a counsellor gets the social map's suggestions.
    With `needs`, also a return plan asking an organisation in her country for them."""
    today = app.clock.now().astimezone(app.workflow.tz).date()
    for kind, changes in (
        ("client_profile", {"country_of_origin": country}),
        ("risk_analysis", {}),
        ("safety_plan", {}),
    ):
        service.record(app, case_id, kind, {**example(kind, today), **changes}, actor=ACTOR)
    service.fire(app, case_id, "complete", {}, actor=ACTOR)
    if needs is not None:
        plan = example("return_plan", today)
        plan["safety"]["origin_organisation_help"] = needs
        plan["organisations"]["support_areas"] = []
        service.record(app, case_id, "return_plan", plan, actor=ACTOR)
