"""The coordinator's lists on the command line (issue 15, point 6): `overdue` as CSV and with
what each step still misses, an unknown `--kind` refused, and `overview` with the deadlines
coming up, the cases without a counsellor and the open cases per shelter and step."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from engine.store import create_schema
from tests.e2e.test_cli import Cli, base_env, reasons_text
from tests.e2e.test_cli_dutch import english_in

AT = "2026-11-25"


@pytest.fixture
def region(db_url: str, tmp_path: Path, key_file: Path) -> tuple[Cli, dict[str, str]]:
    """Two shelters of one region and one of another; three cases opened at different
    intakes, one without a counsellor. Answers the command and the case ids by client."""
    engine = create_engine(db_url)
    create_schema(engine)
    engine.dispose()
    cli = Cli(
        db_url, tmp_path, base_env(SAFE_FUTURE_ACTOR="cli:ops", SAFE_FUTURE_KEY_FILE=str(key_file))
    )
    cli.ok("org", "add", "noord", "--kind", "region", "--name", "Regio Noord")
    cli.ok("org", "add", "zuid", "--kind", "region", "--name", "Regio Zuid")
    for org, name, region in (("shelter-a", "Opvang Anemoon", "noord"),
                              ("shelter-b", "Opvang Beuk", "zuid")):  # fmt: skip
        cli.ok("org", "add", org, "--kind", "shelter", "--name", name, "--region", region)
    cli.ok("user", "add", "anna", "--org", "shelter-a", "--role", "counsellor")
    ids = {}
    for client, org, intake, counsellor in (
        ("CL-A-1", "shelter-a", "2026-10-05", ["--counsellor", "anna"]),
        ("CL-A-2", "shelter-a", "2026-11-23", []),
        ("CL-B-1", "shelter-b", "2026-10-12", []),
    ):
        opened = cli.ok("case", "open", "--client", client, "--org", org, "--kind",
                        "trafficking", "--intake", intake, *counsellor)  # fmt: skip
        ids[client] = opened["id"]
    return cli, ids


def test_overdue_as_csv_in_either_language_without_client_references(
    region: tuple[Cli, dict[str, str]],
) -> None:
    """`--csv` and `--format csv` print the page's columns with a header in the `--lang`,
    one row per overdue item with the shelter's name and what is missing; `--region`
    keeps to one region. No client reference appears; each listed case's audit trail has
    the read."""
    cli, ids = region
    english = cli.run("overdue", "--at", AT, "--csv")
    assert 0 == english.code, english
    rows = list(csv.reader(io.StringIO(english.out)))
    assert ["Case", "Organisation", "Step or deadline", "Step", "Due", "Days overdue",
            "Counsellor", "Still missing"] == rows[0]  # fmt: skip
    assert {ids["CL-A-1"][:8], ids["CL-B-1"][:8]} == {r[0] for r in rows[1:]}
    assert {"Opvang Anemoon", "Opvang Beuk"} == {r[1] for r in rows[1:]}
    assert {"Risk analysis; Safety plan"} == {r[7] for r in rows[1:]}
    dutch = cli.run("--lang", "nl", "overdue", "--at", AT, "--format", "csv", "--region", "noord")
    rows_nl = list(csv.reader(io.StringIO(dutch.out)))
    assert "Nog nodig" == rows_nl[0][7]
    assert {"Opvang Anemoon"} == {r[1] for r in rows_nl[1:]}
    assert "CL-" not in english.out + dutch.out
    # a list taken out of the engine is a read of each case on it, in its audit trail
    trail = cli.ok("audit", "show", ids["CL-A-1"])
    assert 2 <= [r["action"] for r in trail].count("read:overdue")


def test_overdue_says_what_each_step_misses_and_refuses_an_unknown_kind(
    region: tuple[Cli, dict[str, str]],
) -> None:
    """The human list names the missing documents under each item (in Dutch with `--lang
    nl`); `--json` items carry `missing`; `--kind bogus` exits 2 naming the allowed kinds."""
    cli, ids = region
    human = cli.run("overdue", "--at", AT, "--org", "shelter-a")
    assert "still missing: Risk analysis, Safety plan" in human.out
    dutch = cli.run("--lang", "nl", "overdue", "--at", AT, "--org", "shelter-a")
    assert "nog nodig: Risicoanalyse, Veiligheidsplan" in dutch.out
    items = cli.ok("overdue", "--at", AT, "--org", "shelter-a")
    assert {ids["CL-A-1"]} == {i["case_id"] for i in items}
    assert all(["risk_analysis", "safety_plan"] == [m["kind"] for m in i["missing"]]
               for i in items)  # fmt: skip
    refused = cli.refused("overdue", "--kind", "bogus")
    assert reasons_text(refused).startswith("kind: bogus unknown; use ")
    assert "step_overdue" in reasons_text(refused)


def test_the_overview_lists_coming_deadlines_unassigned_cases_and_counts(
    region: tuple[Cli, dict[str, str]],
) -> None:
    """`overview --json` of one region: the fresh case's first talk and step end within two
    weeks, the cases without a counsellor, open cases per shelter and step; `--weeks 1`
    drops the later one; the Dutch human form shows no English."""
    cli, ids = region
    view = cli.ok("overview", "--at", AT, "--region", "noord")
    fresh = ids["CL-A-2"]
    assert [(fresh, "first_counselling_due", 5), (fresh, "step_due", 12)] == [
        (i["case_id"], i["kind"], i["days_left"]) for i in view["upcoming"]
    ]
    assert [fresh] == [c["case_id"] for c in view["without_counsellor"]]
    assert [("shelter-a", "basic_needs_safety", 2)] == [
        (c["organisation"], c["state"], c["open"]) for c in view["counts"]
    ]
    week = cli.ok("overview", "--at", AT, "--weeks", "1")
    assert ["first_counselling_due"] == [i["kind"] for i in week["upcoming"]]
    assert {ids["CL-A-2"], ids["CL-B-1"]} == {c["case_id"] for c in week["without_counsellor"]}
    dutch = cli.run("--lang", "nl", "overview", "--at", AT)
    assert 0 == dutch.code, dutch
    assert "Termijnen in de komende 2 weken:" in dutch.out
    assert "Opvang Beuk (shelter-b): 1" in dutch.out
    assert [] == english_in(dutch.out)
    assert "CL-" not in dutch.out
    assert "weeks: from 1 to 52" in reasons_text(cli.refused("overview", "--weeks", "60"))
