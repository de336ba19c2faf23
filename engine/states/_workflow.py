"""The loaded workflow: state machines built once, fired for one case at a time.

`transitions` is used as a pure transition table: one `Machine` per track, with no models
attached. A case is bound to it for one operation through a throwaway token that carries only
the current state; conditions route between branches, and `before` callbacks run the guards
and raise on refusal, before any state changes. Everything that follows a transition (the event,
facts, timers, cascades) is applied here to the in-memory case and persisted by the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from transitions import EventData, Machine

from engine.documents import (
    EARLIEST,
    ORGANISATION_ID,
    SOCIALMAP_ID,
    document_model,
    implausible_dates,
    too_big,
    validation_reasons,
)
from engine.domain import Case, DocumentVersion, Event
from engine.errors import InvalidInput, TriggerRefused
from engine.i18n import Message, _, label_map
from engine.logs import get_logger
from engine.rules import (
    BoundGuard,
    GuardContext,
    Requirement,
    bind,
    evaluate,
    unmet_requirements,
)
from engine.states._loader import (
    OPEN_EVENT,
    default_workflow_path,
    expand_sources,
    read_spec,
    resolve_duration,
)
from engine.states._schema import (
    Cascade,
    DataField,
    StateSpec,
    TrackSpec,
    TransitionSpec,
    TriggerSpec,
    WorkflowSpec,
)
from engine.states._timers import Happening, TimerRule, compile_matches, local_midnight

TRACKS = ("care", "residence")
log = get_logger("engine.workflow")


@dataclass(frozen=True)
class CompiledTransition:
    track: str
    spec: TransitionSpec
    when: tuple[BoundGuard, ...]
    guards: tuple[BoundGuard, ...]

    @property
    def dest(self) -> str | None:
        return self.spec.dest


@dataclass
class _Token:
    """Stands in for a case inside `transitions` for one call; holds nothing but state."""

    state: str
    ctx: GuardContext
    chosen: CompiledTransition | None = None
    route_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TriggerOption:
    name: str
    track: str
    allowed: bool
    reasons: list[str]
    label: str | None = None  # the branch's own label, where the trigger's would mislead


class Workflow:
    """A checked workflow file with its machines, data schemas and timer rules."""

    def __init__(self, spec: WorkflowSpec) -> None:
        self.spec = spec
        self.tz = ZoneInfo(spec.timezone)
        self.tracks: dict[str, TrackSpec] = {"care": spec.care, "residence": spec.residence}
        self.states: dict[str, StateSpec] = {
            s.id: s for track in self.tracks.values() for s in track.states
        }
        self.labels = {kind: doc.label for kind, doc in spec.documents.items()}
        self.state_names = {s.id: s.label for s in self.states.values()}
        self.timer_names = {t.kind: t.label for t in spec.timers}
        self.timer_specs = {t.kind: t for t in spec.timers}
        self.switches = {name: on for name, on in spec.policy.items() if isinstance(on, bool)}
        # Labels as the views give them, in every language, made once (bench/transitions.py).
        self.state_labels = {s.id: label_map(s.label) for s in self.states.values()}
        self.trigger_labels = {name: label_map(t.label) for name, t in spec.triggers.items()}
        self.requirements = {
            state.id: tuple(
                Requirement(r.kind, r.since_entered, bind(r.unless) if r.unless else None)
                for r in state.requirements()
            )
            for state in self.states.values()
        }
        self.data_models: Mapping[str, type[BaseModel]] = _DataModels(spec.triggers)
        self.record_guards = {
            kind: tuple(bind(g) for g in doc.guards) for kind, doc in spec.documents.items()
        }
        self.table: dict[tuple[str, str, str], list[CompiledTransition]] = {}
        self.machines = {name: self._machine(name, track) for name, track in self.tracks.items()}
        self.timer_rules = tuple(self._timer_rule(t) for t in spec.timers)
        # Asked twice per change (the save, the answer) with the same step and moment.
        self._step_due_on = functools.lru_cache(maxsize=4096)(self._step_due_from)
        self._expected = {
            s.id: resolve_duration(spec, s.expected_duration)
            for s in self.states.values()
            if s.expected_duration is not None
        }
        # The facts that keep a cascade for later, each with its cascade.
        self._defers = {
            c.defer: c
            for track in self.tracks.values()
            for t in track.transitions
            for c in t.then
            if c.defer is not None
        }
        # What may happen from each step: the triggers with branches from it, in file order.
        self._possible = {
            (track, state): tuple(
                (name, branches)
                for name in machine.events
                if (branches := self.table.get((track, name, state)))
            )
            for track, machine in self.machines.items()
            for state in machine.states
        }

    @classmethod
    def load(cls, path: Path | None = None) -> Workflow:
        return cls(read_spec(path or default_workflow_path(), cached=True))

    # -- building ---------------------------------------------------------------------------

    def _machine(self, name: str, track: TrackSpec) -> Machine:
        machine = Machine(
            model=None,
            states=[s.id for s in track.states],
            initial=track.initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            name=name,
        )
        for spec in track.transitions:
            compiled = CompiledTransition(
                name,
                spec,
                tuple(bind(g) for g in spec.when),
                tuple(bind(g) for g in spec.guards),
            )
            sources = expand_sources(spec.sources(), track)
            for source in sources:
                self.table.setdefault((name, spec.trigger, source), []).append(compiled)
            machine.add_transition(
                spec.trigger,
                list[Any](sources),
                spec.dest,
                conditions=[partial(_route, compiled)],
                before=[partial(_check_guards, compiled)],
            )
        return machine

    def _timer_rule(self, t: Any) -> TimerRule:
        def dur(ref: Any) -> Any:
            return None if ref is None else resolve_duration(self.spec, ref)

        return TimerRule(
            kind=t.kind,
            anchor=t.anchor,
            anchor_plus=dur(t.anchor.plus),
            offset=dur(t.offset),
            not_after=t.not_after,
            remind_before=tuple(dur(r) for r in t.remind_before),
            once=t.once,
            start=compile_matches(t.start),
            done=compile_matches(t.done),
            cancel=compile_matches(t.cancel),
        )

    # -- reading ----------------------------------------------------------------------------

    def is_closed(self, case: Case) -> bool:
        return self.states[case.state].final

    def step_due_on(self, state: str, entered_at: datetime) -> date | None:
        """The day by which a step is expected to be finished (organisation policy)."""
        return self._step_due_on(state, entered_at)

    def _step_due_from(self, state: str, entered_at: datetime) -> date | None:
        expected = self._expected.get(state)
        if expected is None:
            return None
        return expected.add_to(entered_at.astimezone(self.tz).date())

    def day_start(self, day: date) -> datetime:
        """When a local calendar day begins, as aware UTC: the moment a timer falls due."""
        return local_midnight(day, self.tz)

    def missing_documents(self, case: Case, at: datetime) -> list[str]:
        """Document kinds the current step still needs before `complete`."""
        return list(unmet_requirements(self._ctx(case, "", {}, at)))

    def options(self, case: Case, at: datetime) -> list[TriggerOption]:
        """Every trigger possible from the case's current states, allowed or with reasons.

        A trigger is possible when the `when` conditions about the case (not those that route
        by its data, still unknown) of one of its branches hold. It is allowed when the guards
        of at least one such branch hold with the data still empty.
        """
        found: list[TriggerOption] = []
        ctx = self._ctx(case, "", {}, at)
        for track in TRACKS:
            if track == "residence" and self._residence_closed(case):
                continue
            for name, possible in self._possible[(track, self._current(case, track))]:
                branches = [b for b in possible if not evaluate(_about_case(b.when), ctx)]
                if not branches:  # it does not apply to this case (e.g. a VBL's departure)
                    continue
                verdicts = [evaluate(b.guards, ctx) for b in branches]
                allowed = any(not v for v in verdicts)
                reasons = [] if allowed else list(dict.fromkeys(r for v in verdicts for r in v))
                label = next((b.spec.label for b in branches if b.spec.label), None)
                found.append(TriggerOption(name, track, allowed, reasons, label))
        return found

    # -- changing ---------------------------------------------------------------------------

    def open_case(self, case: Case, *, at: datetime, now: datetime, actor: str) -> None:
        """Log the opening of a new case (already in its initial states) and start its timers."""
        data = {"intake_on": case.intake_on.isoformat(), "kind": case.kind}
        event = case.log(
            track="care",
            trigger=OPEN_EVENT,
            from_state=None,
            to_state=case.state,
            actor=actor,
            happened_at=at,
            recorded_at=now,
            data=data,
        )
        case.state_entered_seq, case.state_entered_at = event.seq, at
        self._react(case, Happening(trigger=OPEN_EVENT, enter=case.state, data=data), at, event.seq)

    def fire(
        self,
        case: Case,
        trigger: str,
        raw: Mapping[str, Any] | None,
        *,
        at: datetime,
        now: datetime,
        actor: str,
    ) -> list[Event]:
        """Fire `trigger` on the case in memory; return the events it logged (cascades too)."""
        spec = self.spec.triggers.get(trigger)
        if spec is None:
            known = ", ".join(sorted(self.spec.triggers))
            raise InvalidInput(
                _("unknown trigger {trigger}", trigger=repr(trigger)),
                [_("trigger: must be one of {known}", known=known)],
            )
        data = self.validate_data(trigger, self._happened_on(trigger, raw or {}, at))
        self._check_dates(case, trigger, data, at)
        chosen = self._choose(case, spec.track, trigger, data, at)
        return self._apply(case, chosen, data, at=at, now=now, actor=actor)

    def _happened_on(self, trigger: str, raw: Mapping[str, Any], at: datetime) -> Mapping[str, Any]:
        """The data with each date that says when the trigger itself happened (`happened:
        true` in the workflow file) defaulting to the local day of `at` when not given."""
        fields = self.spec.triggers[trigger].data
        day = at.astimezone(self.tz).date().isoformat()
        missing = {n: day for n, f in fields.items() if f.happened and raw.get(n) is None}
        return {**raw, **missing} if missing else raw

    def validate_data(self, trigger: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        try:
            model = self.data_models[trigger].model_validate(raw)
        except ValidationError as exc:
            raise InvalidInput(
                _("bad data for {trigger}", trigger=trigger), validation_reasons("data", exc)
            ) from exc
        return model.model_dump(mode="json", exclude_none=True)

    def _check_dates(self, case: Case, trigger: str, data: Mapping[str, Any], at: datetime) -> None:
        """Dates in trigger data that lie in the future, or before what they must follow."""
        today = at.astimezone(self.tz).date()
        reasons: list[str] = []
        for name, spec in self.spec.triggers[trigger].data.items():
            if spec.type != "date" or data.get(name) is None:
                continue
            day = date.fromisoformat(data[name])
            where = f"data.{name}"
            if spec.past and day > today:
                reasons.append(
                    _(
                        "{field}: {day} lies after the day it is recorded for ({today})",
                        field=where,
                        day=day,
                        today=today,
                    )
                )
            if day < EARLIEST:
                reasons.append(
                    _(
                        "{field}: {day} lies before {earliest}",
                        field=where,
                        day=day,
                        earliest=EARLIEST,
                    )
                )
            if day > today + _AHEAD:
                reasons.append(
                    _(
                        "{field}: {day} lies more than ten years ahead",
                        field=where,
                        day=day,
                    )
                )
            if spec.not_before == "intake_on" and day < case.intake_on:
                reasons.append(
                    _(
                        "{field}: {day} lies before the intake ({intake_on})",
                        field=where,
                        day=day,
                        intake_on=case.intake_on,
                    )
                )
            elif spec.not_before and data.get(spec.not_before) and str(day) < data[spec.not_before]:
                reasons.append(
                    _(
                        "{field}: {day} lies before {other} ({other_day})",
                        field=where,
                        day=day,
                        other=spec.not_before,
                        other_day=data[spec.not_before],
                    )
                )
        if reasons:
            raise InvalidInput(_("bad dates for {trigger}", trigger=trigger), reasons)

    def record(
        self,
        case: Case,
        kind: str,
        raw: Mapping[str, Any],
        *,
        at: datetime,
        now: datetime,
        actor: str,
    ) -> DocumentVersion:
        """Record a new version of a document on the case in memory."""
        if kind not in self.spec.documents:
            known = ", ".join(sorted(self.spec.documents))
            raise InvalidInput(
                _("unknown document kind {kind}", kind=repr(kind)),
                [_("kind: must be one of {known}", known=known)],
            )
        try:
            valid = document_model(kind).model_validate(raw)
        except ValidationError as exc:
            raise InvalidInput(
                _("bad {kind} document", kind=kind), validation_reasons(kind, exc)
            ) from exc
        data = valid.model_dump(mode="json")
        on = at.astimezone(self.tz).date()
        wrong = implausible_dates(kind, valid, intake_on=case.intake_on, on=on) or too_big(
            kind, data
        )
        if wrong:
            raise InvalidInput(_("bad {kind} document", kind=kind), wrong)
        if self.is_closed(case):
            raise TriggerRefused(_("cannot record {kind}", kind=kind), [_("the case is closed")])
        reasons = evaluate(self.record_guards[kind], self._ctx(case, "record", data, at))
        if reasons:
            raise TriggerRefused(_("cannot record {kind} now", kind=kind), reasons)
        previous = case.documents.get(kind)
        version = previous.version + 1 if previous else 1
        event = case.log(
            track="documents",
            trigger="record",
            from_state=case.state,
            to_state=case.state,
            actor=actor,
            happened_at=at,
            recorded_at=now,
            data={"kind": kind, "version": version},
        )
        doc = DocumentVersion(kind, version, data, event.seq, actor, at, now)
        case.documents[kind] = doc
        case.changes.documents.append(doc)
        self._react(case, Happening(record=kind, data=data), at, event.seq)
        return doc

    # -- internals --------------------------------------------------------------------------

    def _current(self, case: Case, track: str) -> str:
        return case.state if track == "care" else case.residence_state

    def _ctx(self, case: Case, trigger: str, data: Mapping[str, Any], at: datetime) -> GuardContext:
        requirements = self.requirements[case.state]
        return GuardContext(
            case, trigger, data, at, self.tz, requirements,
            self.labels, self.state_names, self.timer_names, self.switches,
        )  # fmt: skip

    def _residence_closed(self, case: Case) -> Message | None:
        """Why the residence track takes no more events, or None while it does."""
        if self.is_closed(case):
            return _("the case is closed")
        if self.states[case.state].phase == "origin":
            return _("the client has returned: the residence track in the Netherlands is closed")
        return None

    def _choose(
        self, case: Case, track: str, trigger: str, data: Mapping[str, Any], at: datetime
    ) -> CompiledTransition:
        current = self._current(case, track)
        if track == "residence" and (why := self._residence_closed(case)):
            raise TriggerRefused(_("{trigger} is not possible", trigger=trigger), [why])
        event = self.machines[track].events.get(trigger)
        if event is None or current not in event.transitions:
            raise TriggerRefused(
                _("{trigger} is not possible now", trigger=trigger),
                [
                    _(
                        "{trigger} is not possible from {state} ({current})",
                        trigger=trigger,
                        state=Message(self.state_names[current]),
                        current=current,
                    )
                ],
            )
        token = _Token(current, self._ctx(case, trigger, data, at))
        if not event.trigger(token) or token.chosen is None:
            raise TriggerRefused(
                _("{trigger} is not possible now", trigger=trigger), token.route_reasons
            )
        return token.chosen

    def _apply(
        self,
        case: Case,
        chosen: CompiledTransition,
        data: dict[str, Any],
        *,
        at: datetime,
        now: datetime,
        actor: str,
    ) -> list[Event]:
        track, trigger = chosen.track, chosen.spec.trigger
        old = self._current(case, track)
        new = chosen.dest or old
        event = case.log(
            track=track,
            trigger=trigger,
            from_state=old,
            to_state=new,
            actor=actor,
            happened_at=at,
            recorded_at=now,
            data=data,
        )
        for name, value in chosen.spec.set_facts.items():
            case.facts[name] = _fact(case.facts.get(name), value, data)
        what = Happening(trigger=trigger, data=data)
        if chosen.dest is not None:  # an external transition, also one back into the same step
            what = Happening(trigger=trigger, leave=old, enter=new, data=data)
            if track == "care":
                case.state, case.state_entered_seq, case.state_entered_at = new, event.seq, at
            else:
                case.residence_state = new
        self._react(case, what, at, event.seq)
        events = [event]
        for cascade in chosen.spec.then:
            events += self._cascade(case, cascade, event, at=at, now=now, actor=actor)
        return events

    def _cascade(
        self,
        case: Case,
        cascade: Cascade,
        cause: Event,
        *,
        at: datetime,
        now: datetime,
        actor: str,
    ) -> list[Event]:
        data = self.validate_data(
            cascade.trigger, self._happened_on(cascade.trigger, cascade.data, at)
        )
        try:
            chosen = self._choose(case, cascade.track, cascade.trigger, data, at)
        except TriggerRefused as refused:
            log.info(
                "cascade_skipped",
                case_id=case.id,
                trigger=cascade.trigger,
                state=case.state,
                why=refused.reasons,
                deferred=cascade.defer,
            )
            if cascade.defer is not None:
                case.facts[cascade.defer] = {
                    "cause": cause.trigger,
                    "on": self._day_of(cause),
                    "state": case.state,
                    "trigger": cascade.trigger,
                }
            return []
        return self._apply(case, chosen, data, at=at, now=now, actor=actor)

    def _day_of(self, event: Event) -> str:
        """The day an event says it happened on (its `happened: true` date), else its day."""
        fields = self.spec.triggers[event.trigger].data
        found = [event.data[n] for n, f in fields.items() if f.happened and event.data.get(n)]
        return str(found[0]) if found else event.happened_at.astimezone(self.tz).date().isoformat()

    def hints(self, case: Case, today: date) -> list[str]:
        """What to do next, in words, where neither the requirements nor a refusal say it:
        the step's own hint, then each open deadline's (review findings 13 and 14)."""
        notes = [] if self.is_closed(case) else [self.states[case.state].hint]
        for timer in case.timers:
            spec = self.timer_specs.get(timer.kind)
            status = timer.status_on(today)
            if spec is None or status in ("done", "cancelled"):
                continue
            if spec.hint_when == "open" or status == "overdue":
                notes.append(spec.hint)
        return list(dict.fromkeys(n for n in notes if n))

    def deferred(self, case: Case) -> list[str]:
        """What a case keeps for later (a cascade deferred by `defer`), in words: e.g. the
        evaluation an IND decision in step 1 calls for, once step 1 is done (L2812-2815)."""
        notes: list[str] = []
        for fact, cascade in self._defers.items():
            kept = case.facts.get(fact)
            if isinstance(kept, dict):
                notes.append(self._deferred_note(cascade, kept))
        return notes

    def _deferred_note(self, cascade: Cascade, kept: Mapping[str, Any]) -> str:
        dest = next(
            t.dest
            for t in self.tracks[cascade.track].transitions
            if t.trigger == cascade.trigger and t.dest is not None
        )
        waiting = self.states[str(kept["state"])]
        return _(
            "{event} of {day}: step {dest_step} ({dest}) follows after step {step} ({label})",
            event=Message(self.spec.triggers[str(kept["cause"])].label),
            day=str(kept["on"]),
            dest_step=str(self.states[dest].step),
            dest=Message(self.states[dest].label),
            step=str(waiting.step),
            label=Message(waiting.label),
        )

    def _react(self, case: Case, what: Happening, at: datetime, seq: int) -> None:
        rules = self._rules_for(Happening(what.trigger, what.enter, what.leave, what.record))
        if not rules:
            return
        ctx = self._ctx(case, what.trigger or "", what.data or {}, at)
        for rule in rules:
            rule.apply(case, what, ctx, seq)

    @functools.cache  # noqa: B019 - one entry per kind of happening; lives as the workflow
    def _rules_for(self, kind: Happening) -> tuple[TimerRule, ...]:
        """The timer rules narrowed to the matches that can hit this kind of happening (one
        without data): the others are not asked (bench/transitions.py)."""
        narrowed = (rule.narrowed_to(kind) for rule in self.timer_rules)
        return tuple(rule for rule in narrowed if rule.start or rule.done or rule.cancel)


def _fact(old: Any, spec: Any, data: Mapping[str, Any]) -> Any:
    """A fact's new value: `$field` copies trigger data; `{add: VALUE}` adds VALUE to the
    list the fact holds, once (e.g. every permit the case has held, L650-653)."""
    if isinstance(spec, dict):
        item = _fact(None, spec["add"], data)
        held = list(old or [])
        return held if item is None or item in held else [*held, item]
    if isinstance(spec, str) and spec.startswith("$"):
        return data.get(spec[1:])
    return spec


# Conditions that route by the trigger's data: unknown before it is fired.
_DATA_ROUTING = frozenset({"data_equals", "data_present", "data_absent"})


def _about_case(when: tuple[BoundGuard, ...]) -> tuple[BoundGuard, ...]:
    """The `when` conditions that look at the case rather than at the trigger's data."""
    return tuple(g for g in when if g.guard.name not in _DATA_ROUTING)


def _route(compiled: CompiledTransition, event: EventData) -> bool:
    token = event.model
    assert isinstance(token, _Token)
    reasons = evaluate(compiled.when, token.ctx)
    token.route_reasons.extend(reasons)
    return not reasons


def _check_guards(compiled: CompiledTransition, event: EventData) -> None:
    token = event.model
    assert isinstance(token, _Token)
    reasons = evaluate(compiled.guards, token.ctx)
    if reasons:
        raise TriggerRefused(_("{trigger} is refused", trigger=compiled.spec.trigger), reasons)
    token.chosen = compiled


_INT_LIMIT = 2**31 - 1  # a count or a number of days; a 64-bit column holds it anywhere
_AHEAD = timedelta(days=3653)  # a date in the future (a permit's end) within ten years
_TYPES: dict[str, type] = {
    "date": date, "boolean": bool, "integer": int, "string": str, "organisation": str,
    "socialmap": str,
}  # fmt: skip
_LIMITS: dict[str, Callable[[DataField], dict[str, Any]]] = {
    "integer": lambda _: {"ge": -_INT_LIMIT, "le": _INT_LIMIT},
    "string": lambda f: {"max_length": f.max_length, "min_length": 1},
    "organisation": lambda _: {"pattern": ORGANISATION_ID},
    "socialmap": lambda _: {"pattern": SOCIALMAP_ID},
}


class _DataModels(Mapping[str, type[BaseModel]]):
    """Each trigger's data model, made when its trigger is first fired: a command that fires
    none (`case show`) does not pay for building them all (docs/performance.md)."""

    def __init__(self, triggers: Mapping[str, TriggerSpec]) -> None:
        self._triggers = triggers
        self._made: dict[str, type[BaseModel]] = {}

    def __getitem__(self, name: str) -> type[BaseModel]:
        if name not in self._made:
            self._made[name] = _data_model(name, self._triggers[name].data)
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._triggers)

    def __len__(self) -> int:
        return len(self._triggers)


def _data_model(trigger: str, fields: Mapping[str, DataField]) -> type[BaseModel]:
    definitions: dict[str, Any] = {}
    for name, f in fields.items():
        typ = Literal[tuple(f.values)] if f.type == "enum" else _TYPES[f.type]
        limits = _LIMITS[f.type](f) if f.type in _LIMITS else {}
        if f.required:
            definitions[name] = (typ, Field(..., description=f.description, **limits))
        else:
            definitions[name] = (typ | None, Field(None, description=f.description, **limits))
    model: type[BaseModel] = create_model(
        f"{trigger}_data", __config__=ConfigDict(extra="forbid"), **definitions
    )
    return model
