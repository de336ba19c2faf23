"""A document read on the screen (engine.export.readable): every kind's labels come from the
catalogs in Dutch, and no closed list's id is left where words are shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.documents import DOCUMENT_MODELS, as_read, example
from engine.export import VOCABULARIES, literal_of, readable
from engine.export._reading import COMMON, _part_of
from engine.i18n import catalog
from engine.states import Workflow

# The form's own marks of Overview 1 (`--`, `-`, `+`, `++`), read as they are written.
MARKS = frozenset({"--", "-", "+", "++"})


def _without_words(model: Any, words: dict[str, str]) -> set[str]:
    """The values of the closed lists in a document model and its parts that neither their
    vocabulary nor `words` has words for."""
    found: set[str] = set()
    for info in model.model_fields.values():
        values = literal_of(info.annotation)
        if values is not None:
            known = VOCABULARIES.get(values, {})
            found |= {v for v in values - MARKS if v not in known and v not in words}
        part = _part_of(info.annotation)
        if part is not None and part is not model:
            found |= _without_words(part, words)
    return found


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_every_kind_reads_dutch_labels_and_words_for_its_ids(kind: str, workflow: Workflow) -> None:
    """The example of each kind, read in Dutch: every label is a Dutch catalog text, and each
    value of its closed lists has words (a vocabulary, the workflow's labels), so no
    answer on the pages or the command line is a bare id."""
    words = {**COMMON, **workflow.labels, **workflow.timer_names}
    data = as_read(kind, example(kind, date(2026, 9, 2)))
    lines = readable(kind, data, "nl", words=words)
    dutch = set(catalog("nl").values())
    numbered = {line.label for line in lines if line.label.rstrip(".").isdigit()}
    keys = {line.label for line in lines if line.text is None}  # parts, and sides by their words
    assert [] == [line.label for line in lines if line.label not in dutch | numbered | keys]
    assert set() == _without_words(DOCUMENT_MODELS[kind], words)


def test_a_list_of_parts_is_numbered_and_indented_under_its_heading() -> None:
    """The safety plan's measures: a heading, each measure numbered one deeper, its fields one
    deeper still; an empty answer is marked as not answered."""
    data = example("safety_plan", date(2026, 9, 2))
    lines = readable("safety_plan", {**data, "client_resources": None}, "en")
    assert ("The concrete safety measures (L2275-2276)", None, 0) == (
        lines[0].label,
        lines[0].text,
        lines[0].depth,
    )
    assert [("1.", 1), ("What the measure is about", 2)] == [
        (line.label, line.depth) for line in lines[1:3]
    ]
    assert "phone and social media" == lines[2].text
    empty = next(line for line in lines if line.label.startswith("The client's own resources"))
    assert (True, "— not answered") == (empty.empty, empty.text)
