"""Finding a case again (issue 15, point 1; newcomer review finding 8): the short id people see
names the case within the caller's scope, and the case list answers "my cases", a search by
client file number, and a region's or partner's cases, most urgent first, page by page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import accounts, audit, service
from engine.access import Principal
from engine.bootstrap import App
from engine.clock import FixedClock
from engine.documents import example
from engine.errors import (
    AmbiguousCase,
    CaseNotFound,
    Forbidden,
    InvalidInput,
    TriggerRefused,
)
from tests.support import ACTOR, ADMIN, CaseDriver

ANNA = Principal("anna", "counsellor", "shelter-a")
BEA = Principal("bea", "counsellor", "shelter-b")
CORA = Principal("cora", "coordinator", "noord")
ZED = Principal("zed", "counsellor", "shelter-z")  # a shelter in another region
ADMINISTRATOR = Principal("root", "admin", "shelter-a")
# Two ids that share their short id, and one that does not.
TWIN_1 = "abcd1234-0000-4000-8000-000000000001"
TWIN_2 = "abcd1234-0000-4000-8000-000000000002"
OTHER = "99990000-0000-4000-8000-000000000003"


@pytest.fixture
def registry(app: App) -> App:
    """Region noord with shelters a and b; shelter z in region zuid; partner-x abroad."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(app, "zuid", kind="region", name="Regio Zuid", actor=ADMIN)
    for org, region in (("shelter-a", "noord"), ("shelter-b", "noord"), ("shelter-z", "zuid")):
        accounts.add_organisation(
            app, org, kind="shelter", name=org.title(), region=region, actor=ADMIN
        )
    accounts.add_organisation(app, "partner-x", kind="partner", name="Partner X", actor=ADMIN)
    for user, role, org in (
        ("anna", "counsellor", "shelter-a"),
        ("ben", "counsellor", "shelter-a"),
        ("bea", "counsellor", "shelter-b"),
        ("zoe", "counsellor", "shelter-z"),
    ):
        accounts.add_user(app, user, role=role, organisation=org, actor=ADMIN)  # fmt: skip
    return app


def _open(app: App, org: str, client: str, *, counsellor: str | None = None) -> str:
    view = service.open_case(
        app, client_ref=client, organisation=org, kind="trafficking",
        intake_on=app.clock.now().date(), counsellor=counsellor, actor=ACTOR,
    )  # fmt: skip
    return str(view["id"])


def _ids(app: App, *ids: str) -> None:
    """The next cases opened get these ids."""
    app.new_id = iter(ids).__next__


def test_the_short_id_names_the_case_for_show_fire_record_timeline_and_document(
    registry: App,
) -> None:
    """Each case operation takes the first 8 characters; the audit names the full id."""
    _ids(registry, OTHER)
    case_id = _open(registry, "shelter-a", "A-1")
    short = case_id[:8]
    assert case_id == service.show(registry, short, actor=ANNA)["id"]
    today = registry.clock.now().date()
    service.record(registry, short, "risk_analysis", example("risk_analysis", today), actor=ANNA)
    assert 1 == service.document(registry, short, "risk_analysis", actor=ANNA)["version"]
    fired = service.fire(registry, short, "start_reflection_period", {}, actor=ANNA)
    assert "reflection_period" == fired["residence_state"]
    triggers = [e["trigger"] for e in service.timeline(registry, short, actor=ANNA)]
    assert "start_reflection_period" == triggers[-1]
    trail = audit.trail(registry, short, actor=ADMIN)
    assert ["counsellor:test", "person:anna"] == sorted({r["actor"] for r in trail})
    with registry.uow.begin() as repo:
        assert [] == repo.audit_trail(short)  # every row under the full id


def test_a_short_id_shared_by_two_visible_cases_is_refused_naming_both(registry: App) -> None:
    """An ambiguous prefix is bad input that lists the cases, and nothing is read."""
    _ids(registry, TWIN_1, TWIN_2)
    _open(registry, "shelter-a", "A-1")
    _open(registry, "shelter-a", "A-2")
    with pytest.raises(AmbiguousCase) as refused:
        service.show(registry, "abcd1234", actor=ANNA)
    assert isinstance(refused.value, InvalidInput)
    assert [f"case: abcd1234 starts the ids of {TWIN_1}, {TWIN_2}; give more of the id"] == (
        refused.value.reasons
    )
    assert TWIN_2 == service.show(registry, TWIN_2, actor=ANNA)["id"]  # the whole id does
    with registry.uow.begin() as repo:
        assert ["open"] == [r["action"] for r in repo.audit_trail(TWIN_1)]  # nothing read


def test_a_short_id_resolves_only_within_the_callers_scope(registry: App) -> None:
    """Shelter b's twin neither resolves for shelter a nor makes a's prefix ambiguous."""
    _ids(registry, TWIN_1, TWIN_2)
    _open(registry, "shelter-a", "A-1")
    _open(registry, "shelter-b", "B-1")
    assert TWIN_1 == service.show(registry, "abcd1234", actor=ANNA)["id"]
    assert TWIN_2 == service.show(registry, "ABCD1234", actor=BEA)["id"]
    with pytest.raises(CaseNotFound):
        service.show(registry, "abcd1234", actor=ZED)
    with pytest.raises(AmbiguousCase):  # the coordinator of noord sees both
        service.show(registry, "abcd1234", actor=CORA)
    with pytest.raises(AmbiguousCase):  # the operator too
        service.show(registry, "abcd1234", actor=ACTOR)


def test_a_prefix_of_another_shelters_case_is_no_case(registry: App) -> None:
    """A counsellor of shelter a gets "no case" for the short id of shelter z's only case."""
    _ids(registry, OTHER)
    _open(registry, "shelter-z", "Z-1")
    with pytest.raises(CaseNotFound) as refused:
        service.fire(registry, OTHER[:8], "start_reflection_period", {}, actor=ANNA)
    assert ["case: no case with id 99990000"] == refused.value.reasons


def test_a_refusal_by_short_id_is_audited_under_the_full_id(registry: App) -> None:
    """A coordinator's denied change and a refused trigger land in the case's own trail."""
    case_id = _open(registry, "shelter-a", "A-1")
    with pytest.raises(Forbidden):
        service.fire(registry, case_id[:8], "complete", {}, actor=CORA)
    with pytest.raises(TriggerRefused):
        service.fire(registry, case_id[:8], "complete", {}, actor=ANNA)
    with registry.uow.begin() as repo:
        actions = [r["action"] for r in repo.audit_trail(case_id)]
        assert [] == repo.audit_trail(case_id[:8])
    assert ["open", "denied:fire:complete", "refused:fire:complete"] == actions


def _list(app: App, actor: str | Principal, **filters: object) -> list[dict[str, object]]:
    limit = int(filters.pop("limit", 50))  # type: ignore[call-overload]
    query = service.CaseQuery(**filters)  # type: ignore[arg-type]
    return list(service.list_cases(app, query, actor=actor, limit=limit)["items"])


def test_a_counsellor_lists_her_shelters_cases_with_client_references(registry: App) -> None:
    """Her own shelter's cases only, each with its short id, client and what is due next."""
    mine = _open(registry, "shelter-a", "A-1", counsellor="anna")
    _open(registry, "shelter-b", "B-1")
    (item,) = _list(registry, ANNA)
    assert mine == item["id"]
    assert mine[:8] == item["short_id"]
    assert "A-1" == item["client_ref"]
    assert ("shelter-a", "anna") == (item["organisation"], item["counsellor"])
    assert item["closed"] is False
    assert "2026-01-05" == item["opened_on"]
    assert item["next_deadline"] is not None


def test_a_coordinator_lists_her_regions_cases_without_client_references(
    registry: App,
) -> None:
    """Shelters a and b of noord, not z of zuid; no client reference, no search by one."""
    a, b = _open(registry, "shelter-a", "A-1"), _open(registry, "shelter-b", "B-1")
    _open(registry, "shelter-z", "Z-1")
    items = _list(registry, CORA)
    assert {a, b} == {i["id"] for i in items}
    assert all("client_ref" not in i for i in items)
    with pytest.raises(Forbidden) as refused:
        _list(registry, CORA, client_ref="A-1")
    assert ["client_ref: only a counsellor of the shelter sees client references"] == (
        refused.value.reasons
    )


def test_an_administrator_lists_no_cases(registry: App) -> None:
    """The case list is not for an administrator."""
    _open(registry, "shelter-a", "A-1")
    with pytest.raises(Forbidden):
        _list(registry, ADMINISTRATOR)


def test_a_partner_lists_only_the_cases_offered_to_it(registry: App, case: CaseDriver) -> None:
    """Its hand-over, not the shelter's other cases; no client reference, no residence; the
    short id names the case for it, and for no other partner."""
    _open(registry, "shelter-a", "A-2")
    case.open(org="shelter-a", client="A-1")
    case.to_departure()
    case.record("consent", partner_organisation="partner-x")
    case.record("handover_checklist")
    case.fire("offer_handover", partner="partner-x")
    partner = Principal("px", "partner", "partner-x")
    (item,) = _list(registry, partner)
    assert case.id == item["id"]
    assert ("departure", None) == (item["state"], item["residence_state"])
    assert "client_ref" not in item
    other = Principal("py", "partner", "partner-y")
    assert [] == _list(registry, other)
    assert case.id == service.show(registry, case.id[:8], actor=partner)["id"]  # its short id
    with pytest.raises(CaseNotFound):
        service.show(registry, case.id[:8], actor=other)
    # the residence track is hidden from it: a filter by it would tell it, one state at a time
    for residence in registry.workflow.spec.residence.states:
        with pytest.raises(Forbidden) as refused:
            _list(registry, partner, state=residence.id)
        assert "state: a partner filters by the steps it sees" in str(refused.value.reasons)


def test_search_by_client_file_number(registry: App) -> None:
    """The keyed hash finds the client's case at her shelter, and only there."""
    a1 = _open(registry, "shelter-a", "DOS-2026-17")
    _open(registry, "shelter-a", "DOS-2026-18")
    b1 = _open(registry, "shelter-b", "DOS-2026-17")
    assert [a1] == [i["id"] for i in _list(registry, ANNA, client_ref="DOS-2026-17")]
    everywhere = _list(registry, ACTOR, client_ref="DOS-2026-17")
    assert {a1, b1} == {i["id"] for i in everywhere}
    assert [b1] == [
        i["id"] for i in _list(registry, ACTOR, client_ref="DOS-2026-17", organisation="shelter-b")
    ]
    assert [] == _list(registry, ANNA, client_ref="DOS-9999")


def test_filters_by_counsellor_state_and_closed(registry: App, case: CaseDriver) -> None:
    """--counsellor, a step or a residence state, open or closed."""
    anna = _open(registry, "shelter-a", "A-1", counsellor="anna")
    ben = _open(registry, "shelter-a", "A-2", counsellor="ben")
    assert [anna] == [i["id"] for i in _list(registry, ANNA, counsellor="anna")]
    assert {anna, ben} == {i["id"] for i in _list(registry, ANNA, state="basic_needs_safety")}
    assert {anna, ben} == {i["id"] for i in _list(registry, ANNA, state="no_procedure")}
    assert [] == _list(registry, ANNA, closed=True)
    with pytest.raises(InvalidInput) as refused:
        _list(registry, ANNA, state="nowhere")
    (reason,) = refused.value.reasons
    assert reason.startswith("state: 'nowhere' is neither a step nor a residence state; use one")
    assert "basic_needs_safety" in reason


def test_open_cases_come_most_urgent_first(registry: App, clock: FixedClock) -> None:
    """An older case's deadline falls sooner: it comes first; overdue shows as overdue."""
    older = _open(registry, "shelter-a", "A-1")
    clock.advance(timedelta(days=3))
    newer = _open(registry, "shelter-a", "A-2")
    clock.advance(timedelta(days=60))
    items = _list(registry, ANNA)
    assert [older, newer] == [i["id"] for i in items]
    first = items[0]["next_deadline"]
    assert isinstance(first, dict)
    assert first["overdue"] is True
    assert first["days_overdue"] > 0


def test_the_cursor_pages_through_every_case_once_whatever_is_opened_meanwhile(
    registry: App, clock: FixedClock
) -> None:
    """Pages of 2 over 5 cases; a case opened between pages neither repeats nor hides one."""
    opened = []
    for n in range(5):
        opened.append(_open(registry, "shelter-a", f"A-{n}"))
        clock.advance(timedelta(days=1))
    first = service.list_cases(registry, actor=ANNA, limit=2)
    assert 2 == len(first["items"]) and first["next"] is not None
    _open(registry, "shelter-a", "A-late")  # due last: it shows on the last page
    seen = [i["id"] for i in first["items"]]
    cursor = first["next"]
    while cursor is not None:
        page = service.list_cases(registry, actor=ANNA, limit=2, cursor=cursor)
        seen += [i["id"] for i in page["items"]]
        cursor = page["next"]
    assert opened == seen[:5]
    assert 6 == len(set(seen)) == len(seen)
    with pytest.raises(InvalidInput):
        service.list_cases(registry, actor=ANNA, cursor="not-a-cursor")


def test_each_listed_case_read_is_audited(registry: App) -> None:
    """A list is a read of each case on it, under the reader's name and the full id."""
    case_id = _open(registry, "shelter-a", "A-1")
    _list(registry, ANNA)
    with registry.uow.begin() as repo:
        assert ("person:anna", "read:list") == tuple(
            (r["actor"], r["action"]) for r in repo.audit_trail(case_id)
        )[-1]
