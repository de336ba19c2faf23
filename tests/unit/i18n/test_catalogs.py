"""The message catalogs: every text for people has its Dutch, and a browser's language is
chosen by its q-weights."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import get_args

import pytest
from pydantic import BaseModel

from engine.documents import DOCUMENT_MODELS
from engine.documents._base import described
from engine.i18n import LANGS, Message, _, catalog, negotiate, translate
from engine.i18n._extract import stale, template


def test_every_text_in_the_code_is_in_each_catalog_and_translated_into_dutch() -> None:
    pot = template()
    problems = [p for lang in LANGS for p in stale(lang, pot)]
    assert problems == [], "run `python scripts/i18n.py` and translate:\n" + "\n".join(problems)


def test_a_message_reads_as_english_and_keeps_what_it_needs_to_be_translated() -> None:
    text = _("{kind} is not a kind of case", kind="burglary")
    assert text == "burglary is not a kind of case"
    assert isinstance(text, Message) and text.msgid == "{kind} is not a kind of case"
    copy = pickle.loads(pickle.dumps(text))  # crosses process and thread pools intact
    assert (copy, copy.msgid) == (text, text.msgid)
    assert translate(text, "xx") == "burglary is not a kind of case"  # no catalog: English


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"),
        ("en-GB,en;q=0.9,nl;q=0.8", "en"),
        ("nl;q=0.5, en;q=0.8", "en"),  # weights, not order, decide
        ("fr-FR, en;q=0.3", "en"),  # no French catalog: the next one she accepts
        ("fr-FR", "nl"),  # nothing we have: the default
        ("en;q=0, nl;q=0.1", "nl"),  # q=0 means "not this one"
        ("", "nl"),
        (None, "nl"),
        ("*;q=0.5, en;q=0.4", "nl"),
        ("not a language;q=1, en;q=0.2", "en"),
    ],
)
def test_the_language_is_the_one_the_browser_weighs_highest(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def _described(model: type[BaseModel]) -> Iterator[tuple[str, str]]:
    """Every field of `model` and of the parts it holds, with its description."""
    for name, field in model.model_fields.items():
        yield f"{model.__name__}.{name}", field.description or ""
        for part in get_args(field.annotation) or (field.annotation,):
            for inner in get_args(part) or (part,):
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not model:
                    yield from _described(inner)


def test_every_field_description_a_gap_can_quote_has_its_dutch() -> None:
    """A gap quotes the description of the field it names (`unanswered`, Overview 1's
    unscored factors), so every document field's description, as the gap quotes it, is a
    catalog text with a Dutch translation; the JSON Schema keeps the English."""
    dutch = catalog("nl")
    untranslated = sorted(
        f"{where}: {text!r}"
        for model in DOCUMENT_MODELS.values()
        for where, text in _described(model)
        if text and text.rstrip(".") not in dutch
    )
    assert untranslated == []
    schema = DOCUMENT_MODELS["risk_analysis"].model_json_schema()
    assert "Is the client threatened with reprisals?" in str(schema)
    assert translate(
        described(DOCUMENT_MODELS["risk_analysis"], "threatened_with_reprisal"), "nl"
    ) == ("Wordt de cliënt bedreigd met represailles?")
