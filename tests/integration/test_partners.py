"""Partners are known by organisation id, never by display name (issue 11, point 2; review
finding 2): display names are unique once case and spacing are folded, a hand-over and a
consent name a registered partner organisation by id, and access compares ids only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import insert, select, update

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.errors import InvalidInput
from engine.store._tables import cases, documents, organisations
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

PARTNER = "partner-x"


@pytest.fixture
def registry(app: App) -> App:
    """A region, a shelter and the partner "Example Partner Foundation" (partner-x)."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_organisation(
        app, PARTNER, kind="partner", name="Example Partner Foundation", actor=ADMIN
    )
    return app


@pytest.fixture
def handed(registry: App, case: CaseDriver) -> CaseDriver:
    """A case of shelter-a handed over to partner-x, by id, with the client's consent."""
    case.open(org="shelter-a")
    case.to_departure()
    case.record("consent", partner_organisation=PARTNER)
    case.record("handover_checklist")
    case.hand_over(PARTNER)
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    return case


def test_a_look_alike_display_name_is_refused(registry: App) -> None:
    """Review finding 2, first half: "  example partner FOUNDATION " is the same name."""
    with pytest.raises(InvalidInput) as refused:
        accounts.add_organisation(
            registry, "partner-z", kind="partner", name="  example partner FOUNDATION ",
            actor=ADMIN,
        )  # fmt: skip
    assert ["name: an organisation named 'example partner FOUNDATION' exists already"] == (
        refused.value.reasons
    )


@pytest.fixture
def look_alike(registry: App) -> Iterator[dict[str, httpx.Client]]:
    """partner-z, stored with the look-alike name as an older release allowed, and a user at
    each partner, with their own tokens, on the real API."""
    with registry.db.begin() as conn:
        legacy = {"id": "partner-z", "kind": "partner", "name": "  example partner FOUNDATION "}
        conn.execute(insert(organisations).values(**legacy))
    for user, org in (("px", PARTNER), ("pz", "partner-z")):
        accounts.add_user(registry, user, organisation=org, role="partner", actor=ADMIN)
    with ServerThread(create_api(registry)) as server:
        clients = {
            user: httpx.Client(
                base_url=server.url,
                headers={"Authorization": f"Bearer {enrolled_token(registry, user)}"},
            )
            for user in ("px", "pz")
        }
        yield clients
        for client in clients.values():
            client.close()


def test_a_look_alike_partner_reads_nothing_of_the_case(
    handed: CaseDriver, look_alike: dict[str, httpx.Client]
) -> None:
    """Review finding 2, the repro: a partner whose name folds to the real partner's reads
    neither the case nor its return plan (404, as if it did not exist); the real one does."""
    pz, px = look_alike["pz"], look_alike["px"]
    assert 404 == pz.get(f"/cases/{handed.id}").status_code
    assert 404 == pz.get(f"/cases/{handed.id}/documents/return_plan").status_code
    assert 200 == px.get(f"/cases/{handed.id}/documents/return_plan").status_code
    _store_partner_as_text(handed, "Example Partner Foundation")  # as an older release did
    assert 404 == pz.get(f"/cases/{handed.id}/documents/return_plan").status_code
    assert 404 == px.get(f"/cases/{handed.id}").status_code  # a name opens nothing, to anyone


def _store_partner_as_text(case: CaseDriver, name: str) -> None:
    """Write the hand-over and the consent of `case` with a display name, as stored before
    partners were known by id (and left so by migration 0004 when the name is ambiguous)."""
    codec = case.app.uow.codec
    with case.app.db.begin() as conn:
        sealed = conn.execute(select(cases.c.facts).where(cases.c.id == case.id)).scalar_one()
        facts = {**codec.facts_of(case.id, sealed), "handover_partner": name}
        conn.execute(update(cases).where(cases.c.id == case.id)
                     .values(facts=codec.facts(case.id, facts)))  # fmt: skip
        consent = select(documents.c.id, documents.c.version, documents.c.data).where(
            documents.c.case_id == case.id, documents.c.kind == "consent"
        )
        for doc_id, version, stored in conn.execute(consent).all():
            data = codec.document_of(case.id, "consent", version, stored)
            data["partner_organisation"] = name
            sealed = codec.document(case.id, "consent", version, data)
            conn.execute(update(documents).where(documents.c.id == doc_id).values(data=sealed))


@pytest.mark.parametrize("partner", ["Example Partner Foundation", "partner-q", "shelter-a"])
def test_a_hand_over_names_a_registered_partner_by_id(
    registry: App, case: CaseDriver, partner: str
) -> None:
    """The depart trigger's partner and the consent's partner: a display name, an unknown id
    or an organisation that is not a partner is refused, naming the field; nothing changes."""
    case.open(org="shelter-a")
    case.to_departure()
    why = [
        f"partner_organisation: {partner!r} is not the id of a registered partner organisation "
        "(`safe-future org list`)"
    ]
    with pytest.raises(InvalidInput) as consent:
        case.record("consent", partner_organisation=partner)
    assert why == consent.value.reasons
    case.record("consent", partner_organisation=PARTNER)
    case.record("handover_checklist")
    with pytest.raises(InvalidInput) as depart:
        case.fire("depart", departed_on=str(case.today), partner_organisation=partner)
    assert why == depart.value.reasons
    assert "departure" == case.show()["state"]
