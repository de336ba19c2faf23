"""`safe-future socialmap search|show` as a counsellor types them, and an administrator's
changes from the command line (the contract's "The social map")."""

from __future__ import annotations

import json
from pathlib import Path

from engine.documents import example
from tests.e2e.test_cli import ACTOR, Cli, error_of, open_case, today


def test_nigeria_by_english_dutch_name_and_code_finds_cosudow(ready: Cli) -> None:
    """The issue's example: --country Nigeria/Nigerië/NG with shelter and psychological."""
    found = [
        [i["id"] for i in ready.ok("socialmap", "search", "--country", country,
                                   "--service", "shelter", "--service", "psychological")]
        for country in ("Nigeria", "Nigerië", "NG")
    ]  # fmt: skip
    assert "ng-cosudow" in found[0]
    assert found[0] == found[1] == found[2]
    human = ready.run("socialmap", "search", "--country", "Nigerië", "--service", "shelter")
    assert 0 == human.code
    assert "ng-cosudow" in human.out
    assert "NG Nigeria" in human.out


def test_show_reads_an_entry_in_dutch_with_its_book_source(ready: Cli) -> None:
    """`socialmap show` names the services in the chosen language and the book line."""
    shown = ready.run("--lang", "nl", "socialmap", "show", "ng-cosudow")
    assert 0 == shown.code, shown
    assert "Opvang" in shown.out
    assert "Psychologische hulp" in shown.out
    assert "Bijlage 14, regel" in shown.out and "van het handboek" in shown.out


def test_unknown_values_exit_2_naming_what_is_allowed(ready: Cli) -> None:
    """An unknown country or service exits 2 with the allowed values."""
    country = ready.refused("socialmap", "search", "--country", "Narnia")
    assert "NG Nigeria" in country["reasons"][-1]
    service = ready.refused("socialmap", "search", "--service", "food")
    assert "family_reunification" in service["reasons"][0]
    assert "not_found" == ready.refused("socialmap", "show", "xx-nowhere")["error"]


def test_an_administrators_change_is_recorded_with_her_name(ready: Cli) -> None:
    """`socialmap add` then `correct` then `retire`: the entry changes, the audit names the
    command line's actor."""
    new = '{"id": "ng-new-hope", "name": "New Hope", "kind": "partner", "country": "NG"}'
    added = ready.ok("socialmap", "add", "--data", new)
    assert "admin" == added["origin"]
    corrected = ready.ok("socialmap", "correct", "ng-new-hope", "--data", '{"services": ["legal"]}')
    assert ["legal"] == corrected["services"]
    assert ACTOR == corrected["changed"]["by"]
    assert ready.ok("socialmap", "retire", "ng-new-hope")["retired"]
    assert [] == ready.ok("socialmap", "search", "--text", "new hope")
    error = error_of(ready.run("socialmap", "add", "--data", '{"id": "x"}', "--json"))
    assert "invalid_input" == error["error"]


def test_a_shelter_checks_its_additions_file_and_then_searches_it(
    ready: Cli, tmp_path: Path
) -> None:
    """`socialmap check FILE` accepts a good file and refuses a book id; with
    SAFE_FUTURE_SOCIALMAP_FILE set, its entries are searched beside the book's."""
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        "organisations:\n"
        "  - {id: ng-new-hope, name: New Hope Lagos, kind: partner, country: NG,\n"
        "     services: [shelter, financial], sources: [{file: our list 2026}]}\n",
        encoding="utf-8",
    )
    assert {"file": str(ours), "organisations": 1, "ids": ["ng-new-hope"]} == ready.ok(
        "socialmap", "check", str(ours)
    )
    with_file = Cli(ready.db[1], ready.cwd, {**ready.env, "SAFE_FUTURE_SOCIALMAP_FILE": str(ours)})
    found = with_file.ok("socialmap", "search", "--country", "Nigerië", "--service", "financial")
    assert ["ng-new-hope"] == [i["id"] for i in found]
    assert "shelter" == found[0]["origin"]
    ours.write_text(ours.read_text().replace("ng-new-hope", "ng-cosudow"), encoding="utf-8")
    refused = ready.refused("socialmap", "check", str(ours))
    assert "organisation ng-cosudow: id: is the book's entry" in refused["reasons"][0]


def test_case_show_at_step_2_lists_organisations_in_her_country(ready: Cli) -> None:
    """A counsellor's `case show` at step 2 names COSUDOW for a client from Nigeria."""
    case_id = open_case(ready)["id"]
    for kind in ("client_profile", "risk_analysis", "safety_plan"):
        data = json.dumps(example(kind, today()))
        ready.ok("case", "record", case_id, kind, "--data", data)
    assert "first_counselling" == ready.ok("case", "fire", case_id, "complete")["state"]
    shown = ready.run("case", "show", case_id)
    assert 0 == shown.code, shown
    assert "organisations in NG (social map;" in shown.out
    assert "ng-cosudow" in shown.out
