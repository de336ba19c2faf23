"""How plausible a document's dates are, field by field.

Every date field of a document says which rule it follows (its `x-date` in the JSON Schema):
- `made`: the day the document was made or the thing took place (assessed_on, held_on,
  took_place_on, …): not after the day it is recorded for, not before the intake;
- `past`: a day that may lie before the intake (a birth date): not after the day it is
  recorded for, not before EARLIEST;
- `planned`: a day something is planned for (a review, a goal, an appointment): not before
  the intake, at most PLANNED_YEARS_AHEAD after the day it is recorded for.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, JsonValue

from engine.i18n import _

DateRule = Literal["made", "past", "planned"]
MADE: dict[str, JsonValue] = {"x-date": "made"}
PAST: dict[str, JsonValue] = {"x-date": "past"}
PLANNED: dict[str, JsonValue] = {"x-date": "planned"}
EARLIEST = date(1900, 1, 1)
PLANNED_YEARS_AHEAD = 10

Path = tuple[str | int, ...]


def date_fields(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, date, DateRule]]:
    """Every date in a document or part, with where it sits and the rule it follows."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, BaseModel):
                yield from date_fields(item, where)
            elif isinstance(item, date):
                yield where, item, rule_of(info.json_schema_extra)


def rule_of(extra: object) -> DateRule:
    """The rule a field's `json_schema_extra` names; `made`, the strictest, when none."""
    rule = extra.get("x-date") if isinstance(extra, dict) else None
    return rule if rule in ("past", "planned") else "made"


def implausible_dates(kind: str, doc: BaseModel, *, intake_on: date, on: date) -> list[str]:
    """Why the document's dates cannot be right for a case taken in on `intake_on`, the
    document recorded for the day `on`; empty when they can."""
    reasons: list[str] = []
    latest = _years_after(on, PLANNED_YEARS_AHEAD)
    for path, day, rule in date_fields(doc):
        field = ".".join(str(p) for p in (kind, *path))
        if rule != "planned" and day > on:
            reasons.append(
                _(
                    "{field}: {day} lies after the day it is recorded for ({today})",
                    field=field,
                    day=day,
                    today=on,
                )
            )
        if rule == "planned" and day > latest:
            reasons.append(
                _(
                    "{field}: {day} lies more than {years} years ahead ({latest})",
                    field=field,
                    day=day,
                    years=PLANNED_YEARS_AHEAD,
                    latest=latest,
                )
            )
        if rule == "past" and day < EARLIEST:
            reasons.append(
                _("{field}: {day} lies before {earliest}", field=field, day=day, earliest=EARLIEST)
            )
        if rule != "past" and day < intake_on:
            reasons.append(
                _(
                    "{field}: {day} lies before the intake ({intake_on})",
                    field=field,
                    day=day,
                    intake_on=intake_on,
                )
            )
    return reasons


def shifted_to(doc: BaseModel, on: date) -> dict[str, Any]:
    """The document as JSON with every date moved by the same number of days, so that its
    latest `made` date falls on `on` (unchanged when it has none)."""
    found = list(date_fields(doc))
    made = [day for _, day, rule in found if rule == "made"]
    data: dict[str, Any] = doc.model_dump(mode="json")
    if not made:
        return data
    delta = on - max(made)
    for path, day, _rule in found:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = (day + delta).isoformat()
    return data


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
