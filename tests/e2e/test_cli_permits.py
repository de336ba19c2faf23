"""The permit rules and the negative decision through the real `safe-future` command: a
refusal exits 2 naming the field and the rule, and changes nothing (L659-664, L2358-2362)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.documents import example
from tests.e2e.test_cli import WORKFLOW, Cli, reasons_text, today

SWITCH = "end_stay_at_first_negative_decision"


def _open_dv(cli: Cli) -> str:
    opened = cli.ok(
        "case", "open", "--client", "D-4", "--org", "shelter-north",
        "--kind", "domestic_violence", "--intake", today().isoformat(),
    )  # fmt: skip
    return str(opened["id"])


def _fire(cli: Cli, case_id: str, trigger: str, **data: Any) -> dict[str, Any]:
    return dict(cli.ok("case", "fire", case_id, trigger, "--data", json.dumps(data)))


def _record(cli: Cli, case_id: str, kind: str, **changes: Any) -> dict[str, Any]:
    data = json.dumps({**example(kind, today()), **changes})
    return dict(cli.ok("case", "record", case_id, kind, "--data", data))


def test_independent_permit_from_the_command_line_l659_664(ready: Cli) -> None:
    """Without a dependent permit the independent one is refused (exit 2, residence
    unchanged); with it, a five-year permit is granted and a longer one refused."""
    case_id = _open_dv(ready)
    day = today().isoformat()
    apply = json.dumps({"permit": "independent_domestic_violence", "applied_on": day,
                        "grounds": "report"})  # fmt: skip
    error = ready.refused("case", "fire", case_id, "apply_permit", "--data", apply)
    assert "record_dependent_permit" in reasons_text(error)
    assert "no_procedure" == ready.ok("case", "show", case_id)["residence_state"]
    assert (
        "permit"
        == _fire(ready, case_id, "record_dependent_permit", dependent_on="partner")[
            "residence_state"
        ]
    )
    ready.ok("case", "fire", case_id, "apply_permit", "--data", apply)
    too_long = json.dumps({"decision": "positive", "decided_on": day,
                           "permit": "independent_domestic_violence",
                           "valid_until": f"{today().year + 6}-01-01"})  # fmt: skip
    error = ready.refused("case", "fire", case_id, "record_ind_decision", "--data", too_long)
    assert reasons_text(error).startswith("valid_until ")
    assert "at most 5 year(s) (L663-664)" in reasons_text(error)
    assert "application_pending" == ready.ok("case", "show", case_id)["residence_state"]


def test_end_of_stay_switch_in_an_edited_workflow_file_l2358_2362(
    ready: Cli, tmp_path: Path
) -> None:
    """The shipped file keeps the switch off (`workflow check` says so) and the stay does not
    end; an organisation's copy with the switch on ends it once her safety allows."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert f"{SWITCH}: false" in text
    edited = tmp_path / "our_policy.yaml"
    edited.write_text(text.replace(f"{SWITCH}: false", f"{SWITCH}: true"), encoding="utf-8")
    shipped, ours = ready.many(
        ["workflow", "check", str(WORKFLOW), "--json"],
        ["workflow", "check", str(edited), "--json"],
    )
    assert ("off", "on") == (shipped.json["policy"][SWITCH], ours.json["policy"][SWITCH])

    case_id = _open_dv(ready)
    day = today().isoformat()
    for kind in ("client_profile", "risk_analysis", "safety_plan"):
        _record(ready, case_id, kind)
    ready.ok("case", "fire", case_id, "complete")
    _fire(ready, case_id, "apply_permit", permit="one_year_undocumented", applied_on=day,
          grounds="violence_shown")  # fmt: skip
    view = _fire(ready, case_id, "record_ind_decision", decision="negative", decided_on=day)
    assert ("interim_evaluation", "rejected") == (view["state"], view["residence_state"])
    for kind in ("evaluation", "overview1", "overview2"):
        _record(ready, case_id, kind)
    _record(ready, case_id, "risk_analysis", threat_level="none", threatened_with_reprisal="no")
    leave = json.dumps({"outcome": "end_of_stay_after_negative_decision"})
    error = ready.refused("case", "fire", case_id, "leave_shelter", "--data", leave)
    assert f"policy {SWITCH} is off" in reasons_text(error)
    switched = Cli(None, ready.cwd, ready.env)
    switched.db = [*ready.db, "--workflow", str(edited)]
    view = switched.ok("case", "fire", case_id, "leave_shelter", "--data", leave)
    assert ("closed_stayed", "end_of_stay_after_negative_decision") == (
        view["state"],
        view["facts"]["leave_outcome"],
    )
