"""Finding the texts to translate and bringing the catalogs up to date (a tool for
developers and translators: `python scripts/i18n.py`; the tests call `stale`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from engine.i18n._catalog import LANGS, LOCALES

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None}
# Keys of the workflow file whose string values are texts for people.
WORKFLOW_TEXT_KEYS = frozenset({"label", "title", "hint", "description"})


def extract_workflow(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for the workflow file: every `label:`, `title:`, `hint:` and
    `description:` string."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in WORKFLOW_TEXT_KEYS and isinstance(value, str):
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for msgid in walk(yaml.safe_load(text)):
        lineno = next((i for i, line in enumerate(lines, 1) if msgid in line), 0)
        yield lineno, "", msgid, []


# The documents whose field descriptions are texts for people: a gap quotes the description
# of the field it names (`engine.documents._base.described`).
DESCRIBED = "engine/documents"


def field_descriptions(path: Path) -> Iterator[tuple[int, str]]:
    """The `description=` of every `Field(...)` in the module at `path`, as a gap quotes it
    (without its final full stop), with its line. Babel reads a file with one method only,
    so the Python extractor's `_()` texts and these are found in two passes."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Field"
        ):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "description"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield value.lineno, value.value.rstrip(".")


METHODS = [
    ("engine/**.py", "python"),
    ("engine/**/templates/**.html", "jinja2"),
    ("workflows/**.yaml", "engine.i18n._extract:extract_workflow"),
]
OPTIONS = {"engine/**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def template() -> Catalog:
    """Every text marked in the code, the page templates and the workflow file, and the
    field descriptions of the documents."""
    pot = Catalog(project="safe-future-engine", fuzzy=False)
    for subdir in ("engine", "workflows"):
        found = extract_from_dir(
            ROOT / subdir,
            method_map=[
                (pattern.removeprefix(f"{subdir}/"), m)
                for pattern, m in METHODS
                if pattern.startswith(f"{subdir}/")
            ],
            options_map={k.removeprefix(f"{subdir}/"): v for k, v in OPTIONS.items()},
            keywords=KEYWORDS,
        )
        for filename, lineno, message, comments, context in found:
            pot.add(
                message,
                locations=[(f"{subdir}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    for path in sorted((ROOT / DESCRIBED).glob("*.py")):
        for lineno, description in field_descriptions(path):
            pot.add(description, locations=[(f"{DESCRIBED}/{path.name}", lineno)])
    return pot


def _path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def _read(lang: str) -> Catalog:
    path = _path(lang)
    if not path.is_file():
        return Catalog(locale=lang, project="safe-future-engine", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


# Fixed header dates, so updating a catalog changes only its texts (and merges stay clean).
_HEADER_DATE = datetime(2026, 12, 1, tzinfo=UTC)


def _write(po: Catalog) -> bytes:
    po.creation_date = po.revision_date = _HEADER_DATE
    po.project, po.version = "safe-future-engine", "1"
    po.copyright_holder = "Safe Future Engine"
    po.last_translator = po.language_team = "Safe Future Engine <safe-future@example.org>"
    po.msgid_bugs_address = "safe-future@example.org"
    out = BytesIO()
    write_po(
        out,
        po,
        no_location=True,
        sort_output=True,
        width=100,
        omit_header=False,
        ignore_obsolete=True,
        include_previous=False,
    )
    return out.getvalue()


def updated(lang: str, pot: Catalog | None = None) -> tuple[Catalog, bytes]:
    """The catalog of `lang` brought up to date with the texts in the code (new texts added
    untranslated, texts no longer used dropped), and its file content."""
    po = _read(lang)
    po.update(pot or template(), no_fuzzy_matching=True)
    return po, _write(po)


def update(langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Write the updated catalogs; return the files that changed."""
    pot = template()
    changed = []
    for lang in langs:
        _po, content = updated(lang, pot)
        path = _path(lang)
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            changed.append(path)
    return changed


def stale(lang: str, pot: Catalog | None = None) -> list[str]:
    """Why the catalog of `lang` is not up to date: texts in the code it lacks, texts it
    has that the code no longer uses, and (for every language but English, whose msgids are
    the texts) texts without a translation or with a fuzzy one."""
    pot = pot or template()
    po = _read(lang)
    wanted = {m.id for m in pot if m.id}
    have = {m.id for m in po if m.id}
    problems = [f"{lang}: not in the catalog: {m!r}" for m in sorted(wanted - have)]
    problems += [f"{lang}: no longer used: {m!r}" for m in sorted(have - wanted)]
    if lang != "en":
        for m in po:
            if m.id in wanted and (not m.string or m.fuzzy):
                problems.append(f"{lang}: not translated: {m.id!r}")
    return problems
