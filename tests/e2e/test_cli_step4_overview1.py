"""Issue 14, points 3 and 4 through the installed command: a domestic-violence case is
refused leaving step 4 without her decisions (L2418-2420), her decision to report is a
deadline in `overdue` until `report_to_police`, and Overview 1 takes a factor marked not
applicable instead of a score (L2506-2519)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from engine.documents import example
from tests.e2e.test_cli import Cli, reasons_text, today, trigger


def test_step_4_decisions_and_overview1_marks_from_the_command_line_l2418_l2506(
    ready: Cli,
) -> None:
    """Step 4 refused naming both missing decisions, then the police-report deadline overdue
    and done; step 5 refused for a factor with neither score nor mark, then completed with
    the factor marked not_applicable."""
    cli, day = ready, today()
    case_id = cli.ok(
        "case", "open", "--client", "D-4", "--org", "shelter-north",
        "--kind", "domestic_violence", "--intake", day.isoformat(),
    )["id"]  # fmt: skip

    def record(kind: str, **changes: Any) -> dict[str, Any]:
        data = json.dumps({**example(kind, day), **changes})
        return cli.ok("case", "record", case_id, kind, "--data", data)

    for kind in ("client_profile", "risk_analysis", "safety_plan", "counselling_info",
                 "strengths_inventory"):  # fmt: skip
        record(kind)
        if kind not in ("client_profile", "risk_analysis"):
            cli.ok("case", "fire", case_id, "complete")
    view = record("action_plan", report_decision="undecided", permit_decision=None)
    refused = cli.refused("case", "fire", case_id, "complete")
    assert ["action_plan.report_decision", "action_plan.permit_decision"] == [
        line.rsplit("(", 1)[1].rstrip(")") for line in refused["reasons"]
    ]
    assert refused["reasons"] == trigger(view, "complete")["reasons"]
    record("action_plan", report_decision="report", permit_decision="no_apply")
    assert "future_talks" == cli.ok("case", "fire", case_id, "complete")["state"]

    later = (day + timedelta(weeks=2, days=1)).isoformat()
    overdue = cli.ok("overdue", "--at", later)
    assert "police_report" in {i["kind"] for i in overdue if i["case_id"] == case_id}
    fired = cli.ok("case", "fire", case_id, "report_to_police", "--data",
                   json.dumps({"reported_on": day.isoformat()}))  # fmt: skip
    assert ["done"] == [t["status"] for t in fired["timers"] if t["kind"] == "police_report"]

    record("overview2")
    unscored = {**example("overview1", day)["netherlands"], "children_parenting": None}
    record("overview1", netherlands=unscored)
    refused = cli.refused("case", "fire", case_id, "complete")
    assert "overview1.netherlands.children_parenting" in reasons_text(refused)
    mark = {"factor": "children_parenting", "mark": "not_applicable", "reason": "No children"}
    record("overview1", netherlands={**unscored, "unscored": [mark]})
    assert "supplement_plan" == cli.ok("case", "fire", case_id, "complete")["state"]
