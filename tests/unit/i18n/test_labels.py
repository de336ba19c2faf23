"""Issue 14 point 7: the workflow file's labels, the pages' language and a third language
come from the catalogs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.requests import Request

from engine.errors import WorkflowInvalid
from engine.i18n import LANGS, catalog, label_map, translate
from engine.i18n._catalog import LOCALES
from engine.pages._i18n import pick_lang
from engine.states import Workflow, read_spec

ROOT = Path(__file__).resolve().parents[3]


def _request(query: str = "", accept: str | None = None, path: str = "/ui/overdue") -> Request:
    headers = [(b"accept-language", accept.encode())] if accept is not None else []
    scope = {"type": "http", "path": path, "query_string": query.encode(), "headers": headers}
    return Request(scope)


@pytest.mark.parametrize(
    ("query", "accept", "lang"),
    [
        ("", "en;q=0.4, nl;q=0.9", "nl"),
        ("", "nl;q=0.4, en-US;q=0.9", "en"),
        ("", "de, fr;q=0.8", "nl"),
        ("", None, "nl"),
        ("lang=en", "nl", "en"),
        ("lang=xx", "en;q=0.5", "en"),  # an unknown ?lang= is ignored, the header decides
    ],
)
def test_a_page_reads_lang_then_the_weighted_browser_choice(
    query: str, accept: str | None, lang: str
) -> None:
    """Before, the first code the browser named won, whatever its q-weight."""
    assert lang == pick_lang(_request(query, accept))


@pytest.mark.parametrize(
    ("query", "accept", "lang"),
    [
        ("", "en;q=0.4, nl;q=0.9", "nl"),
        ("", "de, fr;q=0.8", "en"),
        ("", None, "en"),
        ("lang=nl", "fr", "nl"),
    ],
)
def test_a_partner_page_reads_english_unless_the_browser_asks_a_catalog_language(
    query: str, accept: str | None, lang: str
) -> None:
    """The partner pages are read by organisations abroad: English when the browser names no
    language of the catalogs, the shelter pages' Dutch otherwise unchanged."""
    assert lang == pick_lang(_request(query, accept, path="/ui/partner/cases/abc"))


def test_every_label_of_the_workflow_file_is_english_with_a_dutch_translation() -> None:
    """The labels are the msgids; the Dutch reads as before the conversion (L4744: the
    residence permit is a 'verblijfsvergunning')."""
    spec = Workflow.load().spec
    labels = [s.label for t in (spec.care, spec.residence) for s in t.states]
    labels += [t.label for t in spec.triggers.values()] + [spec.title]
    dutch = catalog("nl")
    assert [] == [label for label in labels if label not in dutch]
    assert "Verblijfsvergunning" == translate("Residence permit", "nl")
    assert {"nl": "Bedenktijd", "en": "Reflection period"} == label_map("Reflection period")


def test_a_label_without_a_translation_shows_in_english() -> None:
    """A shelter's own label in its edited copy of the workflow file is shown as written."""
    assert {lang: "Our own step" for lang in LANGS} == label_map("Our own step")


def test_a_new_language_is_a_catalog_directory_not_a_code_change(tmp_path: Path) -> None:
    """A translator copies the Dutch catalog to `fr`, translates it: the engine offers French."""
    french = LOCALES / "fr"
    assert not french.exists()
    try:
        shutil.copytree(LOCALES / "nl", french)
        po = french / "LC_MESSAGES" / "messages.po"
        po.write_text(
            po.read_text(encoding="utf-8").replace(
                'msgstr "Bedenktijd"', 'msgstr "Délai de réflexion"'
            ),
            encoding="utf-8",
        )
        code = (
            "from engine.i18n import LANGS, negotiate, translate;"
            "print(LANGS, negotiate('fr-FR, nl;q=0.5'), translate('Reflection period', 'fr'))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    finally:
        shutil.rmtree(french, ignore_errors=True)
    assert "('nl', 'en', 'fr') fr Délai de réflexion\n" == out


def test_a_shelters_edited_copy_still_checks_and_an_old_style_label_is_named(
    tmp_path: Path,
) -> None:
    """`workflow check` of a shelter's copy: its own English label is fine (shown in English
    until translated); a label still written `{nl: ..., en: ...}` is refused naming the line,
    the field and how to convert it."""
    text = (ROOT / "workflows" / "safe_future.yaml").read_text(encoding="utf-8")
    own = tmp_path / "own.yaml"
    own.write_text(
        text.replace('label: "Basic needs and safety"', 'label: "Safety first, our way"'), "utf-8"
    )
    spec = read_spec(own)
    assert "Safety first, our way" == spec.care.states[0].label
    old = tmp_path / "old.yaml"
    old.write_text(
        text.replace(
            'label: "Basic needs and safety"',
            'label: {nl: "Eerste behoeften en veiligheid", en: "Basic needs and safety"}',
        ),
        "utf-8",
    )
    with pytest.raises(WorkflowInvalid) as refused:
        read_spec(old)
    (reason,) = refused.value.reasons
    assert "care.states.0.label" in reason and "scripts/i18n_labels.py" in reason
    line = 1 + next(i for i, ln in enumerate(text.splitlines()) if "Basic needs and safety" in ln)
    assert reason.startswith(f"{old}:{line}:")
