"""`safe-future case list` and the short id on the command line (issue 15, point 1; review
finding 8): the real console script against the test database."""

from __future__ import annotations

from pathlib import Path

from engine import service
from engine.bootstrap import bootstrap
from engine.settings import Settings
from tests.e2e.test_cli import ACTOR, Cli, error_of, open_case
from tests.e2e.test_cli_dutch import english_in

TWINS = ["abcd1234-0000-4000-8000-000000000001", "abcd1234-0000-4000-8000-000000000002"]


def test_case_list_shows_a_table_json_and_finds_a_client(ready: Cli) -> None:
    """A readable table with the short ids; --json a list; --client finds the one case."""
    first = open_case(ready, client="A-17")["id"]
    second = open_case(ready, client="A-18")["id"]
    table = ready.run("case", "list")
    assert 0 == table.code, table
    head, *rows = table.out.splitlines()
    assert head.split()[:4] == ["CASE", "CLIENT", "ORGANISATION", "COUNSELLOR"]
    assert {first[:8], second[:8]} == {r.split()[0] for r in rows}
    listed = ready.ok("case", "list")
    assert {first, second} == {i["id"] for i in listed}
    assert {"id", "short_id", "organisation", "state", "residence_state", "counsellor",
            "opened_on", "closed", "client_ref"} <= set(listed[0])  # fmt: skip
    assert [first] == [i["id"] for i in ready.ok("case", "list", "--client", "A-17")]
    assert [] == ready.ok("case", "list", "--closed")
    assert 2 == len(ready.ok("case", "list", "--open", "--state", "basic_needs_safety"))
    assert "no cases" == ready.run("case", "list", "--client", "A-99").out.strip()


def test_case_list_in_dutch_shows_no_english(ready: Cli) -> None:
    """--lang nl: Dutch headings and labels, and "geen zaken" when nothing matches."""
    open_case(ready, client="A-17")
    shown = ready.run("--lang", "nl", "case", "list")
    assert 0 == shown.code, shown
    assert shown.out.startswith("CASUS")
    assert [] == english_in(shown.out)
    assert "geen zaken" == ready.run("--lang", "nl", "case", "list", "--org", "x").out.strip()


def test_case_list_refuses_bad_filters_naming_the_rule(ready: Cli) -> None:
    """An unknown state names the allowed ones; --open with --closed; a limit out of range."""
    state = error_of(ready.run("case", "list", "--state", "nowhere", "--json"))
    assert state["reasons"][0].startswith("state: 'nowhere' is neither a step nor a residence")
    assert "basic_needs_safety" in state["reasons"][0]
    both = ready.refused("case", "list", "--open", "--closed")
    assert ["open, closed: give one of --open and --closed, not both"] == both["reasons"]
    assert ["limit: from 1 to 500"] == ready.refused("case", "list", "--limit", "0")["reasons"]


def test_the_short_id_works_on_case_and_audit_commands(ready: Cli) -> None:
    """show, fire, record, timeline, audit show and audit verify --case take the short id;
    the audit rows are kept under the full id."""
    case_id = open_case(ready)["id"]
    short = case_id[:8]
    assert case_id == ready.ok("case", "show", short)["id"]
    example = ready.run("schema", "risk_analysis", "--example").out
    assert case_id == ready.ok("case", "record", short, "risk_analysis", "--data", example)["id"]
    day = ready.ok("case", "show", short)["intake_on"]
    data = f'{{"started_on": "{day}"}}'
    fired = ready.ok("case", "fire", short, "start_reflection_period", "--data", data)
    assert "reflection_period" == fired["residence_state"]
    assert "start_reflection_period" == ready.ok("case", "timeline", short)[-1]["trigger"]
    trail = ready.ok("audit", "show", short)
    assert {"open", "read", "record:risk_analysis"} <= {r["action"] for r in trail}
    assert trail == ready.ok("audit", "show", case_id)[: len(trail)]
    assert 0 == ready.run("audit", "verify", "--case", short).code
    assert ACTOR == trail[0]["actor"]


def test_an_ambiguous_short_id_exits_2_naming_the_cases(
    ready: Cli, db_url: str, tmp_path: Path
) -> None:
    """Two cases share their short id: the command names both and changes nothing."""
    app = bootstrap(Settings(db=db_url, key_file=tmp_path / "cli.keys"), configure_logs=False)
    app.new_id = iter(TWINS).__next__
    for client in ("A-1", "A-2"):
        service.open_case(
            app, client_ref=client, organisation="shelter-north", kind="trafficking",
            intake_on=app.clock.now().date(), actor=ACTOR,
        )  # fmt: skip
    app.db.dispose()
    error = ready.refused("case", "fire", "abcd1234", "start_reflection_period")
    assert "ambiguous_case" == error["error"]
    assert [f"case: abcd1234 starts the ids of {TWINS[0]}, {TWINS[1]}; give more of the id"] == (
        error["reasons"]
    )
    assert "no_procedure" == ready.ok("case", "show", TWINS[0])["residence_state"]
    words = ready.run("case", "show", "abcd1234")
    assert 2 == words.code
    assert "error: the short id abcd1234 names more than one case" in words.err
