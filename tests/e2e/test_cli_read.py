"""Issue 15 point 2 on the command line: a document read back with its labels (`case
document`), the documents in `case show`, and the timeline in words with local times (newcomer
findings 6, 10 and 17). The case is driven in-process on the same database; what is checked is
what the real `safe-future` process prints."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine import service
from engine.clock import FixedClock
from engine.documents import example
from tests.e2e.test_cli import Cli, base_env, error_of, reasons_text
from tests.e2e.test_cli_dutch import english_in
from tests.support import ACTOR, CaseDriver

# 23:30 UTC on 4 January is 00:30 on 5 January in Amsterdam: a UTC date is a day early.
LATE_EVENING = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)


@pytest.fixture
def reader(db_url: str, key_file: Path, tmp_path: Path) -> Cli:
    """The command on the database the in-process case driver writes to."""
    return Cli(db_url, tmp_path, base_env(SAFE_FUTURE_KEY_FILE=str(key_file)))


@pytest.fixture
def evening_case(case: CaseDriver, clock: FixedClock) -> CaseDriver:
    """A case opened and given its risk analysis (twice: medium, then high) and safety plan
    at 00:30 local time, 23:30 UTC the day before."""
    clock.set(LATE_EVENING)
    case.open()
    case.record("risk_analysis")
    case.record("risk_analysis", threat_level="high")
    case.record("safety_plan")
    return case


def test_case_document_prints_labels_words_and_who_and_when(
    reader: Cli, evening_case: CaseDriver
) -> None:
    """`case document` prints the latest version with a header (kind in words, version of
    how many, who, happened and recorded in local time) and each field's label with its
    answer in words; the measures of the safety plan are indented under their heading."""
    case_id = evening_case.id
    latest, first, plan = reader.many(
        ["case", "document", case_id, "risk_analysis"],
        ["case", "document", case_id, "risk_analysis", "--version", "1"],
        ["case", "document", case_id, "safety_plan"],
    )
    assert [0, 0, 0] == [latest.code, first.code, plan.code], (latest, first, plan)
    head = latest.out.splitlines()[:2]
    assert "Risk analysis (risk_analysis), version 2 of 2" == head[0]
    assert (
        f"  by {ACTOR}; happened 2026-01-05 00:30, recorded 2026-01-05 00:30 (Europe/Amsterdam)"
        == head[1]
    )
    assert "What is the concrete threat at this moment? high" in latest.out.splitlines()
    assert "What is the concrete threat at this moment? medium" in first.out.splitlines()
    assert "version 1 of 2" in first.out.splitlines()[0]
    assert "The day the risk analysis was made or last revised: 5 January 2026" in latest.out
    assert "Other relevant matters, briefly; no names or contact details: — not answered" in (
        latest.out
    )
    lines = plan.out.splitlines()
    heading = lines.index("The concrete safety measures (L2275-2276)")
    assert ["  1.", "    What the measure is about: phone and social media"] == lines[
        heading + 1 : heading + 3
    ]
    assert "    Who takes the measure (a role, not a name): the client and the counsellor" in lines
    assert "The client agrees to the measures (L2276-2277): yes" in lines


def test_case_document_json_is_the_services_answer(reader: Cli, evening_case: CaseDriver) -> None:
    """`--json` gives the service's document answer: kind, version, data, who, when and the
    latest version."""
    shown = reader.ok("case", "document", evening_case.id, "risk_analysis", "--version", "1")
    expected = service.document(
        evening_case.app, evening_case.id, "risk_analysis", actor=ACTOR, version=1
    )
    assert expected == shown
    assert (1, 2, "medium") == (shown["version"], shown["latest"], shown["data"]["threat_level"])


def test_case_document_refuses_an_unknown_kind_and_a_missing_version_naming_the_field(
    reader: Cli, evening_case: CaseDriver
) -> None:
    """An unknown kind, a version the document does not have, a version below 1 and a kind
    not yet recorded are each refused (exit 2) with a reason naming the field."""
    case_id = evening_case.id
    unknown, too_new, zero, not_yet = (
        error_of(r)
        for r in reader.many(
            ["case", "document", case_id, "risk_analysys", "--json"],
            ["case", "document", case_id, "risk_analysis", "--version", "3", "--json"],
            ["case", "document", case_id, "risk_analysis", "--version", "0", "--json"],
            ["case", "document", case_id, "counselling_info", "--json"],
        )
    )
    assert "unknown document kind 'risk_analysys'" == unknown["message"]
    assert reasons_text(unknown).startswith("kind: must be one of action_plan, ")
    assert ["version: risk_analysis has versions 1 to 2"] == too_new["reasons"]
    assert reasons_text(zero).startswith("version: from 1 to ")
    assert ["kind: no counselling_info recorded on this case yet"] == not_yet["reasons"]


def test_case_show_lists_the_documents_with_their_local_day(
    reader: Cli, evening_case: CaseDriver
) -> None:
    """The human `case show` lists each recorded document: kind in words and id, version, and
    the local day it happened (5 January, not the UTC 4 January)."""
    shown = reader.run("case", "show", evening_case.id)
    assert 0 == shown.code, shown
    lines = shown.out.splitlines()
    start = lines.index("  documents:")
    assert [
        "    Risk analysis (risk_analysis)  version 2  2026-01-05",
        "    Safety plan (safety_plan)      version 1  2026-01-05",
    ] == lines[start + 1 : start + 3]


def test_the_timeline_is_local_with_happened_and_recorded_and_says_what_in_words(
    reader: Cli, evening_case: CaseDriver, clock: FixedClock
) -> None:
    """The human timeline has both times in local time (Europe/Amsterdam, said in the
    header), a trigger by its label, the step it led to in words, and a recorded document by
    its kind in words and version."""
    clock.set(datetime(2026, 1, 6, 8, 0, tzinfo=UTC))
    evening_case.fire("complete")
    shown = reader.run("case", "timeline", evening_case.id)
    assert 0 == shown.code, shown
    head, *rows = shown.out.splitlines()
    assert head.split()[:5] == ["#", "happened", "recorded", "event", "by"]
    assert head.endswith("(times in Europe/Amsterdam)")
    assert rows[0].split()[:5] == ["1", "2026-01-05", "00:30", "2026-01-05", "00:30"]
    assert "Case opened (intake) → Basic needs and safety" in rows[0]
    assert "Document recorded: Risk analysis (risk_analysis), version 2" in rows[2]
    assert rows[4].split()[:5] == ["5", "2026-01-06", "09:00", "2026-01-06", "09:00"]
    assert "Complete the step (complete) → First counselling talks and information" in rows[4]
    assert rows[4].rstrip().endswith(ACTOR)
    assert "T23:" not in shown.out and "2026-01-04" not in shown.out


def test_the_timeline_says_which_contact_each_record_was(reader: Cli, case: CaseDriver) -> None:
    """After a return, each recorded contact names the deadline it answers, in words; the
    closed case's `case show` has no empty "what can happen next" heading."""
    case.open("domestic_violence")
    case.to_departure()
    case.record("consent", handover_to_partner=False, partner_organisation=None, share_documents=[])
    case.record("handover_checklist", with_partner=False)
    case.fire("depart", departed_on=str(case.today))
    case.record("contact", about="arrival_confirmation")
    case.record("contact", about="contact_1_month")
    assert "closed_returned" == case.fire("close")["state"]
    shown, closed = reader.many(["case", "timeline", case.id], ["case", "show", case.id])
    assert [0, 0] == [shown.code, closed.code], (shown, closed)
    assert "what can happen next" not in closed.out  # nothing can: no empty heading
    contacts = [line for line in shown.out.splitlines() if "(contact)" in line]
    assert [
        "Document recorded: Monitoring contact (contact): Safe-arrival confirmation, version 1",
        "Document recorded: Monitoring contact (contact): Contact one month after return, "
        "version 2",
    ] == [re.findall(r"Document recorded: .*?, version \d+", line)[0] for line in contacts]


def test_reading_in_dutch_shows_no_english(
    reader: Cli, case: CaseDriver, clock: FixedClock
) -> None:
    """`--lang nl`: the document (header, labels, answers, days), the case's documents and
    the timeline read Dutch, with no English text of the catalogs. A Dutch counsellor's
    documents hold her Dutch answers (the Dutch examples): what she typed is read back as
    she typed it, so English answers would show as English."""
    clock.set(LATE_EVENING)
    case.open()
    dutch = {k: example(k, case.today, lang="nl") for k in ("risk_analysis", "safety_plan")}
    case.record("risk_analysis", **dutch["risk_analysis"])
    case.record("risk_analysis", **{**dutch["risk_analysis"], "threat_level": "high"})
    case.record("safety_plan", **dutch["safety_plan"])
    nl = ["--lang", "nl"]
    case_id = case.id
    runs = reader.many(
        [*nl, "case", "document", case_id, "risk_analysis"],
        [*nl, "case", "document", case_id, "safety_plan"],
        [*nl, "case", "show", case_id],
        [*nl, "case", "timeline", case_id],
    )
    assert [0] * len(runs) == [r.code for r in runs], runs
    output = "\n".join(r.out for r in runs)
    assert [] == english_in(output), output
    document, plan, shown, timeline = (r.out for r in runs)
    assert document.startswith("Risicoanalyse (risk_analysis), versie 2 van 2\n  door ")
    assert "Wat is de concrete dreiging op dit moment? hoog" in document
    assert "5 januari 2026" in document
    assert "    Wie de maatregel neemt (een rol, geen naam): de cliënt en de hulpverlener" in plan
    assert "  documenten:" in shown and "Veiligheidsplan (safety_plan)" in shown
    assert "(tijden in Europe/Amsterdam)" in timeline.splitlines()[0]
    assert "Document vastgelegd: Risicoanalyse (risk_analysis), versie 2" in timeline
