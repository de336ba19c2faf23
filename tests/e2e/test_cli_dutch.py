"""Issue 14 point 7: `--lang nl` shows no English. The README's walk ("Walk a case with the
command line") in Dutch, checked against every English text the catalogs translate."""

from __future__ import annotations

import json
import re
from pathlib import Path

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


def test_the_account_and_key_commands_in_dutch_show_no_english(ready: Cli) -> None:
    """`--lang nl` on the account and ops commands (`init-db`, `org`, `user`, `token`,
    `keys`): what they did and what they refused, with its reasons, read Dutch from the
    catalogs."""
    nl = ["--lang", "nl"]
    setup = [
        ready.run(*nl, "init-db"),
        ready.run(*nl, "org", "add", "noord", "--kind", "region", "--name", "Regio Noord"),
        ready.run(*nl, "org", "add", "opvang-a", "--kind", "shelter", "--name", "Opvang A",
                  "--region", "noord"),
        ready.run(*nl, "user", "add", "anna", "--org", "opvang-a", "--role", "counsellor"),
        ready.run(*nl, "user", "add", "koppeling", "--org", "opvang-a", "--role",
                  "counsellor", "--system"),
    ]  # fmt: skip
    issued = ready.ok("token", "issue", "koppeling")
    done = [
        *setup,
        *ready.many(
            [*nl, "org", "link", "opvang-a"],
            [*nl, "token", "list", "koppeling"],
            [*nl, "keys", "status"],
        ),
        ready.run(*nl, "token", "issue", "koppeling", "--label", "rooster"),
        ready.run(*nl, "token", "revoke", str(issued["id"])),
        ready.run(*nl, "user", "deactivate", "anna"),
    ]
    assert [0] * len(done) == [r.code for r in done], done
    refused = ready.many(
        [*nl, "org", "add", "Bad Id", "--kind", "nowhere", "--name", " "],
        [*nl, "user", "add", "bob", "--org", "nergens", "--role", "counsellor"],
        [*nl, "token", "issue", "anna"],
        [*nl, "token", "revoke", "999999"],
        [*nl, "keys", "remove", "k1"],
        [*nl, "--actor", "niemand", "org", "add", "x", "--kind", "region", "--name", "X"],
        [*nl, "overdue", "--at", "gisteren"],
    )
    assert [2] * len(refused) == [r.code for r in refused], refused
    output = "\n".join([*(r.out for r in done), *(r.err for r in refused)])
    assert [] == english_in(output), output
    assert "organisatie noord (region) toegevoegd" in done[1].out
    assert "persoon anna (counsellor bij opvang-a) toegevoegd" in done[3].out
    assert "rijen onder oudere sleutels: 0" in done[7].out
    assert f"token {issued['id']} ingetrokken" in done[9].out
    assert "anna gedeactiveerd" in done[10].out
    assert "fout: de organisatie kan niet worden toegevoegd" in refused[0].err
    assert "kind: moet een van deze zijn: shelter, partner, region" in refused[0].err
    assert "organisation: nergens is niet geregistreerd" in refused[1].err
    assert "user: anna is een persoon; haar token bereikt alleen haarzelf" in refused[2].err
    assert "token: geen geldig token 999999" in refused[3].err
    assert "fout: de sleutel is nog in gebruik" in refused[4].err
    assert "fout: onbekende actor" in refused[5].err
    assert "at: 'gisteren' is geen ISO-datum of -tijdstip" in refused[6].err


def test_workflow_check_in_dutch_tells_the_author_what_is_wrong(ready: Cli, tmp_path: Path) -> None:
    """`workflow check --lang nl`: the loader's findings on a broken copy of the workflow
    file, the policy of a good one and the document titles of `schema` read Dutch."""
    workflow = Path(__file__).resolve().parents[2] / "workflows" / "safe_future.yaml"
    shipped = workflow.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(shipped.replace("initial: basic_needs_safety", "initial: nowhere", 1),
                      encoding="utf-8")  # fmt: skip
    nl = ["--lang", "nl"]
    bad, good, kinds = ready.many(
        [*nl, "workflow", "check", str(broken)],
        [*nl, "workflow", "check", str(workflow)],
        [*nl, "schema"],
    )
    assert (2, 0, 0) == (bad.code, good.code, kinds.code), (bad, good, kinds)
    assert "fout: het workflowbestand heeft fouten" in bad.err
    assert f"{broken}:42: onbekende stap 'nowhere'" in bad.err
    assert "maanden" in good.out and "dagen" in good.out
    output = "\n".join([bad.err, good.out, kinds.out])
    assert [] == english_in(output), output
    english = ready.run("workflow", "check", str(broken))
    assert f"{broken}:42: unknown state 'nowhere'" in english.err
