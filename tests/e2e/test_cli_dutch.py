"""Issue 14 point 7: `--lang nl` shows no English. The README's walk ("Walk a case with the
command line") in Dutch, checked against every English text the catalogs translate."""

from __future__ import annotations

import json
import re

from engine.i18n import catalog
from tests.e2e.test_cli import Cli, open_case


def english_texts() -> list[str]:
    """The English of each catalog text whose Dutch differs, at least two words long: for a
    text with placeholders, each fixed part of two words or more that the Dutch lacks."""
    found = []
    for msgid, dutch in catalog("nl").items():
        for part in re.split(r"\{\w+\}", msgid):
            part = part.strip(" ,;:()[]")
            if len(part.split()) >= 2 and part not in dutch:
                found.append(part)
    return found


def english_in(text: str) -> list[str]:
    return sorted({e for e in english_texts() if e in text})


def test_the_readme_walk_in_dutch_shows_no_english(ready: Cli) -> None:
    """The README's walk with `--lang nl`: the case view, a refused trigger and its reason,
    the timeline, the overdue list and the diagram read Dutch from the catalogs."""
    assert len(english_texts()) > 100  # the labels, headings and page texts are all there
    case_id = open_case(ready)["id"]
    examples = {
        kind: ready.run("schema", kind, "--example").out
        for kind in ("risk_analysis", "safety_plan")
    }
    nl = ["--lang", "nl"]
    shown = ready.run(*nl, "case", "show", case_id)
    refused = ready.run(*nl, "case", "fire", case_id, "choose_stay")
    started = json.dumps({"started_on": open_case_day(ready, case_id)})
    fired = ready.run(*nl, "case", "fire", case_id, "start_reflection_period", "--data", started)
    recorded = [ready.run(*nl, "case", "record", case_id, kind, "--data", data)
                for kind, data in examples.items()]  # fmt: skip
    completed = ready.run(*nl, "case", "fire", case_id, "complete")
    rest = ready.many(
        [*nl, "case", "timeline", case_id],
        [*nl, "overdue", "--at", "2099-03-01"],
        [*nl, "diagram", "--case", case_id],
    )
    runs = [shown, fired, *recorded, completed, *rest]
    assert [0] * len(runs) == [r.code for r in runs], runs
    assert 2 == refused.code
    # Everything, the guards' reasons of the offered triggers included.
    output = "\n".join([*(r.out for r in runs), refused.err])
    assert [] == english_in(output), output
    # and it is Dutch, not merely empty: headings, labels and the refused trigger's reason
    assert "wat kan er nu gebeuren:" in shown.out and "Eerste behoeften en veiligheid" in shown.out
    assert "eerste begeleidingsgesprekken" in completed.out.lower()
    assert "fout: choose_stay is nu niet mogelijk" in refused.err
    assert "choose_stay is niet mogelijk vanuit Eerste behoeften en veiligheid " in refused.err
    assert "(basic_needs_safety)" in refused.err
    assert "dagen te laat" in rest[1].out


def open_case_day(cli: Cli, case_id: str) -> str:
    return str(cli.ok("case", "show", case_id)["intake_on"])


def test_the_same_walk_in_english_still_reads_english(ready: Cli) -> None:
    """Without `--lang` (English) the refused trigger's message and reason are the English
    texts."""
    case_id = open_case(ready)["id"]
    refused = ready.run("case", "fire", case_id, "choose_stay")
    assert 2 == refused.code
    assert "error: choose_stay is not possible now" in refused.err
    assert "choose_stay is not possible from Basic needs and safety (basic_needs_safety)" in (
        refused.err
    )
