"""The base of every document a care step produces, and helpers to word its gaps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, model_validator

from engine.i18n import N_, Message, _


# defer_build: a model's validator is built when it is first used, not at import, so a
# command that validates no document (`case show`) does not build them all.
class Part(BaseModel):
    """A structured part of a document (a section, a goal, a set of scores)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    def gaps(self) -> list[str]:
        """Every reason this part is incomplete, each starting with its field inside the part."""
        return []


class Document(BaseModel):
    """A document a care step produces. `kind` is the name the workflow and CLI use."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    kind: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _computed_not_read(cls, data: Any) -> Any:
        """A value computed from the document (Overview 1's totals) is part of what is read
        back, so a document read and sent again carries it: it is recomputed, not taken."""
        if isinstance(data, dict) and cls.model_computed_fields:
            return {k: v for k, v in data.items() if k not in cls.model_computed_fields}
        return data

    def gaps(self) -> list[str]:
        """Every reason the document is not yet complete enough to leave the care step,
        each naming the field, e.g. `safety_plan.client_agreed: the client has not ...`."""
        return []

    @classmethod
    def example(cls) -> Self:
        """A complete, valid instance: one whose `gaps()` is empty."""
        raise NotImplementedError(f"{cls.__name__} has no example")


def within(prefix: str, gaps: Iterable[str]) -> list[str]:
    """The gaps of a part, with the part's field name (or the document kind) put in front."""
    return [_("{prefix}.{gap}", prefix=prefix, gap=gap) for gap in gaps]


def described(model: type[BaseModel], name: str) -> Message:
    """The description of the field `name`, as a gap quotes it: without its final full stop,
    a catalog text (`scripts/i18n.py` extracts every field description of the documents)."""
    return Message((model.model_fields[name].description or name).rstrip("."))


def unanswered(
    model: BaseModel, names: Iterable[str], what: str = N_("not answered yet")
) -> list[str]:
    """A gap for every named field that is still None, quoting the field's description;
    `what` is a catalog text (marked with `N_`)."""
    return [
        _(
            "{field}: {what} ({question})",
            field=name,
            what=Message(what),
            question=described(type(model), name),
        )
        for name in names
        if getattr(model, name) is None
    ]


def unmet(model: BaseModel, checks: Mapping[str, str]) -> list[str]:
    """A gap for every named yes/no field that is not yet true: `field: reason`, where the
    reason is a catalog text (marked with `N_`)."""
    return [
        _("{field}: {reason}", field=name, reason=Message(reason))
        for name, reason in checks.items()
        if not getattr(model, name)
    ]
