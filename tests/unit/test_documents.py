"""The document models: examples, schemas, gaps and validation."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

import engine.documents
from engine.documents import (
    DOCUMENT_MODELS,
    Document,
    as_read,
    document_model,
    example,
    validation_reasons,
)
from engine.documents._models import _KINDS
from engine.i18n import translate
from tests.contract import DOCUMENT_KINDS, EXTRA_DOCUMENT_KINDS

KINDS = sorted(DOCUMENT_MODELS)


def _error_text(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(exc.value)


def test_registry_holds_every_contract_kind() -> None:
    """The registry offers exactly the contract's kinds plus the engine's own."""
    expected = DOCUMENT_KINDS | EXTRA_DOCUMENT_KINDS
    assert expected == set(DOCUMENT_MODELS)


@pytest.mark.parametrize("kind", KINDS)
def test_model_kind_matches_registry_key(kind: str) -> None:
    """Each model knows the kind it is registered under (gaps name it)."""
    assert kind == document_model(kind).kind


@pytest.mark.parametrize("kind", KINDS)
def test_example_is_valid_and_complete(kind: str) -> None:
    """Every kind's example validates from JSON and has no gaps."""
    data = json.loads(json.dumps(example(kind)))
    expected: list[str] = []
    assert expected == document_model(kind).model_validate(data).gaps()


@pytest.mark.parametrize("kind", KINDS)
def test_the_dutch_example_is_valid_complete_and_dutch(kind: str) -> None:
    """In Dutch an example's free texts are Dutch (a Dutch counsellor who records it as the
    README's walk does reads them back), and it stays valid and complete; the closed lists'
    values, ids, an organisation's name and the condition kept in English for the doctor
    abroad are the same."""
    english, dutch = example(kind, date(2026, 12, 5)), example(kind, date(2026, 12, 5), "nl")
    assert [] == document_model(kind).model_validate(dutch).gaps()
    pairs = dict(_leaves(english, dutch))
    texts = {en: nl for en, nl in pairs.items() if " " in str(en) and en not in KEPT}
    assert all(en != nl for en, nl in texts.items()), texts
    assert all(en == nl for en, nl in pairs.items() if en not in texts), pairs


KEPT = {"Post-traumatic stress disorder", "Example Partner Foundation"}


def _leaves(english: Any, dutch: Any) -> list[tuple[Any, Any]]:
    if isinstance(english, dict):
        return [p for key in english for p in _leaves(english[key], dutch[key])]
    if isinstance(english, list):
        return [p for en, nl in zip(english, dutch, strict=True) for p in _leaves(en, nl)]
    return [(english, dutch)]


def test_the_dutch_safety_plan_example_reads_dutch() -> None:
    measures = example("safety_plan", lang="nl")["measures"]
    assert "Gaat de eerste weken alleen onder begeleiding naar buiten" == measures[1]["measure"]


@pytest.mark.parametrize("kind", KINDS)
def test_example_round_trips(kind: str) -> None:
    """The JSON-ready example validates back to the model's own example."""
    model = document_model(kind)
    assert model.example() == model.model_validate(example(kind))


def test_example_gives_dates_as_iso_strings() -> None:
    """`example` is ready for JSON: dates come out as ISO strings."""
    expected = "2024-03-05"
    assert expected == example("safety_plan")["agreed_on"]


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = list(schema.get("properties", {}).items())
    for definition in schema.get("$defs", {}).values():
        found += list(definition.get("properties", {}).items())
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_schema_describes_every_field(kind: str) -> None:
    """The JSON Schema builds and every field, nested ones too, has a description."""
    schema = document_model(kind).model_json_schema()
    expected: list[str] = []
    assert expected == [name for name, prop in _properties(schema) if not prop.get("description")]


@pytest.mark.parametrize("kind", KINDS)
def test_model_docstring_cites_the_book(kind: str) -> None:
    """Each document model's docstring points into the book with line refs."""
    assert re.search(r"L\d{3,4}", document_model(kind).__doc__ or "") is not None


def test_unknown_kind_names_the_known_kinds() -> None:
    """An unknown kind raises KeyError listing the kinds that exist."""
    with pytest.raises(
        KeyError, match=r"unknown document kind 'diary'; known kinds: .*safety_plan"
    ):
        document_model("diary")


def test_unknown_field_is_refused_by_name() -> None:
    """A field the model does not know (e.g. a client's name) is refused, naming it."""
    with pytest.raises(ValidationError) as exc:
        document_model("safety_plan").model_validate({"client_name": "X"})
    assert "client_name" in _error_text(exc)
    assert "Extra inputs are not permitted" in _error_text(exc)


def test_unknown_nested_field_is_refused_by_path() -> None:
    """Nested parts refuse unknown fields too, and the error gives the path."""
    data = example("return_plan")
    data["organisations"]["contact_phone"] = "0612345678"
    with pytest.raises(ValidationError) as exc:
        document_model("return_plan").model_validate(data)
    assert "organisations.contact_phone" in _error_text(exc)


def test_free_text_is_bounded() -> None:
    """Free text longer than 500 characters is refused (least data)."""
    data = {**example("contact"), "note": "x" * 501}
    with pytest.raises(ValidationError) as exc:
        document_model("contact").model_validate(data)
    assert "at most 500 characters" in _error_text(exc)


def test_safety_plan_not_agreed_is_a_gap() -> None:
    """A safety plan the client has not agreed to cannot leave step 1."""
    data = {**example("safety_plan"), "client_agreed": False, "agreed_on": None}
    plan = document_model("safety_plan").model_validate(data)
    expected = ["safety_plan.client_agreed: the client has not agreed to the safety plan yet"]
    assert expected == plan.gaps()


def test_empty_safety_plan_lists_every_gap() -> None:
    """An empty safety plan is valid as a draft and lists both gaps."""
    expected = [
        "safety_plan.measures: no safety measures are listed yet",
        "safety_plan.client_agreed: the client has not agreed to the safety plan yet",
    ]
    assert expected == document_model("safety_plan").model_validate({}).gaps()


def test_safety_plan_agreement_needs_a_date() -> None:
    """client_agreed without agreed_on is refused with a clear message."""
    data = {**example("safety_plan"), "agreed_on": None}
    with pytest.raises(ValidationError) as exc:
        document_model("safety_plan").model_validate(data)
    assert "agreed_on is required when client_agreed is true" in _error_text(exc)


def test_overview1_missing_score_is_a_gap() -> None:
    """An unscored factor of Overview 1 is a gap naming the side and the factor."""
    data = example("overview1")
    data["country_of_origin"]["housing"] = None
    gaps = document_model("overview1").model_validate(data).gaps()
    expected = [
        "overview1.country_of_origin.housing: the client's view of this factor (4. Housing) "
        "has no score yet; score it with her, or mark it not_applicable or no_answer with the "
        "reason (unscored)"
    ]
    assert expected == gaps


def test_overview1_stored_before_marks_and_totals_reads_with_its_totals() -> None:
    """An Overview 1 recorded before `unscored` and the totals existed still validates, and
    reads with the totals of its scores (L4207)."""
    old = example("overview1")
    del old["totals"], old["netherlands"]["unscored"], old["country_of_origin"]["unscored"]
    assert [] == document_model("overview1").model_validate(old).gaps()
    expected = {
        "netherlands": {"minus": 5, "plus": 8},
        "country_of_origin": {"minus": 8, "plus": 5},
    }
    assert {**old, "totals": expected} == as_read("overview1", old)


def test_overview1_refuses_an_unknown_score() -> None:
    """Scores are one of --, -, +, ++."""
    data = example("overview1")
    data["netherlands"]["housing"] = "0"
    with pytest.raises(ValidationError) as exc:
        document_model("overview1").model_validate(data)
    assert "netherlands.housing" in _error_text(exc)


def test_client_profile_children_need_youngest_birth_date() -> None:
    """minor_children > 0 without youngest_child_born_on is refused."""
    data = {**example("client_profile"), "youngest_child_born_on": None}
    with pytest.raises(ValidationError) as exc:
        document_model("client_profile").model_validate(data)
    assert "youngest_child_born_on is required when minor_children > 0" in _error_text(exc)


def test_client_profile_refuses_negative_children() -> None:
    """minor_children cannot be negative."""
    data = {**example("client_profile"), "minor_children": -1}
    with pytest.raises(ValidationError) as exc:
        document_model("client_profile").model_validate(data)
    assert "minor_children" in _error_text(exc)


def test_client_profile_country_is_an_iso_code() -> None:
    """country_of_origin is an ISO 3166-1 alpha-2 code, not a country name."""
    data = {**example("client_profile"), "country_of_origin": "Nigeria"}
    with pytest.raises(ValidationError):
        document_model("client_profile").model_validate(data)


def test_evaluation_without_rechecks_has_gaps() -> None:
    """An evaluation that did not re-check the risk analysis and safety plan is incomplete."""
    data = {**example("evaluation"), "risk_analysis_rechecked": False}
    data["safety_plan_rechecked"] = False
    expected = [
        "evaluation.risk_analysis_rechecked: the risk analysis has not been re-checked yet",
        "evaluation.safety_plan_rechecked: the safety plan has not been re-checked yet",
    ]
    assert expected == document_model("evaluation").model_validate(data).gaps()


def test_unanswered_risk_question_is_a_gap_quoting_it() -> None:
    """An unanswered risk question is a gap that quotes the question."""
    data = {**example("risk_analysis"), "threatened_with_reprisal": None}
    expected = [
        "risk_analysis.threatened_with_reprisal: not answered yet "
        "(Is the client threatened with reprisals?)"
    ]
    assert expected == document_model("risk_analysis").model_validate(data).gaps()


def test_return_plan_lists_missing_sections() -> None:
    """A return plan with only a date lists each of the 13 sections as missing."""
    plan = document_model("return_plan").model_validate({"drawn_up_on": "2024-08-12"})
    gaps = plan.gaps()
    expected = "return_plan.safety: section 5, safety, has not been filled in yet"
    assert (13, expected) == (len(gaps), gaps[4])


def test_return_plan_defaults_to_english() -> None:
    """The return plan is in English unless another language is given."""
    plan = document_model("return_plan").model_validate({"drawn_up_on": "2024-08-12"})
    expected = "en"
    assert expected == plan.model_dump()["language"]


def test_risk_section_sufficient_needs_every_question_answered() -> None:
    """Section 5 can only stand in for the risk update when all its questions are answered."""
    data = example("return_plan")
    data["safety"]["fears_stigma"] = None
    with pytest.raises(ValidationError) as exc:
        document_model("return_plan").model_validate(data)
    assert "risk_section_sufficient_for_update needs every safety question" in _error_text(exc)


def test_monitoring_moments_need_the_clients_agreement() -> None:
    """Monitoring moments cannot be set when the client does not agree to monitoring."""
    data = example("return_plan")
    data["monitoring"]["client_agrees_to_monitoring"] = False
    with pytest.raises(ValidationError) as exc:
        document_model("return_plan").model_validate(data)
    assert "client_agrees_to_monitoring" in _error_text(exc)


def test_handover_without_partner_skips_partner_items() -> None:
    """Without a partner organisation the partner items of step 12 are not gaps."""
    data = {
        "with_partner": False,
        "client_has_copies": True,
        "client_has_emergency_contact": True,
        "arrival_notice_agreed": True,
        "follow_up_contact": "declined",
    }
    expected: list[str] = []
    assert expected == document_model("handover_checklist").model_validate(data).gaps()


def test_handover_with_partner_needs_contact_role() -> None:
    """With a partner, an unknown contact person (role) at the partner is a gap."""
    data = {**example("handover_checklist"), "partner_contact_role": None}
    gaps = document_model("handover_checklist").model_validate(data).gaps()
    expected = ["handover_checklist.partner_contact_role"]
    assert expected == [gap.split(":")[0] for gap in gaps]


def test_consent_to_handover_names_the_partner() -> None:
    """Consent to a hand-over must name the partner organisation."""
    data = {**example("consent"), "partner_organisation": None}
    with pytest.raises(ValidationError) as exc:
        document_model("consent").model_validate(data)
    assert "partner_organisation is given exactly when handover_to_partner" in _error_text(exc)


def test_withdrawn_consent_needs_a_date_after_giving() -> None:
    """A withdrawal is dated, and not before the consent was given."""
    data = {**example("consent"), "withdrawn": True, "withdrawn_on": "2024-01-01"}
    with pytest.raises(ValidationError) as exc:
        document_model("consent").model_validate(data)
    assert "withdrawn_on lies before given_on" in _error_text(exc)


def test_action_plan_without_goals_is_a_gap() -> None:
    """An action plan needs at least one goal with what, who and when."""
    plan = document_model("action_plan").model_validate({"made_on": date(2024, 3, 27)})
    expected = ["action_plan.goals: no goals with what, who and when are set yet"]
    assert expected == plan.gaps()


def test_action_plan_report_decision_is_a_choice() -> None:
    """report_decision is report, no_report, undecided or empty."""
    data = {**example("action_plan"), "report_decision": "maybe"}
    with pytest.raises(ValidationError) as exc:
        document_model("action_plan").model_validate(data)
    assert "report_decision" in _error_text(exc)


def test_strengths_inventory_lists_undiscussed_domains() -> None:
    """Each of the 10 life domains not yet discussed is a gap."""
    inventory = document_model("strengths_inventory").model_validate({"held_on": "2024-03-20"})
    expected = 10
    assert expected == len(inventory.gaps())


def test_contact_uses_the_default_gaps() -> None:
    """A contact record is complete once valid: the base gaps() is empty."""
    assert Document.gaps is document_model("contact").gaps


@pytest.mark.parametrize(
    ("kind", "changes", "english", "dutch"),
    [
        (
            "reint_agreement",
            {"needs_discussed": ["safety"]},
            "needs_discussed: whether she has an illness that needs hospital treatment has not "
            "been looked at yet (L3538-3559)",
            "needs_discussed: nog niet bekeken: of zij een ziekte heeft waarvoor behandeling in "
            "een ziekenhuis nodig is (L3538-3559)",
        ),
        (
            "legal_questions",
            {"questions": []},
            "questions: a right to a reflection period, and how long it lasts is not gone over yet",
            "questions: nog niet doorgenomen: een eventueel recht op bedenktijd, en de duur ervan",
        ),
        (
            "resources_plan",
            {"actions": [], "nothing_needed": ["inner", "relational", "institutional"]},
            "actions: nothing is planned yet for her socio-economic resources (or list them in "
            "nothing_needed)",
            "actions: voor haar sociaaleconomische hulpbronnen is nog niets gepland (of zet ze "
            "bij nothing_needed)",
        ),
    ],
)
def test_a_gap_names_the_need_question_or_resource_in_words_not_its_id_l3538_l3600_l3814(
    kind: str, changes: dict[str, Any], english: str, dutch: str
) -> None:
    """Re-integration steps 1, 2 and 5 (L3538-3559, L3600-3651, L3814-3822): the gap says
    which first need, legal question or kind of resource is missing in the book's words, in
    English and in Dutch, and the field it names stays the field's name."""
    data = {**example(kind, date(2024, 10, 1)), **changes}
    gaps = document_model(kind).model_validate(data).gaps()
    assert f"{kind}.{english}" in gaps
    assert f"{kind}.{dutch}" in [translate(g, "nl") for g in gaps]
    assert not any(re.search(r"\b[a-z]+_[a-z_]+ (has|is)\b", g.split(": ", 1)[1]) for g in gaps)


def test_a_report_without_its_account_is_named_in_words_l3841_l3856() -> None:
    """The 6-month report must say how the re-integration goes and how the funds were used
    (L3841-3856); the refusal names the report in words, in English and in Dutch."""
    data = {**example("contact", date(2024, 10, 1)), "about": "report_6_months"}
    with pytest.raises(ValidationError) as raised:
        document_model("contact").model_validate(data)
    (reason,) = validation_reasons("contact", raised.value)
    assert reason.startswith("contact: a report after six months says how the re-integration")
    assert translate(reason, "nl").startswith(
        "contact: een rapportage na zes maanden vertelt hoe de re-integratie verloopt"
    )


def test_each_kind_is_registered_with_its_own_model() -> None:
    """The registry imports a kind's module when the kind is first asked for: each name
    leads to the model of that kind, every kind any module of the package defines is there,
    and an unknown kind is refused with the known ones named."""
    assert {kind: kind for kind in _KINDS} == {k: m.kind for k, m in DOCUMENT_MODELS.items()}
    for module in pkgutil.iter_modules(engine.documents.__path__):
        importlib.import_module(f"engine.documents.{module.name}")
    defined, todo = set(), list(Document.__subclasses__())
    while todo:
        model = todo.pop()
        defined |= {model.kind} if "kind" in vars(model) else set()
        todo += model.__subclasses__()
    assert set(_KINDS) == defined
    assert ("overview1" in DOCUMENT_MODELS, "overview3" in DOCUMENT_MODELS) == (True, False)
    with pytest.raises(KeyError, match="unknown document kind 'overview3'; known kinds: client"):
        document_model("overview3")
