"""The workflow file: the shipped one loads; a bad one is refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import WorkflowInvalid
from engine.states import Workflow, default_workflow_path, parse_spec
from tests.contract import CARE_STATES, TIMER_KINDS

SHIPPED = default_workflow_path().read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _problems(text: str) -> list[str]:
    with pytest.raises(WorkflowInvalid) as refused:
        parse_spec(text, "edited.yaml")
    return refused.value.reasons


def test_shipped_workflow_has_every_box_of_bijlage_2_in_order() -> None:
    """The care states are the contract's ids, in Bijlage 2 order, steps 1-12 then 1-6."""
    spec = Workflow.load().spec
    assert CARE_STATES == [s.id for s in spec.care.states]
    assert list(range(1, 13)) + list(range(1, 7)) == [
        s.step for s in spec.care.states if s.step is not None
    ]


def test_shipped_workflow_keeps_every_contract_timer() -> None:
    """Every timer kind the contract names is defined in the shipped workflow."""
    kinds = {t.kind for t in Workflow.load().spec.timers}
    assert TIMER_KINDS <= kinds


def test_shipped_workflow_ships_inside_the_package() -> None:
    """The loader finds the workflow file (in the wheel it sits inside the package)."""
    assert default_workflow_path().is_file()


def test_unknown_guard_is_named_with_its_line() -> None:
    """A guard name the registry does not know is refused at load time, with its line."""
    text = SHIPPED.replace("guards: [leaving_outcome_fits,", "guards: [leaving_outcome_fitz,")
    line = _line_of(text, "leaving_outcome_fitz")
    problems = _problems(text)
    assert any(
        p.startswith(f"edited.yaml:{line}:") and "leaving_outcome_fitz" in p for p in problems
    ), problems


def test_bad_guard_parameters_are_refused() -> None:
    """A guard's parameters are checked against its parameter model."""
    text = SHIPPED.replace(
        "{case_kind: {kinds: [trafficking]}}, cosm_eligible",
        "{case_kind: {kind: trafficking}}, cosm_eligible",
    )
    line = _line_of(text, "{case_kind: {kind: trafficking}}")
    assert [
        f"edited.yaml:{line}: guard case_kind: kinds: Field required",
        f"edited.yaml:{line}: guard case_kind: kind: Extra inputs are not permitted",
    ] == _problems(text)


def test_unknown_destination_state_is_refused() -> None:
    """A transition to a state that does not exist is named with file and line."""
    text = SHIPPED.replace("dest: closed_stayed", "dest: closed_stayd", 1)
    line = _line_of(text, "dest: closed_stayd")
    assert [f"edited.yaml:{line}: unknown state 'closed_stayd'"] == [
        p for p in _problems(text) if "closed_stayd" in p
    ]


def test_set_facts_mapping_only_adds_to_a_list() -> None:
    """A fact set from a mapping takes only `{add: VALUE}` (the permits a case has held)."""
    text = SHIPPED.replace("permits_held: {add: $permit}", "permits_held: {append: $permit}", 1)
    line = _line_of(text, "permits_held: {append")
    assert [f"edited.yaml:{line}: a fact set from a mapping takes only {{add: VALUE}}"] == (
        _problems(text)
    )


def test_unreachable_state_is_refused() -> None:
    """A state no transition leads to is refused as unreachable."""
    text = SHIPPED.replace(
        "    - {trigger: choose_stay, source: provisional_decision, dest: stay_action_plan}\n", ""
    ).replace(
        "trigger: choose_return, source: [provisional_decision, stay_action_plan]",
        "trigger: choose_return, source: [provisional_decision]",
    )
    problems = _problems(text)
    assert any("unreachable state 'stay_action_plan'" in p for p in problems), problems


def test_duplicate_state_id_is_refused() -> None:
    """Two states with one id are refused, pointing at the second."""
    text = SHIPPED.replace("- id: future_talks", "- id: short_term_plan", 1)
    problems = _problems(text)
    assert any("duplicate state id 'short_term_plan'" in p for p in problems), problems


def test_duplicate_yaml_key_is_refused() -> None:
    """A key given twice in one mapping is refused instead of silently overwritten."""
    text = SHIPPED.replace("version: 1\n", "version: 1\nversion: 2\n", 1)
    assert [f"edited.yaml:{_line_of(text, 'version: 2')}: duplicate key 'version'"] == _problems(
        text
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("first_counselling: {days: 7}", "first_counselling: {fortnights: 1}", "fortnights"),
        ("first_counselling: {days: 7}", "first_counselling: {days: seven}", "days"),
        ("first_counselling: {days: 7}", "first_counselling: {days: 0}", "at least one"),
        ("first_counselling: {days: 7}", "first_counselling: {months: 1, days: -3}", "one way"),
        ("expected_duration: step_departure", "expected_duration: step_departed", "no policy"),
        ("expected_duration: step_departure", "expected_duration: {weeks: -2}", "positive"),
        (
            "expected_duration: step_departure",
            "expected_duration: end_stay_at_first_negative_decision",
            "no policy duration",
        ),
    ],
)
def test_bad_duration_is_refused(old: str, new: str, expected: str) -> None:
    """Durations must be calendar units, numbers, non-zero, one-way, and known policy names."""
    text = SHIPPED.replace(old, new, 1)
    line = _line_of(text, new)
    problems = _problems(text)
    assert any(p.startswith(f"edited.yaml:{line}:") and expected in p for p in problems), problems


def test_timer_anchored_on_a_missing_data_field_is_refused() -> None:
    """A timer anchored on a data field its start event does not carry is anchored on nothing."""
    text = SHIPPED.replace("anchor: {data: started_on}", "anchor: {data: begun_on}", 1)
    problems = _problems(text)
    assert any("timer anchored on nothing" in p and "begun_on" in p for p in problems), problems


def test_timer_anchored_on_an_unknown_fact_is_refused() -> None:
    """A timer anchored on a fact no transition sets is anchored on nothing."""
    text = SHIPPED.replace("anchor: {fact: intake_on}", "anchor: {fact: admitted_on}", 1)
    problems = _problems(text)
    assert any("timer anchored on nothing" in p and "admitted_on" in p for p in problems), problems


def test_timer_without_anchor_is_refused() -> None:
    """A timer must say what it counts from."""
    text = SHIPPED.replace("    anchor: {fact: intake_on}\n", "", 1)
    problems = _problems(text)
    assert any("anchor" in p and "Field required" in p for p in problems), problems


def test_unknown_field_is_refused_with_its_line() -> None:
    """A misspelt key is refused (extra fields are forbidden) at the line where it stands."""
    text = SHIPPED.replace("      step: 3\n", "      stap: 3\n", 1)
    line = _line_of(text, "stap: 3")
    problems = _problems(text)
    assert any(p.startswith(f"edited.yaml:{line}:") and "stap" in p for p in problems), problems


def test_invalid_yaml_names_the_line() -> None:
    """A YAML syntax error is reported with its line."""
    problems = _problems("id: x\nversion: [1\n")
    assert 1 == len(problems) and problems[0].startswith("edited.yaml:")


def test_read_spec_reports_a_missing_file(tmp_path: Path) -> None:
    """A workflow path that does not exist gives a clear error."""
    with pytest.raises(WorkflowInvalid, match="cannot read"):
        Workflow.load(tmp_path / "missing.yaml")
