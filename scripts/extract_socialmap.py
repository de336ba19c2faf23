"""Draft the social map of Bijlage 14 from the methodology book's flattened PDF text.

Usage: python scripts/extract_socialmap.py BOOK.txt [--yaml OUT.yaml]

The book's Bijlage 14 (lines 5399-8473) has one entry per organisation: a ``Land X`` line,
``Naam van de organisatie NAME``, ``Dienstenaanbod`` and a 12-row service table whose cells
hold ``ü`` or ``x`` (offered), ``-`` or nothing (not offered), or now and then a remark such
as "Op verzoek". A row label that wraps puts its tick on a later line. A contact block follows.

This script reads the tables only. It prints one line per entry (book line, Land label, name,
services ticked, remarks) and with ``--yaml`` writes a draft that was then reviewed by eye into
``engine/socialmap/data/book.yaml``. It is kept to show the method; it is not part of the
package. Contact persons, phone numbers, addresses and e-mail addresses are not read, and
e-mail addresses or phone numbers in the free text are replaced by ``[…]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FIRST_LINE = 5399  # "Bijlage 14 Sociale Kaart: Internationale organisaties ..."
LAST_LINE = 8473  # end of the social map (the colophon follows)
SUPPLEMENT_LINE = 8228  # "Aanvulling op sociale kaart": untabulated lists, then networks

# The table's 12 rows in the book's order: (service id, full row label).
ROWS: list[tuple[str, str]] = [
    ("airport_pickup", "Ophalen van het vliegveld"),
    (
        "customs_police_assistance",
        "Hulp bij passeren douane/ in gesprek gaan met politie of immigratiedienst",
    ),
    ("shelter", "Opvang"),
    ("psychological", "Psychologische hulp"),
    ("medical", "Medische hulp"),
    ("legal", "Juridische hulp"),
    ("skills_training", "Aanleren van vaardigheden/opleiding"),
    ("job_income", "Hulp bij het zoeken naar een baan/ verzekeren van een inkomen"),
    ("financial", "Financiële hulp"),
    ("children", "Hulp voor kinderen/ opvoedkundige hulp"),
    ("family_reunification", "Vereniging met familie"),
    ("other", "Andere diensten"),
]

# How each row's label begins (a wrapped label's first line holds at least this much).
ROW_START = [" ".join(label.split("/")[0].split(" ")[:3]) for _, label in ROWS]
TICKS = {"ü", "x"}
PAGE_FOOTER = re.compile(r"^Bijlagen methodiek Safe Future")
TABLE_END = re.compile(
    r"^(Contactgegevens|Algemene contactgegevens|E-mail|Naam van contactpersoon)"
)
EMAIL = re.compile(r"\S+@\S+")
PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")
URL = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?")


@dataclass
class Entry:
    """One ``Naam van de organisatie`` entry of Bijlage 14."""

    line: int
    land: str
    name: str
    section: str  # "country_list" or "networks"
    has_table: bool = False
    services: list[str] = field(default_factory=list)
    other_services: str = ""
    remarks: dict[str, str] = field(default_factory=dict)  # cell text that is not a tick
    intro: str = ""  # text beside "Dienstenaanbod" (networks, KOK)
    website: str | None = None


def join_wrapped(parts: list[str]) -> str:
    """Join text lines, undoing the PDF's end-of-line hyphenation, with tidy whitespace."""
    text = ""
    for raw in parts:
        part = raw.replace("\t", " ").strip()
        if not part:
            continue
        if text.endswith("-") and not text.endswith(" -") and part[0].islower():
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return re.sub(r"\s+", " ", text).strip()


def scrub(text: str) -> str:
    """Replace e-mail addresses and phone numbers in free text."""
    return PHONE.sub("[…]", EMAIL.sub("[…]", text))


def free_text(parts: list[str]) -> str:
    """Join a free-text cell. Bullet items, and lines that start a new item (a capital after a
    line without closing punctuation), become ``; ``-separated."""
    items: list[list[str]] = [[]]
    for raw in parts:
        stripped = raw.replace("\t", " ").strip()
        if not stripped:
            continue
        previous = items[-1][-1] if items[-1] else ""
        if stripped.startswith("•"):
            items.append([stripped.lstrip("•").strip()])
        elif previous and stripped[0].isupper() and previous[-1] not in "-.,;:":
            items.append([stripped])
        else:
            items[-1].append(stripped)
    texts = [join_wrapped(item).rstrip(";").strip() for item in items]
    return scrub("; ".join(text for text in texts if text))


def normalise_website(value: str) -> str | None:
    """The first URL in a ``Website`` cell, in ``https?://`` form, or None."""
    if "@" in value.replace("@:", ""):  # an e-mail address in the Website row
        return None
    match = URL.search(value.replace("www. ", "www."))
    if match is None:
        return None
    url = match.group(0).rstrip("/")
    return url if url.startswith("http") else f"https://{url}"


def parse_table(block: list[tuple[int, str]], entry: Entry) -> None:
    """Read the 12 service rows (and the intro text) from an entry's lines."""
    rows: dict[int, list[str]] = {}
    intro: list[str] = []
    current = -1  # -1: before the first row
    for _number, text in block:
        stripped = text.strip()
        if TABLE_END.match(stripped):
            break
        found = next(
            (i for i in range(current + 1, len(ROWS)) if stripped.startswith(ROW_START[i])),
            None,
        )
        if found is not None:
            current = found
            rows[current] = [stripped]
            continue
        if current == -1:
            intro.append(stripped)
        else:
            rows[current].append(text)
    entry.intro = join_wrapped(intro)
    entry.has_table = 0 in rows
    for index, (service, label) in enumerate(ROWS):
        lines = rows.get(index, [])
        if service == "other":
            rest = lines[0][len(label) :] if lines else ""
            entry.other_services = free_text([rest, *lines[1:]])
            if entry.other_services and entry.other_services != "-":
                entry.services.append("other")
            continue
        joined = join_wrapped(lines)
        if not joined.startswith(label):
            if lines:
                entry.remarks[service] = f"UNREAD ROW: {joined}"
            continue
        cell = joined[len(label) :].strip()
        if cell.split(" ")[0] in TICKS:
            entry.services.append(service)
            cell = cell[1:].strip()
        if cell and cell != "-":
            entry.remarks[service] = cell


def parse_bijlage14(lines: list[str]) -> list[Entry]:
    """All ``Naam van de organisatie`` entries of Bijlage 14, in book order."""
    entries: list[Entry] = []
    land = ""
    numbered = [
        (number, lines[number - 1])
        for number in range(FIRST_LINE, min(LAST_LINE, len(lines)) + 1)
        if lines[number - 1].strip() and not PAGE_FOOTER.match(lines[number - 1].strip())
    ]
    starts = [
        i for i, (_, text) in enumerate(numbered) if text.strip().startswith("Naam van de organ")
    ]
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(numbered)
        for _, text in reversed(numbered[:start]):
            if text.strip().startswith("Land "):
                land = text.strip()[len("Land ") :].strip()
                break
        block = numbered[start:end]
        stop = next(
            (
                i
                for i, (_, text) in enumerate(block)
                if i > 0 and re.match(r"(Land |Aanvulling op sociale kaart)", text.strip())
            ),
            len(block),
        )
        block = block[:stop]
        number, first = block[0]
        name_parts = [first.strip()[len("Naam van de organisatie") :]]
        body_start = 1
        while body_start < len(block) and not block[body_start][1].strip().startswith(
            "Dienstenaanbod"
        ):
            name_parts.append(block[body_start][1])
            body_start += 1
        entry = Entry(
            line=number,
            land=land,
            name=join_wrapped(name_parts),
            section="country_list" if number < SUPPLEMENT_LINE else "networks",
        )
        body = block[body_start:]
        if body:
            body = [(body[0][0], body[0][1].strip()[len("Dienstenaanbod") :]), *body[1:]]
        parse_table(body, entry)
        for _, text in block:
            if text.strip().startswith("Website"):
                entry.website = normalise_website(text.strip()[len("Website") :])
                break
        entries.append(entry)
    return entries


def read_book(path: Path) -> list[str]:
    """The book's lines, numbered as the review and ``sed -n`` count them (split on newlines only:
    ``str.splitlines`` would also split on the form feeds between pages)."""
    return path.read_text(encoding="utf-8").split("\n")


def main(argv: list[str] | None = None) -> int:
    """Print the draft, and write it as YAML when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path, help="the book's flattened text")
    parser.add_argument("--yaml", type=Path, help="write the draft entries here")
    args = parser.parse_args(argv)
    entries = parse_bijlage14(read_book(args.book))
    for entry in entries:
        table = ",".join(entry.services) if entry.has_table else "(no table)"
        print(f"{entry.line}\t{entry.land}\t{entry.name}\t{table}\t{entry.website}")
        for service, remark in entry.remarks.items():
            print(f"\t\t{service}: {remark}")
    tables = [entry for entry in entries if entry.has_table]
    country_list = [entry for entry in entries if entry.section == "country_list"]
    print(
        f"{len(entries)} entries, {len(country_list)} in the country list, "
        f"{len(tables)} with a service table",
        file=sys.stderr,
    )
    if args.yaml:
        draft = [
            {
                "name": entry.name,
                "land": entry.land,
                "line": entry.line,
                "section": entry.section,
                "has_table": entry.has_table,
                "services": entry.services,
                "other_services": entry.other_services,
                "remarks": entry.remarks,
                "intro": entry.intro,
                "website": entry.website,
            }
            for entry in entries
        ]
        args.yaml.write_text(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
