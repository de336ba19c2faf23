"""The registry of document kinds: one pydantic model per kind, in care pathway order."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from importlib import import_module
from typing import Any

from engine.documents._base import Document
from engine.documents._dates import shifted_to
from engine.i18n import translate

# Each kind's model and the module that defines it, in care pathway order. A module is
# imported when one of its kinds is first asked for: a command that meets no document (such
# as `case show` of a case without them) does not build the 19 modules' classes.
_KINDS: dict[str, tuple[str, str]] = {
    "client_profile": ("_profile", "ClientProfile"),
    "risk_analysis": ("_safety", "RiskAnalysis"),
    "safety_plan": ("_safety", "SafetyPlan"),
    "counselling_info": ("_counselling", "CounsellingInfo"),
    "strengths_inventory": ("_plans", "StrengthsInventory"),
    "action_plan": ("_plans", "ActionPlan"),
    "overview1": ("_overviews", "Overview1"),
    "overview2": ("_overviews", "Overview2"),
    "evaluation": ("_counselling", "Evaluation"),
    "return_plan": ("_return_plan", "ReturnPlan"),
    "risk_update": ("_safety", "RiskUpdate"),
    "handover_checklist": ("_departure", "HandoverChecklist"),
    "consent": ("_departure", "Consent"),
    "contact": ("_departure", "Contact"),
    "health_checklist": ("_health", "HealthChecklist"),
    "return_funds": ("_funds", "ReturnFunds"),
    "reint_agreement": ("_reintegration", "ReintAgreement"),
    "legal_questions": ("_reintegration", "LegalQuestions"),
    "resources_plan": ("_reintegration", "ResourcesPlan"),
}


class _Models(Mapping[str, type[Document]]):
    """Document kind → model, importing a kind's module when its model is first asked for;
    its kinds, their order and `in` need no import."""

    def __getitem__(self, kind: str) -> type[Document]:
        module, name = _KINDS[kind]
        model: type[Document] = getattr(import_module(f"engine.documents.{module}"), name)
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(_KINDS)

    def __len__(self) -> int:
        return len(_KINDS)

    def __contains__(self, kind: object) -> bool:
        return kind in _KINDS


DOCUMENT_MODELS: Mapping[str, type[Document]] = _Models()


def document_title(model: type[Document]) -> str:
    """The first sentence of the model's description, whole (never cut mid-sentence)."""
    paragraph = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())
    for end in re.finditer(r"\.\s+(?=[A-Z])", paragraph):
        if paragraph.count('"', 0, end.start()) % 2 == 0:  # not inside a quoted title
            return paragraph[: end.start() + 1]
    return paragraph


def document_model(kind: str) -> type[Document]:
    """The model of a document kind; KeyError naming the known kinds if there is none."""
    try:
        return DOCUMENT_MODELS[kind]
    except KeyError:
        known = ", ".join(DOCUMENT_MODELS)
        raise KeyError(f"unknown document kind {kind!r}; known kinds: {known}") from None


def example(kind: str, on: date | None = None, lang: str = "en") -> dict[str, Any]:
    """A complete, valid example of a document kind, ready for JSON (dates as ISO strings);
    with `on`, its dates moved so that it is made that day (valid for a case taken in then);
    its free texts in `lang`."""
    doc = document_model(kind).example()
    data = doc.model_dump(mode="json") if on is None else shifted_to(doc, on)
    return {key: _said_in(value, lang) for key, value in data.items()}


def _said_in(value: Any, lang: str) -> Any:
    """The free texts of example data in `lang`: each text with a space (the closed lists'
    values and ids have none, and stay). A text that is no catalog text stays as it is, such
    as the health checklist's condition, kept in English for the doctor abroad."""
    if isinstance(value, dict):
        return {key: _said_in(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [_said_in(item, lang) for item in value]
    return translate(value, lang) if isinstance(value, str) and " " in value else value


def as_read(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored document as it is read: with the values computed from it (Overview 1's
    totals), also for versions recorded before those values existed."""
    model = document_model(kind)
    computed = set(model.model_computed_fields)
    if not computed:
        return dict(data)
    return {**data, **model.model_validate(data).model_dump(mode="json", include=computed)}
