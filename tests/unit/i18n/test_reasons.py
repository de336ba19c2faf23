"""Every reason the engine gives a person can be said in Dutch: walks of both case kinds through
the workflow collect every refusal, gap and validation error, and each is a catalog text with
its Dutch translation (a plain English string slipping in fails here). The important ones are
checked word for word."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.documents import DOCUMENT_MODELS, example
from engine.errors import EngineError
from engine.i18n import Message, catalog, translate
from tests.support import CaseDriver
from tests.unit.test_random_walks import START, WORKFLOW, _data, _likely, _open

PARTNER = "example-partner"  # the consent example's partner organisation id


def _untranslated(texts: Iterable[str]) -> list[str]:
    """The texts that are not catalog texts with a Dutch translation (nested ones too)."""
    dutch = catalog("nl")
    wrong: list[str] = []
    for text in texts:
        if not isinstance(text, Message):
            wrong.append(f"plain string: {text!r}")
            continue
        if text.msgid not in dutch:
            wrong.append(f"no Dutch for: {text.msgid!r}")
        translate(text, "nl")  # every placeholder is filled in
        nested = [v for v in text.params.values() if isinstance(v, Message) and v.params]
        wrong += _untranslated(nested)
    return wrong


def _document(kind: str, today: Any, how: int) -> dict[str, Any]:
    """A complete example, one with a field it does not have, or one with its fields
    emptied (so it is invalid or has gaps)."""
    data = dict(example(kind, today))
    if how == 1:
        return {**data, "bogus": 1}
    if how == 2:
        return {k: v for k, v in data.items() if isinstance(v, bool) or k.endswith("_on")}
    return data


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["trafficking", "domestic_violence"]))
def test_every_reason_on_a_walk_is_a_catalog_text_with_dutch(
    data: st.DataObject, kind: str
) -> None:
    case = _open(kind)
    now = START
    kinds = sorted(DOCUMENT_MODELS)
    triggers = sorted(WORKFLOW.spec.triggers)
    said: list[str] = []
    for _step in range(data.draw(st.integers(10, 80), label="steps")):
        now += timedelta(days=data.draw(st.integers(0, 20), label="days"))
        try:
            if data.draw(st.booleans(), label="record?"):
                needed = WORKFLOW.missing_documents(case, now)
                doc = data.draw(st.sampled_from(needed or kinds), label="kind")
                how = data.draw(st.integers(0, 3), label="how")
                raw = _document(doc, now.date(), how)
                WORKFLOW.record(case, doc, raw, at=now, now=now, actor="test")
            else:
                trigger = data.draw(
                    st.sampled_from(_likely(case, now) or triggers), label="trigger"
                )
                payload = data.draw(st.sampled_from(_data(trigger, now.date())), label="data")
                WORKFLOW.fire(case, trigger, payload, at=now, now=now, actor="test")
        except EngineError as refused:
            said += [refused.message, *refused.reasons]
        said += [r for option in WORKFLOW.options(case, now) for r in option.reasons]
    assert [] == _untranslated(said)


def test_the_witness_who_reported_is_told_in_dutch_why_no_reflection_period(
    case: CaseDriver,
) -> None:
    """A witness who has reported gets no reflection period (L4760-4761), said in Dutch."""
    case.open()
    case.fire("report_to_police", reported_on=str(case.today))
    (reason,) = case.refused("start_reflection_period", started_on=str(case.today))
    assert (
        "de cliënt heeft al aangifte gedaan, dus zij kan niet eerst gebruikmaken van de "
        "bedenktijd (B8/3 Vc)"
    ) == translate(reason, "nl")
    assert reason.startswith("the client has already reported to the police")


def test_a_reflection_period_is_at_most_three_calendar_months_in_dutch(case: CaseDriver) -> None:
    """The reflection period lasts at most three calendar months (L644-648)."""
    case.open()
    start = case.today
    (reason,) = case.refused("start_reflection_period", started_on=str(start), ends_on="2026-04-06")
    assert (
        "de einddatum 2026-04-06 is te laat: de bedenktijd duurt hoogstens 3 kalendermaanden "
        f"en eindigt dus uiterlijk op {start.replace(month=start.month + 3)}"
    ) == translate(reason, "nl")


def test_a_hand_over_without_consent_is_refused_in_dutch(case: CaseDriver) -> None:
    """A hand-over needs the client's consent to that partner (L3375), said in Dutch."""
    case.open()
    case.to_departure()
    case.record("handover_checklist")
    (reason,) = case.refused("offer_handover", partner=PARTNER)
    assert (
        f"de cliënt heeft geen toestemming gegeven voor overdracht aan {PARTNER} (consent)"
    ) == translate(reason, "nl")


def test_departure_under_article_64_is_refused_in_dutch(case: CaseDriver) -> None:
    """Departure is suspended while article 64 holds (L2723), said in Dutch."""
    case.open()
    case.to_departure()
    case.record("handover_checklist", with_partner=False)
    case.fire("start_article64", started_on=str(case.today))
    (reason,) = case.refused("depart", departed_on=str(case.today))
    assert (
        "artikel 64 geldt (de cliënt is medisch niet in staat om te reizen): het vertrek is "
        "opgeschort"
    ) == translate(reason, "nl")


def test_a_missing_field_and_a_wrong_choice_are_named_in_dutch(case: CaseDriver) -> None:
    """Pydantic's own errors keep the field and say the rule in Dutch, the choices too."""
    case.open()
    with pytest.raises(EngineError) as bad:
        case.fire("withdraw", reason="bored")
    (reason,) = bad.value.reasons
    assert reason.startswith("data.reason: Input should be 'client_left', ")
    assert translate(reason, "nl").startswith("data.reason: moet 'client_left', ")
    assert " of '" in translate(reason, "nl") and " or '" not in translate(reason, "nl")
    assert "ongeldige gegevens voor withdraw" == translate(bad.value.message, "nl")
