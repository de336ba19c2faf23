"""Guards: named, typed, pure functions of (case facts, now) that explain a refusal.

A guard returns the list of reasons it does not hold, in words a counsellor understands;
an empty list means it holds. The workflow file names guards; the loader checks the names
and validates their parameters against the guard's parameter model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from engine.domain import Case
from engine.i18n import Message


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True)
class GuardContext:
    """Everything a guard may look at. `at` is when the thing happens (aware UTC)."""

    case: Case
    trigger: str
    data: Mapping[str, Any]
    at: datetime
    tz: ZoneInfo
    requirements: Sequence[Requirement] = ()
    labels: Mapping[str, str] | None = None
    state_labels: Mapping[str, str] | None = None
    timer_labels: Mapping[str, str] | None = None
    switches: Mapping[str, bool] | None = None

    @functools.cached_property
    def today(self) -> date:
        """The local (Europe/Amsterdam) calendar day of `at`."""
        return self.at.astimezone(self.tz).date()

    def label(self, kind: str) -> Message:
        """A document kind's label, for reasons (its English is the catalog's msgid)."""
        return Message((self.labels or {}).get(kind, kind))

    def state_label(self, state: str) -> Message:
        """A state's label, for reasons."""
        return Message((self.state_labels or {}).get(state, state))

    def timer_label(self, kind: str) -> Message:
        """A timer kind's label, for reasons."""
        return Message((self.timer_labels or {}).get(kind, kind))

    def switch(self, name: str) -> bool:
        """An organisation's policy switch from the workflow file (off when not there)."""
        return bool((self.switches or {}).get(name, False))

    def document(self, kind: str) -> Mapping[str, Any] | None:
        found = self.case.documents.get(kind)
        return found.data if found else None


@dataclass(frozen=True)
class Guard(Generic[P]):
    name: str
    params: type[P]
    check: Callable[[GuardContext, P], list[str]]
    doc: str


@dataclass(frozen=True)
class BoundGuard:
    """A guard with its parameters, ready to evaluate."""

    guard: Guard[Any]
    params: BaseModel

    def __call__(self, ctx: GuardContext) -> list[str]:
        return self.guard.check(ctx, self.params)


@dataclass(frozen=True)
class Requirement:
    """A document the current step must produce; `since_entered`: recorded in this step;
    `waived_by`: a guard that, when it holds, makes the document unnecessary."""

    kind: str
    since_entered: bool = False
    waived_by: BoundGuard | None = None


GUARDS: dict[str, Guard[Any]] = {}


def guard(
    name: str,
    params: type[P] = NoParams,  # type: ignore[assignment]
) -> Callable[[Callable[[GuardContext, P], list[str]]], Callable[[GuardContext, P], list[str]]]:
    """Register a guard function under `name`, with an optional parameter model."""

    def register(
        fn: Callable[[GuardContext, P], list[str]],
    ) -> Callable[[GuardContext, P], list[str]]:
        if name in GUARDS:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = Guard(name, params, fn, (fn.__doc__ or "").strip())
        return fn

    return register


def bind(ref: str | Mapping[str, Mapping[str, Any]]) -> BoundGuard:
    """Resolve a guard reference from the workflow file. Raises KeyError or ValueError."""
    raw: Mapping[str, Any]
    if isinstance(ref, str):
        name, raw = ref, {}
    else:
        if len(ref) != 1:
            raise ValueError("a guard with parameters is a mapping with exactly one name")
        ((name, raw),) = ref.items()
    if name not in GUARDS:
        raise KeyError(f"unknown guard {name!r}; known: {', '.join(sorted(GUARDS))}")
    spec = GUARDS[name]
    return BoundGuard(spec, spec.params.model_validate(raw or {}))


def evaluate(guards: Sequence[BoundGuard], ctx: GuardContext) -> list[str]:
    """Every reason of every guard that does not hold."""
    reasons: list[str] = []
    for bound in guards:
        reasons.extend(bound(ctx))
    return reasons
