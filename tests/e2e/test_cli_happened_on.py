"""A trigger's date that says when the trigger itself happened defaults to the day of
`--at` (contract: "Data that only repeats --at"): the counsellor types the day once."""

from __future__ import annotations

from tests.e2e.test_cli import Cli


def _open(cli: Cli) -> str:
    """A trafficking case with its intake on 5 January 2026."""
    opened = cli.ok("case", "open", "--client", "A-17", "--org", "shelter-north", "--kind",
                    "trafficking", "--intake", "2026-01-05")  # fmt: skip
    return str(opened["id"])


def test_report_to_police_takes_its_day_from_at(ready: Cli) -> None:
    """`case fire CASE report_to_police --at 2026-02-01` records reported_on 2026-02-01."""
    case_id = _open(ready)
    view = ready.ok("case", "fire", case_id, "report_to_police", "--at", "2026-02-01")
    assert ("reported", "2026-02-01") == (view["residence_state"], view["facts"]["reported_on"])


def test_a_day_given_in_the_data_wins_over_at(ready: Cli) -> None:
    """An explicit reported_on is kept; only a missing one repeats --at."""
    case_id = _open(ready)
    view = ready.ok("case", "fire", case_id, "report_to_police", "--at", "2026-02-03",
                    "--data", '{"reported_on": "2026-02-02"}')  # fmt: skip
    assert "2026-02-02" == view["facts"]["reported_on"]
