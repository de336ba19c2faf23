"""Draw the workflow as Mermaid or Graphviz dot, to lay beside Bijlage 2."""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import N_, _, translate
from engine.states._loader import expand_sources
from engine.states._schema import TrackSpec, WorkflowSpec


def edges(track: TrackSpec) -> list[tuple[str, str, str]]:
    """(source, dest, triggers) of each drawn arrow; moves from any step are left out."""
    edges: dict[tuple[str, str], list[str]] = {}
    for tr in track.transitions:
        for source in expand_sources(tr.sources(), track):
            label = tr.trigger
            if tr.dest is None or tr.source == "*":
                continue
            names = edges.setdefault((source, tr.dest), [])
            if label not in names:
                names.append(label)
    return [(s, d, " / ".join(names)) for (s, d), names in edges.items()]


def state_title(state_id: str, spec: WorkflowSpec, lang: str) -> str:
    """A state's label in `lang`, after its step number when it has one."""
    for track in (spec.care, spec.residence):
        for s in track.states:
            if s.id == state_id:
                label = translate(s.label, lang)
                prefix = f"{s.step}. " if s.step else ""
                return f"{prefix}{label}"
    return state_id


def from_any_step(track: TrackSpec) -> list[tuple[str, str]]:
    """(trigger, dest) of the moves allowed from any open step, such as withdrawing."""
    return [(tr.trigger, tr.dest) for tr in track.transitions if tr.source == "*" and tr.dest]


# The tracks' titles in the drawing (their ids stay the subgraphs' names).
_TRACKS = {"care": N_("Care"), "residence": N_("Residence")}


def _withdraw_note(track: TrackSpec, lang: str) -> Iterable[str]:
    for trigger, dest in from_any_step(track):
        yield translate(_("{trigger}: any open step -> {dest}", trigger=trigger, dest=dest), lang)


# Mermaid's entity codes, one character at a time (so a code is never escaped again).
_MERMAID = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}


def mermaid_text(text: str) -> str:
    """`text` safe inside a quoted Mermaid label: quotes, angle brackets, `&`, `#` and
    backticks as entity codes, line breaks as spaces."""
    return "".join(_MERMAID.get(c, c) for c in " ".join(text.splitlines()))


def dot_text(text: str) -> str:
    """`text` safe inside a quoted Graphviz string: backslashes (dot's `\\n`, `\\l`, …)
    and quotes escaped, line breaks as spaces."""
    return " ".join(text.splitlines()).replace("\\", "\\\\").replace('"', '\\"')


def mermaid(spec: WorkflowSpec, lang: str = "en", highlight: Iterable[str] = ()) -> str:
    """A Mermaid flowchart of both tracks; `highlight` marks current states."""
    out = ["flowchart TD"]
    for name, track in (("care", spec.care), ("residence", spec.residence)):
        out.append(f'  subgraph {name} ["{mermaid_text(translate(_TRACKS[name], lang))}"]')
        for s in track.states:
            shape = ("([", "])") if s.final else ("[", "]")
            title = mermaid_text(state_title(s.id, spec, lang))
            out.append(f'    {s.id}{shape[0]}"{title}"{shape[1]}')
        for source, dest, label in edges(track):
            out.append(f"    {source} -->|{label}| {dest}")
        out.extend(f"    %% {note}" for note in _withdraw_note(track, lang))
        out.append("  end")
    marked = list(highlight)
    if marked:
        out.append("  classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px")
        out.append(f"  class {','.join(marked)} current")
    return "\n".join(out) + "\n"


def dot(spec: WorkflowSpec, lang: str = "en", highlight: Iterable[str] = ()) -> str:
    """A Graphviz digraph of both tracks; `highlight` marks current states."""
    marked = set(highlight)
    out = ["digraph safe_future {", "  rankdir=TB;", "  node [shape=box, style=rounded];"]
    for name, track in (("care", spec.care), ("residence", spec.residence)):
        out.append(f"  subgraph cluster_{name} {{")
        out.append(f'    label="{dot_text(translate(_TRACKS[name], lang))}";')
        for s in track.states:
            attrs = [f'label="{dot_text(state_title(s.id, spec, lang))}"']
            if s.final:
                attrs.append("peripheries=2")
            if s.id in marked:
                attrs.append('style="rounded,filled", fillcolor="#ffd54f"')
            out.append(f"    {s.id} [{', '.join(attrs)}];")
        for source, dest, label in edges(track):
            out.append(f'    {source} -> {dest} [label="{label}"];')
        out.extend(f"    // {note}" for note in _withdraw_note(track, lang))
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"
