"""Learning what to send and sending a step in one go, through the real `safe-future`
command: `schema --trigger`, the listing that names the triggers, and `case fire --documents`
(on SQLite, or PostgreSQL when SAFE_FUTURE_TEST_DB is set)."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.test_cli import Cli, error_of, today


def _open(cli: Cli, client: str = "S-1") -> str:
    opened = cli.ok("case", "open", "--client", client, "--org", "shelter-north", "--kind",
                    "trafficking", "--intake", str(today()))  # fmt: skip
    return str(opened["id"])


def _examples(cli: Cli, *kinds: str) -> dict[str, Any]:
    results = cli.many(*(["schema", kind, "--example"] for kind in kinds))
    return {kind: r.json for kind, r in zip(kinds, results, strict=True)}


def test_schema_of_a_trigger_and_its_example_fired(ready: Cli) -> None:
    """`schema --trigger withdraw` gives its JSON Schema (the reason from a closed list);
    its `--example` is data the trigger takes as it is."""
    schema = ready.run("schema", "--trigger", "withdraw")
    assert 0 == schema.code, schema
    assert ["reason"] == schema.json["required"]
    assert "client_left" in schema.json["properties"]["reason"]["enum"]
    example = ready.run("schema", "--trigger", "withdraw", "--example")
    assert 0 == example.code, example
    case_id = _open(ready)
    view = ready.ok("case", "fire", case_id, "withdraw", "--data", example.out)
    assert "closed_withdrawn" == view["state"]


def test_an_unknown_trigger_names_the_allowed_ones(ready: Cli) -> None:
    """`schema --trigger report_police`: exit 2, naming report_to_police among the allowed."""
    error = error_of(ready.run("schema", "--trigger", "report_police", "--json"))
    assert "unknown trigger 'report_police'" == error["message"]
    assert "report_to_police" in error["reasons"][0]


def test_schema_alone_lists_kinds_and_triggers_whole(ready: Cli) -> None:
    """`schema` lists the document kinds only, as the contract has it (with --json their
    whole first sentence, never cut), and says on standard error where the triggers are;
    `schema --triggers` lists them and how to ask for the data of one; Dutch with --lang nl."""
    listing = ready.run("schema")
    assert 0 == listing.code, listing
    assert "safe-future schema --triggers" in listing.err
    assert not any(line.startswith("report_to_police ") for line in listing.out.splitlines())
    titles = {k["kind"]: k["title"] for k in ready.run("schema", "--json").json}
    assert titles["consent"].endswith("(PAT section 12, L4418-4424).")
    assert titles["health_checklist"].endswith("(PAT section 7).")  # a quote's '.' is inside
    triggers = ready.run("schema", "--triggers")
    assert "safe-future schema --trigger TRIGGER" in triggers.out
    assert any(line.startswith("report_to_police ") for line in triggers.out.splitlines())
    assert "report_to_police" in {
        t["trigger"] for t in ready.run("schema", "--triggers", "--json").json
    }
    dutch = ready.run("--lang", "nl", "schema", "--triggers")
    assert "Aangifte gedaan" in dutch.out, dutch.out
    assert "hun gegevens: safe-future schema --trigger" in dutch.out


def test_fire_with_documents_in_one_go_or_not_at_all(ready: Cli) -> None:
    """`case fire CASE complete --documents` with step 1's documents moves to step 2 and
    records them; without the safety plan it is refused and records none of them."""
    documents = _examples(ready, "client_profile", "risk_analysis", "safety_plan")
    refused_case = _open(ready)
    before = ready.ok("case", "show", refused_case)
    partial = {k: v for k, v in documents.items() if k != "safety_plan"}
    error = error_of(ready.run("case", "fire", refused_case, "complete", "--documents",
                               json.dumps(partial), "--json"))  # fmt: skip
    assert "trigger_refused" == error["error"]
    after = ready.ok("case", "show", refused_case)
    assert (before["documents"], before["state"]) == (after["documents"], after["state"])
    bad = error_of(ready.run("case", "fire", refused_case, "complete", "--documents", "[1]",
                             "--json"))  # fmt: skip
    assert ["documents: must be a JSON object"] == bad["reasons"]
    case_id = _open(ready, "S-2")
    view = ready.ok("case", "fire", case_id, "complete", "--documents", json.dumps(documents))
    assert "first_counselling" == view["state"]
    assert {"client_profile", "risk_analysis", "safety_plan"} <= {
        d["kind"] for d in view["documents"]
    }
