"""Read a workflow file and check it; every problem is reported as `file:line: what`."""

from __future__ import annotations

import fnmatch
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from engine.documents import DOCUMENT_MODELS
from engine.errors import WorkflowInvalid
from engine.i18n import _
from engine.rules import bind
from engine.states._cache import cached_spec, keep_spec
from engine.states._schema import (
    Duration,
    DurationRef,
    GuardRef,
    Match,
    TrackSpec,
    WorkflowSpec,
)

if TYPE_CHECKING:
    import yaml

Path_ = tuple[str | int, ...]
BUILTIN_FACTS = {"intake_on"}
OPEN_EVENT = "open"


def default_workflow_path() -> Path:
    """The shipped workflow: inside the installed package, else beside the source tree."""
    shipped = Path(__file__).resolve().parents[1] / "workflows" / "safe_future.yaml"
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "workflows" / "safe_future.yaml"


def read_spec(path: Path, *, cached: bool = False) -> WorkflowSpec:
    """Parse and check the workflow file at `path`; raise WorkflowInvalid listing every problem.
    `cached`: take the checked workflow kept for a file with the same content (and the same
    checks), and keep it when there is none (engine/states/_cache.py)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowInvalid(
            _("cannot read workflow file {path}", path=str(path)), [str(exc)]
        ) from exc
    if not cached:
        return parse_spec(text, str(path))
    source = text.encode("utf-8")
    spec = cached_spec(source)
    if spec is None:
        spec = parse_spec(text, str(path))
        keep_spec(source, spec)
    return spec


def parse_spec(text: str, filename: str) -> WorkflowSpec:
    import yaml  # here, not at the top: a cached workflow is read without it

    lines = _Lines(filename)
    # The C loader when libyaml is there: the pure-Python one is several times slower.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise WorkflowInvalid(
                _("workflow file is empty"), [_("{file}:1: no content", file=filename)]
            )
        lines.index(node, ())
        if lines.problems:
            raise WorkflowInvalid(_("workflow file has problems"), lines.problems)
        raw = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark else filename
        raise WorkflowInvalid(_("workflow file is not valid YAML"), [f"{where}: {exc}"]) from exc
    finally:
        loader.dispose()
    try:
        spec = WorkflowSpec.model_validate(raw)
    except ValidationError as exc:
        reasons = [
            f"{lines.at(err['loc'])}: {'.'.join(map(str, err['loc']))}: {err['msg']}"
            for err in exc.errors()
        ]
        raise WorkflowInvalid(_("workflow file does not match the schema"), reasons) from exc
    problems = list(_Checks(spec, lines).run())
    if problems:
        raise WorkflowInvalid(_("workflow file has problems"), problems)
    return spec


class _Lines:
    """Maps a path inside the YAML document to its line, and notes duplicate keys."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._lines: dict[Path_, int] = {}
        self.problems: list[str] = []

    def index(self, node: yaml.Node, path: Path_) -> None:
        import yaml

        self._lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    where = f"{self.filename}:{key.start_mark.line + 1}"
                    self.problems.append(
                        _("{where}: duplicate key {name}", where=where, name=repr(name))
                    )
                seen.add(name)
                self._lines[(*path, name)] = key.start_mark.line + 1
                self.index(value, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.index(item, (*path, i))

    def at(self, path: tuple[Any, ...]) -> str:
        """`file:line` of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.filename}:{line}"
        return self.filename


class _Checks:
    """Cross-checks the schema alone cannot express."""

    def __init__(self, spec: WorkflowSpec, lines: _Lines) -> None:
        self.spec = spec
        self.lines = lines
        self.state_track = {s.id: name for name, track in self._tracks() for s in track.states}

    def _tracks(self) -> Iterator[tuple[str, TrackSpec]]:
        yield "care", self.spec.care
        yield "residence", self.spec.residence

    def _err(self, path: tuple[Any, ...], message: str) -> str:
        """`file:line: message`, a catalog text translated where it is printed."""
        return _("{where}: {problem}", where=self.lines.at(path), problem=message)

    def run(self) -> Iterator[str]:
        yield from self._policy_refs()
        for name, track in self._tracks():
            yield from self._track(name, track)
        yield from self._triggers()
        yield from self._documents()
        yield from self._timers()

    def _policy_refs(self) -> Iterator[str]:
        for path, ref in self._duration_refs():
            if isinstance(ref, str) and not isinstance(self.spec.policy.get(ref), Duration):
                yield self._err(
                    path, _("bad duration: no policy duration named {ref}", ref=repr(ref))
                )
            elif resolve_duration(self.spec, ref).negative and path[-1] != "offset":
                yield self._err(path, _("bad duration: must be positive here"))

    def _duration_refs(self) -> Iterator[tuple[tuple[Any, ...], DurationRef]]:
        for name, track in self._tracks():
            for i, state in enumerate(track.states):
                if state.expected_duration is not None:
                    yield (name, "states", i, "expected_duration"), state.expected_duration
        for i, timer in enumerate(self.spec.timers):
            if timer.offset is not None:
                yield ("timers", i, "offset"), timer.offset
            if timer.anchor.plus is not None:
                yield ("timers", i, "anchor", "plus"), timer.anchor.plus
            for j, lead in enumerate(timer.remind_before):
                yield ("timers", i, "remind_before", j), lead

    def _track(self, name: str, track: TrackSpec) -> Iterator[str]:
        ids = [s.id for s in track.states]
        for i, state in enumerate(track.states):
            if ids.index(state.id) != i or self.state_track[state.id] != name:
                yield self._err(
                    (name, "states", i, "id"), _("duplicate state id {id}", id=repr(state.id))
                )
            for j, req in enumerate(state.requirements()):
                where = (name, "states", i, "requires", j)
                if req.kind not in self.spec.documents:
                    yield self._err(where, _("unknown document kind {kind}", kind=repr(req.kind)))
                if req.unless is not None:
                    yield from self._guard_refs(where, [req.unless])
        if track.initial not in ids:
            yield self._err(
                (name, "initial"), _("unknown state {state}", state=repr(track.initial))
            )
        edges: dict[str, set[str]] = {s: set() for s in ids}
        for i, tr in enumerate(track.transitions):
            path = (name, "transitions", i)
            trig = self.spec.triggers.get(tr.trigger)
            if trig is None:
                yield self._err(
                    (*path, "trigger"), _("unknown trigger {trigger}", trigger=repr(tr.trigger))
                )
            elif trig.track != name:
                yield self._err(
                    (*path, "trigger"),
                    _(
                        "trigger {trigger} belongs to the {track} track, not to {name}",
                        trigger=repr(tr.trigger),
                        track=trig.track,
                        name=name,
                    ),
                )
            sources = expand_sources(tr.sources(), track)
            for pattern in tr.sources():
                if not expand_sources([pattern], track):
                    yield self._err(
                        (*path, "source"), _("unknown state {state}", state=repr(pattern))
                    )
            if tr.dest is not None and tr.dest not in ids:
                yield self._err((*path, "dest"), _("unknown state {state}", state=repr(tr.dest)))
            for s in sources:
                edges[s].add(tr.dest or s)
            yield from self._guard_refs((*path, "when"), tr.when)
            yield from self._guard_refs((*path, "guards"), tr.guards)
            for fact, value in tr.set_facts.items():
                if isinstance(value, dict) and set(value) != {"add"}:
                    yield self._err(
                        (*path, "set_facts", fact),
                        _("a fact set from a mapping takes only {add: VALUE}"),
                    )
            for j, cascade in enumerate(tr.then):
                other = self.spec.triggers.get(cascade.trigger)
                if other is None or other.track != cascade.track:
                    yield self._err(
                        (*path, "then", j),
                        _(
                            "unknown {track} trigger {trigger}",
                            track=cascade.track,
                            trigger=repr(cascade.trigger),
                        ),
                    )
        if track.initial in edges:
            seen = _reachable(track.initial, edges)
            for i, state in enumerate(track.states):
                if state.id not in seen:
                    yield self._err(
                        (name, "states", i, "id"),
                        _("unreachable state {id}: no transition leads to it", id=repr(state.id)),
                    )

    def _guard_refs(self, path: tuple[Any, ...], refs: list[GuardRef]) -> Iterator[str]:
        for j, ref in enumerate(refs):
            name = ref if isinstance(ref, str) else next(iter(ref), "?")
            try:
                bind(ref)
            except ValidationError as exc:
                for err in exc.errors():
                    field = ".".join(map(str, err["loc"]))
                    yield self._err((*path, j), f"guard {name}: {field}: {err['msg']}")
            except (KeyError, ValueError) as exc:
                message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
                yield self._err((*path, j), f"guard: {message}")

    def _triggers(self) -> Iterator[str]:
        used = {tr.trigger for _, track in self._tracks() for tr in track.transitions}
        for name, trig in self.spec.triggers.items():
            if name not in used:
                yield self._err(
                    ("triggers", name),
                    _("trigger {name} is used by no transition", name=repr(name)),
                )
            for field, spec in trig.data.items():
                other = trig.data.get(spec.not_before or "")
                if spec.not_before not in (None, "intake_on") and (
                    other is None or other.type != "date"
                ):
                    where = ("triggers", name, "data", field, "not_before")
                    yield self._err(
                        where, _("not_before: no date field {field}", field=repr(spec.not_before))
                    )

    def _documents(self) -> Iterator[str]:
        for kind, doc in self.spec.documents.items():
            if kind not in DOCUMENT_MODELS:
                yield self._err(
                    ("documents", kind), _("no document model for kind {kind}", kind=repr(kind))
                )
            yield from self._guard_refs(("documents", kind, "guards"), doc.guards)

    def _timers(self) -> Iterator[str]:
        kinds = [t.kind for t in self.spec.timers]
        facts = BUILTIN_FACTS | {
            f for _, track in self._tracks() for tr in track.transitions for f in tr.set_facts
        }
        for i, timer in enumerate(self.spec.timers):
            path = ("timers", i)
            if kinds.index(timer.kind) != i:
                yield self._err(
                    (*path, "kind"), _("duplicate timer kind {kind}", kind=repr(timer.kind))
                )
            for part in ("start", "done", "cancel"):
                for j, match in enumerate(getattr(timer, part)):
                    yield from self._match((*path, part, j), match)
            yield from self._anchor(
                (*path, "anchor"), timer.anchor.model_dump(), timer.start, facts
            )
            if timer.not_after is not None:
                cap = timer.not_after.model_dump()
                yield from self._anchor((*path, "not_after"), cap, timer.start, facts)

    def _match(self, path: tuple[Any, ...], match: Match) -> Iterator[str]:
        if match.trigger is not None and match.trigger not in {*self.spec.triggers, OPEN_EVENT}:
            yield self._err(
                (*path, "trigger"), _("unknown trigger {trigger}", trigger=repr(match.trigger))
            )
        for field in ("enter", "leave"):
            pattern = getattr(match, field)
            if pattern is not None and not fnmatch.filter(self.state_track, pattern):
                yield self._err((*path, field), _("unknown state {state}", state=repr(pattern)))
        if match.record is not None and match.record not in self.spec.documents:
            yield self._err(
                (*path, "record"), _("unknown document kind {kind}", kind=repr(match.record))
            )
        yield from self._guard_refs((*path, "guards"), match.guards)

    def _anchor(
        self, where: tuple[Any, ...], anchor: dict[str, Any], starts: list[Match], facts: set[str]
    ) -> Iterator[str]:
        if anchor["fact"] is not None and anchor["fact"] not in facts:
            yield self._err(
                where,
                _(
                    "timer anchored on nothing: no transition sets fact {fact}",
                    fact=repr(anchor["fact"]),
                ),
            )
        if anchor["document"] is not None:
            kind, _dot, field = anchor["document"].partition(".")
            model = DOCUMENT_MODELS.get(kind)
            if model is None or field not in model.model_fields:
                yield self._err(
                    where,
                    _(
                        "timer anchored on nothing: no document field {field}",
                        field=repr(anchor["document"]),
                    ),
                )
        if anchor["data"] is not None:
            for j, start in enumerate(starts):
                trig = self.spec.triggers.get(start.trigger or "")
                if trig is None or anchor["data"] not in trig.data:
                    yield self._err(
                        (*where[:-1], "start", j),
                        _(
                            "timer anchored on nothing: this start event has no data field {field}",
                            field=repr(anchor["data"]),
                        ),
                    )


def expand_sources(patterns: list[str], track: TrackSpec) -> list[str]:
    """State ids matching the source patterns; `*` means every non-final state of the track."""
    found: list[str] = []
    for pattern in patterns:
        for state in track.states:
            hit = not state.final if pattern == "*" else fnmatch.fnmatchcase(state.id, pattern)
            if hit and state.id not in found:
                found.append(state.id)
    return found


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in edges.get(todo.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def resolve_duration(spec: WorkflowSpec, ref: DurationRef) -> Duration:
    """An inline duration or a policy entry, resolved (the loader has checked the name)."""
    found = spec.policy[ref] if isinstance(ref, str) else ref
    if not isinstance(found, Duration):
        raise ValueError(f"policy entry {ref!r} is a switch, not a duration")
    return found
