"""The workflow file as pydantic models. Loading and cross-checks live in `_loader`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from engine.i18n import N_, Message, _, translate

Track = Literal["care", "residence"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@functools.lru_cache(maxsize=256)
def _relativedelta_for(years: int, months: int, weeks: int, days: int) -> relativedelta:
    """Built once per distinct duration: a workflow has a handful, applied on every trigger."""
    return relativedelta(years=years, months=months, weeks=weeks, days=days)


class Duration(_Model):
    """A calendar duration: years, months, weeks and days, applied to a local date."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @model_validator(mode="after")
    def _one_direction(self) -> Duration:
        parts = [self.years, self.months, self.weeks, self.days]
        if not any(parts):
            raise ValueError("a duration needs at least one of months, weeks or days")
        if any(p > 0 for p in parts) and any(p < 0 for p in parts):
            raise ValueError("a duration runs one way: do not mix positive and negative parts")
        return self

    @property
    def negative(self) -> bool:
        return min(self.years, self.months, self.weeks, self.days) < 0

    def _delta(self) -> relativedelta:
        return _relativedelta_for(self.years, self.months, self.weeks, self.days)

    def add_to(self, day: date) -> date:
        """`day` moved by this duration; month ends clamp (31 Jan + 1 month = 28/29 Feb)."""
        result: date = day + self._delta()
        return result

    def subtract_from(self, day: date) -> date:
        result: date = day - self._delta()
        return result

    def describe(self, lang: str = "en") -> str:
        """The duration in words in `lang`, larger units first, `before` when negative."""
        units = (
            (self.years, N_("{n} year"), N_("{n} years")),
            (self.months, N_("{n} month"), N_("{n} months")),
            (self.weeks, N_("{n} week"), N_("{n} weeks")),
            (self.days, N_("{n} day"), N_("{n} days")),
        )
        words = " ".join(
            translate(Message(one if abs(n) == 1 else many, n=abs(n)), lang)
            for n, one, many in units
            if n
        )
        return translate(_("{duration} before", duration=words), lang) if self.negative else words


DurationRef = Duration | str
"""An inline duration, or the name of an entry in the file's `policy` section."""


GuardRef = str | dict[str, dict[str, Any]]
"""A guard by name, or a one-entry mapping of name to its parameters."""


def _one_text(value: Any) -> Any:
    if isinstance(value, dict):
        raise ValueError(
            "a label is one English text; its Dutch is in the catalog "
            "(engine/i18n/locales/nl): `python scripts/i18n_labels.py FILE` converts "
            "{nl: ..., en: ...} labels"
        )
    return value


Label = Annotated[
    str, BeforeValidator(_one_text), StringConstraints(strip_whitespace=True, min_length=1)
]
"""A text for people, in English: the msgid of its translations in the message catalogs
(engine/i18n); shown with `translate(label, lang)`, in English where a catalog lacks it."""


class Requirement(_Model):
    """A document kind that must be present and complete before a step can be left."""

    kind: str
    since_entered: bool = Field(
        default=False, description="a version must have been recorded since the step began"
    )
    unless: GuardRef | None = Field(
        default=None, description="a guard that, when it holds, makes this document unnecessary"
    )


class SocialMapHint(_Model):
    """Suggest organisations from the social map in the client's country of origin in this
    state (a hint for the counsellor, never a requirement)."""

    when: dict[str, str | bool | int] = Field(
        default={}, description="case facts that must hold, e.g. {leave_outcome: undocumented}"
    )


class StateSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    phase: Literal["nl", "origin", "end", "residence"]
    step: int | None = None
    source: str | None = Field(default=None, description="where the book describes it (L1234)")
    requires: list[Requirement | str] = []
    expected_duration: DurationRef | None = None
    final: bool = False
    socialmap: SocialMapHint | None = Field(
        default=None, description="suggest organisations from the social map here"
    )
    hint: Label | None = Field(
        default=None, description="what to do in this step, where its requirements say nothing"
    )

    def suggests_socialmap(self, facts: Mapping[str, Any]) -> bool:
        hint = self.socialmap
        return hint is not None and all(facts.get(k) == v for k, v in hint.when.items())

    def requirements(self) -> list[Requirement]:
        return [Requirement(kind=r) if isinstance(r, str) else r for r in self.requires]


class Cascade(_Model):
    """After this transition, also fire `trigger` on `track` when it is allowed there."""

    track: Track
    trigger: str
    data: dict[str, Any] = {}
    defer: str | None = Field(
        default=None,
        description="a fact that keeps the cascade for later when it is not possible now",
    )


class TransitionSpec(_Model):
    trigger: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: str | list[str]
    dest: str | None = Field(default=None, description="None: stay in the state (internal)")
    when: list[GuardRef] = Field(
        default=[], description="routing: the first transition whose conditions hold is taken"
    )
    guards: list[GuardRef] = Field(default=[], description="must all hold, else refused")
    set_facts: dict[str, Any] = Field(
        default={},
        description="case facts to set; a string '$field' copies trigger data; "
        "{add: VALUE} adds VALUE to the list the fact holds (once)",
    )
    then: list[Cascade] = []
    label: Label | None = Field(
        default=None,
        description="what the trigger is called when it leads from these sources, where its "
        "own label would mislead (evaluating again while in step 7)",
    )

    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)


class TrackSpec(_Model):
    initial: str
    states: list[StateSpec]
    transitions: list[TransitionSpec]


# `organisation`: a registered organisation's id (checked against the registry where the
# case is changed), never a display name.
# `socialmap`: the id of an organisation on the social map (checked against the map where the
# case is changed).
FieldType = Literal["date", "string", "boolean", "integer", "enum", "organisation", "socialmap"]


class DataField(_Model):
    type: FieldType
    required: bool = False
    values: list[str] = Field(default=[], description="the allowed values of an enum")
    max_length: int = 200
    description: str = ""
    past: bool = Field(default=False, description="a date: not after the day it is recorded for")
    not_before: str | None = Field(
        default=None, description="a date: not before this other data field, or intake_on"
    )
    happened: bool = Field(
        default=False,
        description="a date saying when the trigger itself happened: when not given, the day "
        "of --at / happened_at",
    )

    @model_validator(mode="after")
    def _enum_has_values(self) -> DataField:
        if (self.type == "enum") != bool(self.values):
            raise ValueError("an enum field lists its values, and only an enum field does")
        if self.happened and self.type != "date":
            raise ValueError("only a date field says when the trigger happened (happened)")
        return self


class TriggerSpec(_Model):
    track: Track
    label: Label
    data: dict[str, DataField] = {}


class Match(_Model):
    """Something that happens to a case: a trigger fired, a step entered or left, a document.
    Every part given must hold: `{trigger: complete, leave: interim_evaluation}` is step 7
    completed, not step 7 left by a withdrawal."""

    trigger: str | None = None
    enter: str | None = None
    leave: str | None = None
    record: str | None = None
    where: dict[str, Any] = Field(default={}, description="data fields that must equal these")
    guards: list[GuardRef] = Field(default=[], description="must also hold (e.g. consent)")

    @model_validator(mode="after")
    def _something(self) -> Match:
        if all(x is None for x in (self.trigger, self.enter, self.leave, self.record)):
            raise ValueError("give at least one of trigger, enter, leave or record")
        if self.record is not None and (self.trigger or self.enter or self.leave):
            raise ValueError("a document record is not a trigger: give record alone")
        return self


class Anchor(_Model):
    """The date a timer counts from: a case fact, a field of the starting event's data,
    or the moment the starting event happened."""

    fact: str | None = Field(default=None, description="a case fact, e.g. intake_on")
    data: str | None = Field(default=None, description="a field of the starting event's data")
    document: str | None = Field(
        default=None, description="kind.field of a recorded document, e.g. a birth date"
    )
    event_time: bool = False
    plus: DurationRef | None = Field(default=None, description="e.g. 18 years for a birthday")

    @model_validator(mode="after")
    def _exactly_one(self) -> Anchor:
        given = [self.fact is not None, self.data is not None, self.document is not None]
        if sum([*given, self.event_time]) != 1:
            raise ValueError("anchor on exactly one of fact, data, document or event_time")
        return self


Role = Literal["counsellor", "organisation", "coordinator"]


class Escalation(_Model):
    """When a deadline stays overdue: after `after_days`, tell `to`; again every `every_days`."""

    after_days: int = Field(ge=1)
    to: list[Role] = ["coordinator"]
    every_days: int = Field(ge=1)


class ReminderPolicy(_Model):
    """Whom to remind of a deadline (before it, on the day, when overdue) and how to escalate."""

    notify: list[Role] = Field(default=["counsellor"], min_length=1)
    repeat_every_days: int = Field(
        default=7, ge=1, description="an overdue reminder comes again every N days until done"
    )
    escalate: Escalation | None = None


class TimerSpec(_Model):
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    source: str | None = None
    anchor: Anchor
    offset: DurationRef | None = None
    not_after: Anchor | None = Field(
        default=None, description="an earlier end, when given, wins (e.g. a set end date)"
    )
    remind_before: list[DurationRef] = []
    once: bool = Field(
        default=False, description="start only if no timer of this kind is pending or done"
    )
    start: list[Match] = Field(min_length=1)
    done: list[Match] = []
    cancel: list[Match] = []
    reminders: ReminderPolicy = ReminderPolicy()
    hint: Label | None = Field(
        default=None, description="what to do about the deadline, shown while it is `hint_when`"
    )
    hint_when: Literal["open", "overdue"] = Field(
        default="open", description="open: pending, due soon or overdue; overdue: past due only"
    )


class DocumentSpec(_Model):
    """A document kind the workflow uses; `guards` must hold to record one."""

    label: Label
    guards: list[GuardRef] = []


class WorkflowSpec(_Model):
    id: str
    version: int = Field(ge=1)
    title: Label
    timezone: str = "Europe/Amsterdam"
    policy: dict[str, Duration | bool] = Field(
        default={},
        description="organisation policy: durations the book does not give, and switches "
        "(true/false) for choices the book leaves to the organisation",
    )
    care: TrackSpec
    residence: TrackSpec
    triggers: dict[str, TriggerSpec]
    documents: dict[str, DocumentSpec]
    timers: list[TimerSpec] = []
    step_reminders: ReminderPolicy = Field(
        default=ReminderPolicy(), description="whom to tell when a step takes longer than expected"
    )
