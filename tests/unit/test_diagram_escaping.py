"""Labels with quotes, angle brackets and other special characters do not break the Mermaid
and Graphviz diagrams, nor the pages' SVG: each shows the label as written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import pytest

from engine.pages._diagram import draw
from engine.pages._routes import TEMPLATES
from engine.states import Workflow, dot, mermaid
from engine.states._schema import WorkflowSpec

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "safe_future.yaml"
LABEL = 'Say "no" <b> & #35; `x` C:\\new'
TRIGGER = 'Withdraw "for good" <now>'


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> WorkflowSpec:
    """The shipped workflow with step 1's label and withdraw's label full of special
    characters."""
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('label: "Basic needs and safety"', f"label: '{LABEL}'", 1)
    text = text.replace('label: "Withdraw"', f"label: '{TRIGGER}'", 1)
    path = tmp_path_factory.mktemp("wf") / "odd_labels.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = Workflow.load(path).spec
    assert LABEL == loaded.care.states[0].label
    return loaded


_ENTITY = re.compile(r"#(\d+|[a-z]+);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def _mermaid_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code)) if code.isdigit() else _NAMED[code]

    return _ENTITY.sub(one, text)


def test_mermaid_labels_are_escaped_and_read_back_as_written(spec: WorkflowSpec) -> None:
    """Every node of the Mermaid chart is `id["label"]` (or `id(["label"])`) with no raw quote
    or angle bracket inside; step 1's label decodes to what the workflow file says."""
    chart = mermaid(spec, "en", ["basic_needs_safety"])
    nodes = [line for line in chart.splitlines() if re.match(r"\s+[a-z0-9_]+\(?\[", line)]
    shape = re.compile(r'\s+[a-z0-9_]+(\["[^"<>`]*"\]|\(\["[^"<>`]*"\]\))')
    assert [] == [line for line in nodes if not shape.fullmatch(line)]
    (step1,) = [line for line in nodes if line.strip().startswith("basic_needs_safety[")]
    label = step1.split('"')[1]
    assert f"1. {LABEL}" == _mermaid_unescape(label)


def _dot_strings(graph: str) -> tuple[list[str], str]:
    """The quoted strings of a dot graph (unescaped), and the graph without them."""
    quoted = re.compile(r'"((?:[^"\\]|\\.)*)"')
    strings = [re.sub(r"\\(.)", r"\1", s) for s in quoted.findall(graph)]
    return strings, quoted.sub("", graph)


def test_dot_labels_are_escaped_and_read_back_as_written(spec: WorkflowSpec) -> None:
    """In the Graphviz graph every quote opens or closes a string (none is left over when
    the strings are taken out), and step 1's label reads back as written, backslash and all."""
    graph = dot(spec, "en", ["basic_needs_safety"])
    strings, rest = _dot_strings(graph)
    assert '"' not in rest
    assert f"1. {LABEL}" in strings
    (step1,) = [ln for ln in graph.splitlines() if ln.strip().startswith("basic_needs_safety [")]
    assert 'label="1. Say \\"no\\" <b> & #35; `x` C:\\\\new"' in step1


def test_the_pages_diagram_is_well_formed_svg_with_the_labels_as_text(
    spec: WorkflowSpec,
) -> None:
    """The case page's SVG diagram, rendered as the page does (autoescaped), parses as XML and
    shows step 1's label and withdraw's label as text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    drawing = draw(spec, spec.care, "en", title="Care", current={"basic_needs_safety"},
                   passed=set())  # fmt: skip
    html = env.get_template("_diagram.html").render(d=drawing, n=1, _=lambda s: s)
    figure = ET.fromstring(html)
    svg = "{http://www.w3.org/2000/svg}"
    step1 = figure.find(f".//{svg}g[@data-state='basic_needs_safety']")
    assert step1 is not None
    assert f"1. {LABEL}" == "".join(step1.itertext()).strip()
    notes = "".join(figure.find("p").itertext())  # type: ignore[union-attr]
    assert TRIGGER in notes
