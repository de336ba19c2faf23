"""The registry of document kinds: one pydantic model per kind, in care pathway order."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from engine.documents._base import Document
from engine.documents._counselling import CounsellingInfo, Evaluation
from engine.documents._dates import shifted_to
from engine.documents._departure import Consent, Contact, HandoverChecklist
from engine.documents._funds import ReturnFunds
from engine.documents._health import HealthChecklist
from engine.documents._overviews import Overview1, Overview2
from engine.documents._plans import ActionPlan, StrengthsInventory
from engine.documents._profile import ClientProfile
from engine.documents._reintegration import LegalQuestions, ReintAgreement, ResourcesPlan
from engine.documents._return_plan import ReturnPlan
from engine.documents._safety import RiskAnalysis, RiskUpdate, SafetyPlan
from engine.i18n import translate

DOCUMENT_MODELS: dict[str, type[Document]] = {
    model.kind: model
    for model in (
        ClientProfile,
        RiskAnalysis,
        SafetyPlan,
        CounsellingInfo,
        StrengthsInventory,
        ActionPlan,
        Overview1,
        Overview2,
        Evaluation,
        ReturnPlan,
        RiskUpdate,
        HandoverChecklist,
        Consent,
        Contact,
        HealthChecklist,
        ReturnFunds,
        ReintAgreement,
        LegalQuestions,
        ResourcesPlan,
    )
}


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
