"""Issue 14 point 7: a gap of an incomplete document quotes the question it lacks, and with
`--lang nl` that question is Dutch too (the book's own wording where it has one), so a
refused `complete` or `depart` reads Dutch from start to end."""

from __future__ import annotations

import json
from typing import Any

from engine.documents import example
from tests.e2e.test_cli import Cli, Result, open_case, today
from tests.e2e.test_cli_dutch import english_in

NL = ("--lang", "nl")


def test_the_gaps_of_incomplete_documents_quote_their_questions_in_dutch_l2288_l4441(
    ready: Cli,
) -> None:
    """Risk analysis (L2288-2299), evaluation and Overview 1 (Bijlage 3, L4168-4200), the
    return plan (PAT, Bijlage 5, L4304-4346) and the health checklist (Bijlage 6,
    L4441-4504), each recorded incomplete through the command line: the refused trigger
    names the field and quotes its question in Dutch, with no English of the catalogs."""
    cli, day = ready, today()
    case_id = open_case(cli)["id"]
    shown: list[Result] = []

    def record(kind: str, **changes: Any) -> None:
        data = json.dumps({**example(kind, day), **changes})
        shown.append(cli.run(*NL, "case", "record", case_id, kind, "--data", data))
        assert 0 == shown[-1].code, shown[-1]

    def fire(trigger: str, **data: Any) -> None:
        assert 0 == cli.run("case", "fire", case_id, trigger, "--data", json.dumps(data)).code

    def refused(trigger: str, **data: Any) -> str:
        result = cli.run(*NL, "case", "fire", case_id, trigger, "--data", json.dumps(data))
        assert 2 == result.code, result
        assert [] == english_in(result.err), result.err
        return result.err

    # Step 1: a question of the risk analysis is unanswered (L2288-2299).
    record("client_profile")
    record("risk_analysis", concrete_indications=None)
    record("safety_plan")
    assert (
        "risk_analysis.concrete_indications: nog niet beantwoord (Zijn er op dit moment "
        "concrete aanwijzingen van een dreiging?)"
    ) in refused("complete")
    record("risk_analysis")
    fire("complete")

    # Step 7: the evaluation lacks the re-scoring, Overview 1 a factor and the starting point.
    fire("evaluate", reason="change")
    record("evaluation", overview1_rescored=False)
    netherlands = {**example("overview1", day)["netherlands"], "housing": None}
    record("overview1", netherlands=netherlands, residence_status=None)
    reasons = refused("complete")
    assert "evaluation.overview1_rescored: Overzicht 1 is nog niet opnieuw gescoord" in reasons
    assert "(De uitgangspositie: de verblijfsstatus van de cliënt)" in reasons
    assert "overview1.netherlands.housing: hoe de cliënt deze factor (4. Wonen) ziet" in reasons
    for kind in ("counselling_info", "strengths_inventory", "action_plan", "evaluation",
                 "overview1", "overview2"):  # fmt: skip
        record(kind)
    fire("complete")

    # Step 10: PAT section 4, children who return with her, is not filled in (L4304-4318).
    fire("choose_return")
    plan = example("return_plan", day)
    children = {**plan["children"], "children_return": True, "language_sufficient": "yes"}
    record("return_plan", children=children)
    assert (
        "return_plan.children.school: nog niet beantwoord (Kunnen de kinderen daar naar "
        "school; is er contact met een school?)"
    ) in refused("complete")
    physical = {"complaints": True, "care_available": "yes", "care_affordable": "yes",
                "care_accessible": "yes"}  # fmt: skip
    record("return_plan", health={**plan["health"], "physical": physical})
    fire("complete")
    fire("complete")

    # Step 12: her complaints need the health checklist, which lacks answers (L4478-4504).
    record("handover_checklist")
    record("health_checklist", network=None, capacity_doubt=None, medical_passport=False)
    reasons = refused("depart", departed_on=day.isoformat())
    assert "health_checklist.capacity_doubt: nog niet beantwoord (Is er twijfel of zij " in (
        reasons
    )
    assert "wilsbekwaam is? (L4488))" in reasons
    assert (
        "health_checklist.network: nog niet beantwoord (Is er een netwerk om haar op te vangen, "
        "te ondersteunen en voor haar te zorgen? (L4478))"
    ) in reasons

    # The case as `case record` shows it after each document reads Dutch as well.
    assert [] == english_in("\n".join(r.out for r in shown))
