"""The social map's data file (engine/socialmap/data/book.yaml) against its own header, the
book's numbers, the privacy rule and, where the book is at hand, the extraction script."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from babel import Locale

from engine.socialmap import KINDS, SERVICES

ROOT = Path(__file__).parents[3]
DATA = ROOT / "engine" / "socialmap" / "data" / "book.yaml"
BOOK = ROOT.parent / "shared" / "seeds" / "002_7c2bab03098db753.txt"
SCRIPT = ROOT / "scripts" / "extract_socialmap.py"

SUPPLEMENT_LINE = 8228  # Bijlage 14 after this line: SRTV's contacts, Talitha Kum, networks
UNTABULATED = {"nl-comensha", "nl-srtv"}  # country-list entries whose Dienstenaanbod is prose

# Persons the book names (contacts in Bijlagen 12-14, sisters named in free text).
KNOWN_NAMES = [
    "Mariana Meshi",
    "Imelda Poole",
    "Brikena Puka",
    "Henriët van Dijk",
    "Rini Fokkema",
    "Marianne van Bulck",
    "Ilse Waindrich",
    "Ed Peters",
    "Matje Mattheij",
    "Marion Groen",
    "Ana Maria Garza",
    "Suteera Nittayananta",
    "Santje Geuze",
    "Ivonne van de Kar",
    "Juliana Bezuidenhout",
    "Ninna Mörner",
    "Kyra Gordon",
    "Eugenia Bonetti",
    "Regina",
    "Adina",
    "Louisa",
    "Ursula",
    "Andreja",
    "Guna",
    "Jindriska",
    "Petra",
    "Pilar",
]
TITLES = re.compile(r"\b(?:Sr|Srs|Sister|Zuster|zuster|Mrs|Ms|Mr|Fr|sr)\b\.?")
NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w\u2019'\-]+")
PARTICLES = {"van", "de", "der", "den", "in\u2019t", "in't"}
NOT_NAMES = {"Tel", "Telnr", "Voorzitter", "SSL", "DC", "President", "Manager", "Director"}
PHONE = [
    re.compile(r"\+\s?\d"),  # +31, + 49 ...
    re.compile(r"(?<!\d)00\d{2,}"),  # 00355 ...
    re.compile(r"\d(?:[ \-./]?\d){6,}"),  # 7+ digits, maybe with spaces or dashes
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@cache
def data() -> dict[str, Any]:
    """The data file, parsed."""
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def orgs() -> list[dict[str, Any]]:
    """The records."""
    records: list[dict[str, Any]] = data()["organisations"]
    return records


def by_id(org_id: str) -> dict[str, Any]:
    """One record."""
    return next(org for org in orgs() if org["id"] == org_id)


def book_lines() -> list[str]:
    """The book's lines (newline-split, as the line numbers count), or skip without it."""
    if not BOOK.is_file():
        pytest.skip(f"the book is not at {BOOK} (CI has it under ../shared/seeds)")
    return BOOK.read_text(encoding="utf-8").split("\n")


@cache
def script() -> ModuleType:
    """scripts/extract_socialmap.py, imported from its path."""
    spec = importlib.util.spec_from_file_location("extract_socialmap", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def counted() -> dict[str, int]:
    """The header's numbers, counted from the records."""
    sources = [(org, src) for org in orgs() for src in org["sources"]]
    per_bijlage = Counter(src["bijlage"] for _, src in sources)
    country_list = [
        (org, src) for org, src in sources if src["bijlage"] == 14 and src["line"] < 8228
    ]
    return {
        "organisations": len(orgs()),
        "countries": len({org["country"] for org in orgs() if org["country"]}),
        "bijlage_11": per_bijlage[11],
        "bijlage_12": per_bijlage[12],
        "bijlage_13": per_bijlage[13],
        "bijlage_14": per_bijlage[14],
        "bijlage_14_country_list": len(country_list),
        "bijlage_14_countries": len({org["country"] for org, _ in country_list}),
        "bijlage_14_service_tables": len(
            [org for org, _ in country_list if org["id"] not in UNTABULATED]
        ),
        "iom_countries": len(by_id("int-iom")["serves"]),
    }


def test_header_counts_equal_the_records() -> None:
    """`counts:` is what the records give."""
    assert data()["counts"] == counted()


def test_counts_are_the_numbers_found_in_the_book() -> None:
    """The numbers found by reading the book (header comment), literally."""
    expected = {
        "organisations": 118,
        "countries": 55,
        "bijlage_11": 12,
        "bijlage_12": 1,
        "bijlage_13": 4,
        "bijlage_14": 108,
        "bijlage_14_country_list": 73,
        "bijlage_14_countries": 42,
        "bijlage_14_service_tables": 71,
        "iom_countries": 90,
    }
    assert expected == data()["counts"]
    assert expected == counted()


def test_lists_of_countries_in_bijlagen_12_and_13() -> None:
    """IOM's 90 countries, Maatwerk's 42 and Bridge to Better's 70, each code once."""
    for org_id, expected in [
        ("int-iom", 90),
        ("nl-maatwerk-bij-terugkeer", 42),
        ("nl-bridge-to-better", 70),
    ]:
        serves = by_id(org_id)["serves"]
        assert expected == len(serves) == len(set(serves))


def test_kinds_per_bijlage() -> None:
    """Bijlage 12 is IOM, Bijlage 13 the four return organisations, the rest partners/networks."""
    kinds = Counter(org["kind"] for org in orgs())
    assert {"partner": 105, "network": 8, "return_organisation": 4, "iom": 1} == dict(kinds)
    for org in orgs():
        bijlagen = {src["bijlage"] for src in org["sources"]}
        if 13 in bijlagen:
            assert "return_organisation" == org["kind"]
        if 12 in bijlagen:
            assert "iom" == org["kind"]


@pytest.mark.parametrize(
    ("org_id", "expected"),
    [
        # L7273-7292: all ticked but financial; 'Andere diensten' filled.
        (
            "ng-cosudow",
            [
                "airport_pickup",
                "customs_police_assistance",
                "shelter",
                "psychological",
                "medical",
                "legal",
                "skills_training",
                "job_income",
                "children",
                "family_reunification",
                "other",
            ],
        ),
        # L5449-5468: no pick-up, customs, job, financial or family ticks.
        (
            "al-ibvm-loreto",
            [
                "shelter",
                "psychological",
                "medical",
                "legal",
                "skills_training",
                "children",
                "other",
            ],
        ),
        # L7441-7456: shelter, medical, legal only.
        ("at-miriam-projekt", ["shelter", "medical", "legal"]),
        # L6050-6080: every row '-', 'Andere diensten' filled.
        ("dk-pro-vest", ["other"]),
        # L8070-8085: a blank table.
        ("gb-women-at-the-well", []),
        # L5723-5756: pick-up "Op verzoek" is no tick.
        (
            "br-casa-brasil-holanda",
            [
                "customs_police_assistance",
                "psychological",
                "legal",
                "skills_training",
                "job_income",
                "other",
            ],
        ),
        # L6422-6489: customs "Gedeeltelijk" and the "Nee" rows are no ticks.
        ("ee-living-for-tomorrow", ["airport_pickup", "legal", "other"]),
        # L5936-5965 and L8419-8450: all 'x'; the Bulgarian entry fills 'Andere diensten'.
        ("bg-a21", list(SERVICES)),
    ],
)
def test_services_checked_by_hand(org_id: str, expected: list[str]) -> None:
    """Services of entries read by hand against the book's tables (book lines above)."""
    assert expected == by_id(org_id)["services"]


def test_other_services_goes_with_other() -> None:
    """`other` is in services exactly when the 'Andere diensten' text is kept."""
    for org in orgs():
        assert ("other" in org["services"]) == bool(org.get("other_services")), org["id"]


def test_ids_unique_and_slugs() -> None:
    """Ids are unique slugs `<country code or int>-<name>`."""
    ids = [org["id"] for org in orgs()]
    assert len(ids) == len(set(ids))
    for org in orgs():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", org["id"]), org["id"]
        prefix = (org["country"] or "int").lower()
        assert org["id"].startswith(f"{prefix}-"), org["id"]


def test_fields_and_codes() -> None:
    """Kinds, services, country codes (known to Babel), websites and sources are valid."""
    territories = set(Locale("en").territories)
    for org in orgs():
        where = org["id"]
        assert org["kind"] in KINDS, where
        assert isinstance(org["name"], str), where
        assert org["name"].strip(), where
        assert isinstance(org["worldwide"], bool), where
        assert len(org["services"]) == len(set(org["services"])), where
        assert [s for s in SERVICES if s in org["services"]] == org["services"], where
        codes = [org["country"]] if org["country"] is not None else []
        for code in codes + org["serves"]:
            assert isinstance(code, str), where
            assert re.fullmatch(r"[A-Z]{2}", code), where
            assert code in territories, (where, code)
        assert org["country"] not in org["serves"], where
        website = org["website"]
        assert website is None or re.fullmatch(r"https?://[\w.-]+\.\w+(?:/\S*)?", website), where
        assert org["sources"], where
        for src in org["sources"]:
            assert src["bijlage"] in {11, 12, 13, 14}, where
            assert 4906 <= src["line"] <= 8473, where
        if org["kind"] == "network":
            assert org["country"] is None, where


def test_no_phone_numbers_or_email_addresses() -> None:
    """No phone number and no e-mail address anywhere in the records."""
    text = yaml.safe_dump(orgs(), allow_unicode=True)
    for pattern in PHONE:
        assert [] == pattern.findall(text)
    assert [] == EMAIL.findall(text)
    # The one "@" is the book's spelling of an organisation's name.
    assert ["Women@ the Well / Mercy Sisters"] == [o["name"] for o in orgs() if "@" in str(o)]


def record_text() -> str:
    """All the records' strings, for looking up names."""
    return yaml.safe_dump(orgs(), allow_unicode=True, width=10**6)


@pytest.mark.parametrize("name", KNOWN_NAMES)
def test_known_contact_persons_absent(name: str) -> None:
    """None of these persons the book names appears in the records (works without the book)."""
    assert [] == re.findall(rf"\b{re.escape(name)}\b", record_text())


def names_in_book(lines: list[str]) -> set[str]:
    """Contact persons' names from the book: 'Naam van contactpersoon' rows (with their
    continuation lines), the DT&V table (L5256-5302) and SRTV's list (L8230-8263)."""
    chunks: list[str] = []
    for index, line in enumerate(lines):
        if line.strip().startswith("Naam van contactpersoon"):
            parts = [line.strip()[len("Naam van contactpersoon") :]]
            for following in lines[index + 1 : index + 8]:
                if re.match(r"\s*(Telnr|Algemene|E-mail|Website)", following):
                    break
                parts.append(following.strip())
            chunks.append(" ".join(parts))
    names: set[str] = set()
    for chunk in chunks:
        for part in re.split(r"[/,;:()“”\u2013•]|\s-\s|\bis\b|\ben\b", TITLES.sub("|", chunk)):
            for piece in part.split("|"):
                words: list[str] = []
                for word in piece.split():
                    if NAME_WORD.fullmatch(word) or (words and word in PARTICLES):
                        words.append(word)
                    elif words:
                        break
                while words and words[-1] in PARTICLES:
                    words.pop()
                if len(words) >= 2 and not set(words) & NOT_NAMES:
                    names.add(" ".join(words))
    srtv = " ".join(lines[8229:8263])  # names follow a title: "Sr. Pauline Coll, Srs.of ..."
    names |= set(
        re.findall(r"\b(?:Sr|Mrs|Ms)\.?\s*([A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+)+)", srtv)
    )
    dtv = " ".join(line.strip() for line in lines[5255:5302])
    names |= {
        f"{first} {last}"
        for first, last in re.findall(r"\((\w+)\)\s+((?:(?:van|der|de)\s+)*[A-Z]\w+)", dtv)
    }
    return names


def test_contact_persons_from_the_book_absent() -> None:
    """No contact person the book names appears in the records (names read from the book)."""
    names = names_in_book(book_lines())
    assert {"Mariana Meshi", "Henriët van Dijk", "John van der Plas", "Pauline Coll"} <= names
    assert {"Ivonne van de Kar", "Loek Goemans", "Adina Balan", "Mary O\u2019Malley"} <= names
    text = record_text()
    assert [] == sorted(name for name in names if re.search(rf"\b{re.escape(name)}\b", text))


def test_services_equal_the_scripts_parse() -> None:
    """Each Bijlage 14 table's ticks, as the script parses them, are the record's services."""
    entries = script().parse_bijlage14(book_lines())
    tabulated = {entry.line: entry for entry in entries if entry.has_table}
    assert 72 == len(tabulated)
    assert 71 == len([line for line in tabulated if line < SUPPLEMENT_LINE])
    seen: set[int] = set()
    for org in orgs():
        lines = [s["line"] for s in org["sources"] if s["bijlage"] == 14 and s["line"] in tabulated]
        if lines:
            parsed = {service for line in lines for service in tabulated[line].services}
            assert [s for s in SERVICES if s in parsed] == org["services"], org["id"]
            seen.update(lines)
    assert set(tabulated) == seen


def test_sources_are_the_books_entries() -> None:
    """Every Bijlage 14 entry the script finds is a source here, with its Land label."""
    entries = script().parse_bijlage14(book_lines())
    labels = {
        src["line"]: src.get("label")
        for org in orgs()
        for src in org["sources"]
        if src["bijlage"] == 14
    }
    assert 79 == len(entries)
    for entry in entries:
        assert entry.land.strip() == labels.get(entry.line), entry.name
