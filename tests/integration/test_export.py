"""Documents that leave the system (issue 13, point 7): the PAT (Bijlage 5, book L4221-4440)
and the updated risk analysis (Bijlage 7, L4528-4561) exported over the real API as PDF/A and
HTML, in English and Dutch, filled from the case; who may have which; no client reference
except on her own copy; every export audited like a read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from engine.documents import example
from engine.store._tables import audit
from tests.pdfs import pdf_text, pdfa_claim, save_pages
from tests.support import ADMIN, CaseDriver, ServerThread, enrolled_token

CLIENT = "CLIENT-EXP-77"
PARTNER = "partner-x"

# The PAT's 13 numbered sections as the form heads them: the book's Dutch words
# (L4242-4425) and their English translation.
PAT_NL = [
    "1 Persoonlijke achtergrond: wat heeft u tot nu toe gedaan en waar liggen uw interesses?",
    "2a Persoonlijke doelen: wonen, werken, opleiding",
    "2b Persoonlijke doelen: bedenk wat u nodig heeft om uw doelen te realiseren",
    "3 Bedenk welke personen/organisaties u kunnen helpen en waarmee",
    "4 Kinderen",
    "5 Veiligheid",
    "6 Informatie",
    "7 Gezondheid",
    "8 Verwachtingen bij achterblijvers in land van herkomst",
    "9 Eigen verwachtingen ten opzichte van terugkeer",
    "10 Praktische zaken (laissez-passer, wonen, werk, vlucht)",
    "11 Betrokken organisaties en overdracht",
    "12 Monitoring na terugkeer",
    "13 Afspraken",
]
PAT_EN = [
    "1 Personal background: what have you done so far and where do your interests lie?",
    "2a Personal goals: housing, work, education",
    "2b Personal goals: think about what you need to realise your goals",
    "3 Think about which people/organisations can help you, and with what",
    "4 Children",
    "5 Safety",
    "6 Information",
    "7 Health",
    "8 Expectations of those left behind in the country of origin",
    "9 Own expectations of the return",
    "10 Practical matters (laissez-passer, housing, work, flight)",
    "11 Organisations involved and hand-over",
    "12 Monitoring after return",
    "13 Appointments",
]


@dataclass
class World:
    app: App
    url: str
    tokens: dict[str, str]
    case: CaseDriver

    @contextmanager
    def api(self, user: str) -> Iterator[httpx.Client]:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=60) as client:
            yield client

    def export(self, user: str, kind: str = "return_plan", **params: str) -> httpx.Response:
        with self.api(user) as client:
            return client.get(f"/cases/{self.case.id}/documents/{kind}/export", params=params)


@pytest.fixture
def world(app: App, case: CaseDriver) -> Iterator[World]:
    """Shelter A in region noord with counsellor anna, coordinator zc, partner px at
    partner-x; one case of anna's handed over to partner-x, the client since consenting to
    share her return plan only. A free-text answer of the plan holds her file number by mistake."""
    for org, kind, region in (("noord", "region", None), ("shelter-a", "shelter", "noord"),
                              (PARTNER, "partner", None)):  # fmt: skip
        accounts.add_organisation(app, org, kind=kind, name=org.title(), region=region,
                                  actor=ADMIN)  # fmt: skip
    tokens = {}
    for user, org, role in (("anna", "shelter-a", "counsellor"), ("zc", "noord", "coordinator"),
                            ("px", PARTNER, "partner")):  # fmt: skip
        accounts.add_user(app, user, organisation=org, role=role, actor=ADMIN)
        tokens[user] = enrolled_token(app, user)
    case.open(org="shelter-a", client=CLIENT)
    case.to_provisional_decision()
    case.fire("choose_return")
    plan = example("return_plan", case.today)
    plan["organisations"]["agreements"] = f"Her file {CLIENT} travels with the partner's plan"
    plan["own_expectations"]["looks_forward_to"] = "Seeing <b>her</b> mother & sister"
    case.record("return_plan", **plan)
    case.fire("complete")
    case.record("risk_update")
    case.fire("complete")
    case.record("consent", partner_organisation=PARTNER)  # the plan and the risk analysis
    case.record("handover_checklist")
    case.hand_over(PARTNER)
    case.fire("depart", departed_on=str(case.today), partner_organisation=PARTNER)
    case.record("consent", partner_organisation=PARTNER, share_documents=["return_plan"])
    with ServerThread(create_api(app)) as server:
        yield World(app, server.url, tokens, case)


def _filename(response: httpx.Response) -> str:
    found = re.fullmatch(r'attachment; filename="([^"]+)"', response.headers["content-disposition"])
    assert found is not None, response.headers["content-disposition"]
    return found.group(1)


def test_the_english_pat_shows_its_13_sections_filled_from_the_case(world: World) -> None:
    """Book L2990-2992: the PAT travels in English. The PDF/A-3b names the 13 sections of
    Bijlage 5 (L4242-4425) in order, fills them from the case with words, not ids, and
    carries no client reference, not even one typed into a free-text answer."""
    response = world.export("anna", format="pdf", lang="en")
    assert (200, "application/pdf") == (response.status_code, response.headers["content-type"])
    assert f"return_plan-{world.case.id[:8]}-v1-en.pdf" == _filename(response)
    assert ("3", "B") == pdfa_claim(response.content)
    text = pdf_text(response.content)
    positions = [text.find(heading) for heading in PAT_EN]
    assert [p for p in positions if p >= 0] == sorted(positions) and -1 not in positions, text
    for filled in (
        "What kind of work would you like to do when you return to your country of origin? "
        "Start a small tailoring business",
        "In which areas? Airport pick-up, Shelter, Work and income",  # section 11, L4409
        "Can you let us know when you have arrived? How? through the partner organisation",
        "Was your family involved in the trafficking and/or the violence? no",
        "Interests/hobbies: what do you enjoy? What do you like doing? — not answered",
    ):
        assert filled in text
    assert "airport_pickup" not in text and "via_partner" not in text
    assert "CLIENT" not in text and "CLIENT" not in _filename(response)
    assert "Her file […] travels with the partner's plan" in text
    pages = save_pages(response.content, "pat-en")
    assert 3 <= len(pages)


def test_the_dutch_pat_shows_the_books_own_headings(world: World) -> None:
    """Bijlage 5 in the book's Dutch words (L4242-4425), its answers in Dutch words."""
    response = world.export("anna", format="pdf", lang="nl")
    assert 200 == response.status_code
    text = pdf_text(response.content)
    assert [h for h in PAT_NL if h in text] == PAT_NL
    for filled in (
        "Op welke terreinen? Ophalen van het vliegveld, Opvang, Werk en inkomen",
        "Was uw familie betrokken bij de mensenhandel en/of het geweld? nee",
        "Interesses/hobby\u2019s: waar beleeft u plezier aan? Wat vindt u leuk om te doen? "
        "— niet beantwoord",
        "Hoe lang en op welke momenten? na een maand, na zes maanden, na twaalf maanden",
    ):
        assert filled in text
    assert "CLIENT" not in text
    save_pages(response.content, "pat-nl")


def test_the_updated_risk_analysis_asks_bijlage_7s_questions(world: World) -> None:
    """Bijlage 7's updated analysis (L4528-4561) with step 11's added questions (L3338,
    L3345), answered in words in both languages."""
    english = world.export("anna", "risk_update", format="pdf", lang="en")
    dutch = world.export("anna", "risk_update", format="pdf", lang="nl")
    assert (200, 200) == (english.status_code, dutch.status_code)
    en, nl = pdf_text(english.content), pdf_text(dutch.content)
    assert "Updated Risk Analysis" in en and "Geactualiseerde Risico Analyse" in nl
    assert (
        "2. Is there a risk that the client becomes a victim of (repeated) female genital "
        "mutilation? no"
    ) in en
    assert (
        "1. Is er een risico dat de persoon opnieuw slachtoffer wordt van mensenhandel of "
        "huiselijk geweld? ja"
    ) in nl
    assert "7. Heeft het slachtoffer nog schulden uitstaan bij de handelaar en/of familie" in nl
    assert "risico bij terugkeer gemiddeld" in nl and "risk on return medium" in en
    save_pages(english.content, "risk-update-en")
    save_pages(dutch.content, "risk-update-nl")


def test_the_health_checklist_follows_bijlage_6_in_both_languages(world: World) -> None:
    """Bijlage 6 (L4441-4504): its six headings and questions, the medicines and care with
    their three checks, in words, in English and in the book's Dutch."""
    world.case.record("health_checklist")
    english = world.export("anna", "health_checklist", format="pdf", lang="en")
    dutch = world.export("anna", "health_checklist", format="pdf", lang="nl")
    assert (200, 200) == (english.status_code, dutch.status_code)
    en, nl = pdf_text(english.content), pdf_text(dutch.content)
    for number, heading in enumerate(
        ["Illness and complaints", "Medicines", "Health facilities", "Network / informal care",
         "Capacity to decide", "Hand-over"], start=1,
    ):  # fmt: skip
        assert f"{number} {heading}" in en
    for number, heading in enumerate(
        ["Ziekte en klachten", "Medicijnen", "Gezondheidsvoorzieningen", "Netwerk/mantelzorg",
         "Beslissingsbekwaamheid / wilsbekwaamheid", "Overdracht"], start=1,
    ):  # fmt: skip
        assert f"{number} {heading}" in nl
    assert "What is the illness called in English? Post-traumatic stress disorder" in en
    assert "Welke medicijnen zijn er nodig? Noteer de stofnaam. sertraline" in nl
    assert "Is medical escort needed on the journey? (a doctor assesses this) not needed" in en
    assert "a doctor in the country of origin" in en and "een arts in het land van herkomst" in nl
    assert CLIENT not in en + nl
    save_pages(english.content, "health-checklist-en")
    save_pages(dutch.content, "health-checklist-nl")


def test_the_html_is_the_same_form_and_escapes_what_was_typed(world: World) -> None:
    """One template for screen and PDF: the HTML has the same headings, and a typed `<b>`
    stays text (autoescape)."""
    response = world.export("anna", format="html", lang="en")
    assert (200, "text/html; charset=utf-8") == (
        response.status_code,
        response.headers["content-type"],
    )
    assert f"return_plan-{world.case.id[:8]}-v1-en.html" == _filename(response)
    html = response.text
    assert "Seeing &lt;b&gt;her&lt;/b&gt; mother &amp; sister" in html
    plain = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert [h for h in PAT_EN if h in plain] == PAT_EN
    assert "CLIENT" not in html
    assert not re.search(r"(src|href)=", html)  # nothing to fetch


def test_the_clients_own_copy_carries_her_reference(world: World) -> None:
    """Only on her own copy, and only her counsellor makes it: the reference is printed,
    the file name still goes without it."""
    response = world.export("anna", format="pdf", lang="en", copy="client")
    assert 200 == response.status_code
    text = pdf_text(response.content)
    assert f"Client reference {CLIENT}" in text and "The client's own copy" in text
    assert f"Her file {CLIENT} travels" in text  # her own words, unredacted, on her copy
    assert f"return_plan-{world.case.id[:8]}-v1-en-client-copy.pdf" == _filename(response)
    save_pages(response.content, "pat-en-client-copy")
    partner = world.export("px", format="pdf", lang="en", copy="client")
    assert 403 == partner.status_code
    assert ["copy: only the client's counsellor makes her own copy, with her reference"] == (
        partner.json()["reasons"]
    )


def test_a_partner_exports_only_what_the_client_consented_to_share(world: World) -> None:
    """Book L3375-3377: the partner receives what the client consented to hand over: her
    return plan here, not the risk analysis; once consent is withdrawn, nothing."""
    shared = world.export("px", format="pdf", lang="en")
    assert 200 == shared.status_code
    assert "CLIENT" not in pdf_text(shared.content)
    withheld = world.export("px", "risk_update", format="pdf")
    assert 403 == withheld.status_code
    assert ["kind: the client did not consent to share risk_update with you"] == (
        withheld.json()["reasons"]
    )
    world.case.record(
        "consent", partner_organisation=PARTNER, share_documents=["return_plan"],
        withdrawn=True, withdrawn_on=str(world.case.today),
    )  # fmt: skip
    assert 404 == world.export("px", format="pdf").status_code


def test_a_coordinator_exports_no_contents(world: World) -> None:
    """A coordinator looks across cases for what is overdue; she reads no document."""
    response = world.export("zc", format="html")
    assert (403, ["role: a coordinator sees no contents"]) == (
        response.status_code,
        response.json()["reasons"],
    )


def test_every_export_is_audited_like_a_read(world: World) -> None:
    """Who exported which document, and who was refused, is in the case's audit trail."""
    world.export("anna", format="html", lang="nl")
    world.export("px", "risk_update", format="html")
    world.export("zc", format="pdf")
    with world.app.db.begin() as conn:
        rows = conn.execute(
            select(audit.c.actor, audit.c.action)
            .where(audit.c.case_id == world.case.id, audit.c.action.contains("export"))
            .order_by(audit.c.seq)
        ).all()
    assert [
        ("person:anna", "read:export:return_plan"),
        ("person:px", "denied:read:export:risk_update"),
        ("person:zc", "denied:read:export:return_plan"),
    ] == [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("kind", "params", "status", "reason"),
    [
        ("overview1", {}, 404, "kind: 'overview1' cannot be exported; one of return_plan, "
         "risk_update, health_checklist"),
        ("return_plan", {"format": "docx"}, 422, "format: 'docx' is not a format; one of pdf, "
         "html"),
        ("return_plan", {"lang": "fr"}, 422, "lang: 'fr' is not a language of the export; one "
         "of en, nl"),
        ("return_plan", {"copy": "partner"}, 422, "copy: 'partner' is not a copy; only client"),
    ],
)  # fmt: skip
def test_bad_export_options_are_refused_naming_the_allowed_values(
    world: World, kind: str, params: dict[str, str], status: int, reason: str
) -> None:
    """problem+json naming the field and the values it takes; nothing is read or audited."""
    response = world.export("anna", kind, **params)
    assert (status, "application/problem+json", [reason]) == (
        response.status_code,
        response.headers["content-type"],
        response.json()["reasons"],
    )


def test_a_document_not_yet_recorded_cannot_be_exported(app: App, world: World) -> None:
    """A case without a return plan yet: the export says so."""
    other = CaseDriver(app, world.case.clock)
    other.open(org="shelter-a", client="CLIENT-EXP-78")
    with world.api("anna") as client:
        response = client.get(f"/cases/{other.id}/documents/return_plan/export")
    assert (422, ["kind: no return_plan recorded on this case yet"]) == (
        response.status_code,
        response.json()["reasons"],
    )


@contextmanager
def _signed_in(world: World, user: str) -> Iterator[httpx.Client]:
    """A browser-like client with a page session for `user`."""
    headers = {"Origin": world.url}
    with httpx.Client(base_url=world.url, headers=headers, timeout=60) as web:
        data = {"token": world.tokens[user], "next": "/ui/overdue"}
        assert 303 == web.post("/ui/login", data=data).status_code
        yield web


def _export_links(html: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/ui/cases/[^"]+/export\?[^"]+)"', html)
    ]


def test_the_case_page_links_the_forms_in_the_pages_language(world: World) -> None:
    """Her counsellor finds HTML, PDF and her client's own copy beside each exportable
    document, in the page's language; the link downloads the PDF."""
    case_id = world.case.id
    with _signed_in(world, "anna") as web:
        page = web.get(f"/ui/cases/{case_id}", params={"lang": "nl"})
        assert 200 == page.status_code
        base = f"/ui/cases/{case_id}/documents"
        assert [
            f"{base}/return_plan/export?format=html&lang=nl",
            f"{base}/return_plan/export?format=pdf&lang=nl",
            f"{base}/return_plan/export?format=pdf&lang=nl&copy=client",
            f"{base}/risk_update/export?format=html&lang=nl",
            f"{base}/risk_update/export?format=pdf&lang=nl",
            f"{base}/risk_update/export?format=pdf&lang=nl&copy=client",
        ] == _export_links(page.text)
        download = web.get(f"{base}/return_plan/export?format=pdf&lang=nl")
        assert (200, "application/pdf") == (
            download.status_code,
            download.headers["content-type"],
        )
        assert "1 Persoonlijke achtergrond" in pdf_text(download.content)
        assert download.headers["content-disposition"].startswith("attachment;")


def test_the_case_page_links_a_partner_only_what_was_shared_and_a_coordinator_nothing(
    world: World,
) -> None:
    """The partner sees the shared return plan's links (no client's copy); the coordinator,
    who reads no contents, no links; her refused download is a page, 403."""
    case_id = world.case.id
    with _signed_in(world, "px") as web:
        links = _export_links(web.get(f"/ui/cases/{case_id}", params={"lang": "en"}).text)
        assert [
            f"/ui/cases/{case_id}/documents/return_plan/export?format=html&lang=en",
            f"/ui/cases/{case_id}/documents/return_plan/export?format=pdf&lang=en",
        ] == links
    with _signed_in(world, "zc") as web:
        assert [] == _export_links(web.get(f"/ui/cases/{case_id}").text)
        refused = web.get(f"/ui/cases/{case_id}/documents/return_plan/export?format=pdf")
        assert (403, "text/html; charset=utf-8") == (
            refused.status_code,
            refused.headers["content-type"],
        )
