"""Issue 15: "A Dutch counsellor can do the README's walk with `--lang nl` and see no English."
Every command the README's walk ("Walk a case with the command line", and `user list` and the
`next:` hints of docs/everyday.md) has her type, with `--lang nl`: its human output holds no
catalog text left in English, and no English word written outside the catalogs either.

`--json` output is data for programs and keeps its English (docs/i18n.md); of the JSON
Schemas `schema KIND` and `schema --trigger` print, the texts (titles and descriptions) are
checked, not the keywords and ids; the examples `schema KIND --example` makes, recorded and
read back, are Dutch too."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.e2e.test_cli import Cli, Result, open_case
from tests.e2e.test_cli_dutch import english_in

# Words of English that are no Dutch word and no id a user types (ids are left out first).
ENGLISH_WORDS = frozenset({
    "the", "and", "not", "with", "what", "which", "yet", "been", "has", "have", "due", "overdue",
    "days", "day", "step", "steps", "still", "needed", "missing", "next", "none", "recorded",
    "version", "deadlines", "deadline", "happened", "by", "from", "for", "to", "at", "on", "it",
    "yes", "no", "done", "pending", "cancelled", "found", "added", "when", "where", "case",
    "cases", "client", "documents", "since", "until", "without", "weeks", "waiting", "earlier",
    "round", "here", "this", "that", "must"
})  # fmt: skip


def english_words(text: str) -> list[str]:
    """The English words of `text`, leaving out ids (`first_counselling`, `shelter-north`,
    `cli:e2e`, a case id, a date): a word with `_`, `-`, `:`, `.`, `/` or a digit."""
    words = re.findall(r"[\w\-:./]+", text)
    plain = [w for w in words if not re.search(r"[_\-:./\d]", w)]
    return sorted({w for w in plain if w.lower() in ENGLISH_WORDS})


def no_english(*results: Result) -> str:
    """The output of `results` (stdout, and stderr of a refusal), after checking it is
    Dutch: no catalog text in English, no English word."""
    text = "\n".join(r.out + r.err for r in results)
    assert ([], []) == (english_in(text), english_words(text)), text
    return text


def schema_texts(schema: Any) -> str:
    """The titles and descriptions of a JSON Schema, one a line."""
    if isinstance(schema, list):
        return "".join(schema_texts(item) for item in schema)
    if not isinstance(schema, dict):
        return ""
    own = [v for k, v in schema.items() if k in ("title", "description") and isinstance(v, str)]
    nested = [schema_texts(v) for k, v in schema.items() if k not in ("title", "description")]
    return "".join(f"{text}\n" for text in own) + "".join(nested)


def test_the_detector_finds_english_written_outside_the_catalogs() -> None:
    """The word check catches what the catalog check cannot see, and leaves ids alone."""
    assert ["due", "the"] == english_words("the first_counselling_due (due 2026-11-27)")
    assert [] == english_words("casus af37defe (trafficking, shelter-north, cliënt A-17, cli:e2e)")


def test_the_whole_readme_walk_in_dutch_shows_no_english(ready: Cli) -> None:
    """The README's walk, command by command, with `--lang nl`: the case view with its
    refusals, deadlines and `next:` hints, recording, firing with documents, reading a
    document back, the timeline, the short id, the case list, overdue (also as CSV), the
    overview, the diagram (Mermaid and dot) and the user list."""
    nl = ["--lang", "nl"]
    case_id = open_case(ready)["id"]
    intake = str(ready.ok("case", "show", case_id)["intake_on"])
    examples = {  # as the README has her make them, in Dutch too
        kind: json.loads(ready.run(*nl, "schema", kind, "--example").out)
        for kind in ("risk_analysis", "safety_plan", "action_plan")
    }
    setup = ready.many(
        [*nl, "org", "add", "noord", "--kind", "region", "--name", "Regio Noord"],
        [*nl, "case", "show", case_id],
        [*nl, "case", "fire", case_id, "complete"],
        [*nl, "schema"],
        [*nl, "case", "show", "nonexist"],  # a short id mistyped
        [*nl, "schema", "risk_analysis"],
        [*nl, "schema", "--trigger", "withdraw"],
        [*nl, "schema", "--trigger", "depart"],
    )
    added = ready.run(*nl, "org", "add", "shelter-north", "--kind", "shelter", "--name",
                      "Opvang Noord", "--region", "noord")  # fmt: skip
    user = ready.run(*nl, "user", "add", "anna", "--org", "shelter-north", "--role", "counsellor")
    shown, refused, kinds, mistyped, *schemas = setup[1:]
    started = json.dumps({"started_on": intake})
    walk = [
        ready.run(*nl, "case", "fire", case_id, "start_reflection_period", "--data", started),
        ready.run(*nl, "case", "record", case_id, "risk_analysis", "--data",
                  json.dumps(examples["risk_analysis"])),
        ready.run(*nl, "case", "fire", case_id, "complete", "--documents",
                  json.dumps({"safety_plan": examples["safety_plan"]})),
        ready.run(*nl, "case", "record", case_id, "action_plan", "--data",
                  json.dumps({**examples["action_plan"], "report_decision": "report"})),
    ]  # fmt: skip
    reading = ready.many(
        [*nl, "case", "document", case_id, "safety_plan"],
        [*nl, "case", "timeline", case_id],
        [*nl, "case", "show", case_id[:8]],
        [*nl, "case", "list", "--open"],
        [*nl, "case", "list", "--client", "A-17"],
        [*nl, "overdue", "--at", "2099-03-01"],
        [*nl, "overdue", "--at", "2099-03-01", "--csv"],
        [*nl, "overview", "--weeks", "2"],
        [*nl, "diagram", "--case", case_id],
        [*nl, "diagram", "--case", case_id, "--format", "dot"],
        [*nl, "user", "list", "--org", "shelter-north"],
    )
    runs = [setup[0], shown, kinds, added, user, *walk, *reading]
    assert [0] * len(runs + schemas) == [r.code for r in runs + schemas], runs + schemas
    assert (2, 2) == (refused.code, mistyped.code), (refused, mistyped)
    text = no_english(*runs, refused, mistyped)
    said = [Result(r.args, r.code, schema_texts(r.json), "") for r in schemas]
    risk, withdraw, depart = (r.out for r in said)
    no_english(*said)
    # and it is Dutch, not merely empty: what a counsellor reads at each point of the walk
    document, timeline, short, listed, _, overdue, csv, overview, mermaid, dot, users = reading
    assert "Risicoanalyse (risk_analysis) is nog niet vastgelegd" in refused.err
    assert "case: er is geen zaak met id nonexist" in mistyped.err
    assert "Eerste begeleidingsgesprek (first_counselling_due)" in shown.out
    assert "te doen: Volgens het actieplan doet zij aangifte bij de politie" in walk[3].out
    assert "Veiligheidsplan (safety_plan), versie 1 van 1" in document.out
    assert "Gaat de eerste weken alleen onder begeleiding naar buiten" in document.out
    assert "Stap afronden (complete)" in timeline.out
    assert short.out.startswith(f"casus {case_id}")
    assert "VOLGENDE TERMIJN" in listed.out
    assert "dagen te laat" in overdue.out and "(first_counselling_due)" in overdue.out
    assert csv.out.startswith("Casus,Organisatie,")
    assert "Open casussen per opvang en stap" in overview.out
    assert 'subgraph care ["Begeleiding"]' in mermaid.out
    assert "withdraw: vanuit elke open stap -> closed_withdrawn" in mermaid.out
    assert 'label="Verblijf";' in dot.out
    assert "persoon anna (counsellor bij shelter-north) toegevoegd" in user.out
    assert re.search(r"^anna +counsellor +shelter-north +persoon$", users.out, re.M)
    assert "first_counselling_due" in text  # the ids stay, beside their Dutch
    assert risk.startswith("Risicoanalyse\n") and "Wat is de concrete dreiging" in risk
    assert "withdraw: Traject beëindigen" in withdraw
    assert "de dag waarop de cliënt vertrok; als het niet is opgegeven: de dag van " in depart


def test_the_same_walk_in_english_names_the_deadlines_in_english(ready: Cli) -> None:
    """Without `--lang`, the deadlines, the diagram's tracks and a trigger's schema read
    English, the schema with its titles."""
    case_id = open_case(ready)["id"]
    shown, overdue, mermaid = ready.many(
        ["case", "show", case_id],
        ["overdue", "--at", "2099-03-01"],
        ["diagram", "--case", case_id],
    )
    assert "First counselling talk (first_counselling_due)" in shown.out
    assert "First counselling talk (first_counselling_due)" in overdue.out
    assert 'subgraph care ["Care"]' in mermaid.out
    assert "withdraw: any open step -> closed_withdrawn" in mermaid.out
    schema = ready.run("schema", "--trigger", "depart").json
    assert "Departed On" == schema["properties"]["departed_on"]["title"]
    assert "The data of the trigger depart (care pathway)." == schema["description"]
