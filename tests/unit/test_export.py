"""The export's forms without a database: every closed list has words in both languages, a
section not filled in still shows its questions, and a page that asks for any URL is not
rendered (issue 13, point 7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel
from weasyprint.urls import FatalURLFetchingError

from engine.documents import DOCUMENT_MODELS, example
from engine.export import FORMS, VOCABULARIES, Source, literal_of, render_html
from engine.export._render import TEMPLATES, pdf_of


def _closed_lists(model: type[BaseModel]) -> list[tuple[str, frozenset[str]]]:
    """(field, values) of every Literal-typed field in the model and its parts."""
    found = []
    for name, field in model.model_fields.items():
        values = literal_of(field.annotation)
        if values is not None:
            found.append((f"{model.__name__}.{name}", values))
        for inner in _models_in(field.annotation):
            found += _closed_lists(inner)
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_closed_list_of_an_exported_document_has_words_in_both_languages(
    kind: str,
) -> None:
    """Enums print as words, never ids: each value of each Literal field has an English and
    a Dutch word."""
    lists = _closed_lists(DOCUMENT_MODELS[kind])
    assert lists
    missing = [
        f"{name}: {sorted(values)}"
        for name, values in lists
        if values not in VOCABULARIES or any(not all(w) for w in VOCABULARIES[values].values())
    ]
    assert [] == missing


def test_each_form_is_a_template_of_a_document_kind() -> None:
    """Adding a kind is one template and one registry entry: both exist for each form."""
    assert set() == {k for k in FORMS if k not in DOCUMENT_MODELS}
    assert [] == [f.template for f in FORMS.values() if not (TEMPLATES / f.template).is_file()]


@pytest.mark.parametrize(
    ("lang", "heading", "empty"),
    [
        ("en", "13 Appointments", "— not answered"),
        ("nl", "13 Afspraken", "— niet beantwoord"),
    ],
)
def test_a_plan_with_no_section_filled_in_still_asks_every_question(
    lang: str, heading: str, empty: str
) -> None:
    """Book L4242-4440: a PAT only begun shows all its sections, each question answered
    "not answered", so the reader sees it was asked."""
    source = Source("return_plan", 1, {"drawn_up_on": "2026-01-05"}, "c" * 36, date(2026, 1, 5))
    html = render_html(source, lang)
    text = " ".join(html.split())
    assert heading in text.replace('<span class="num">13</span> ', "13 ")
    assert 40 < text.count(empty)


def test_free_text_holding_the_client_reference_is_blanked_out() -> None:
    """An export that is not her own copy shows no client reference, even one typed into
    an answer by mistake (in any case of letters)."""
    data = example("return_plan")
    data["background"]["talents"] = "Sews; see file a-17 and A-17"
    source = Source("return_plan", 1, data, "c" * 36, date(2026, 1, 5))
    html = render_html(source, "en", redact="A-17")
    assert "Sews; see file […] and […]" in html and "A-17" not in html.upper()


def test_a_page_that_asks_for_a_url_is_not_rendered() -> None:
    """No network, no files: the renderer refuses every fetch, so the PDF cannot be made."""
    with pytest.raises(FatalURLFetchingError):
        pdf_of('<p>x</p><link rel="stylesheet" href="http://example.invalid/s.css">')
