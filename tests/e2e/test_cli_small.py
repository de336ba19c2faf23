"""Smaller things the newcomer hit on the command line (issue 15, point 8; review finding 18):
`org list` on an empty table says so, `user list` with its filters, and an unknown language
is an error naming the languages there are."""

from __future__ import annotations

from datetime import date, timedelta

from engine.i18n import LANGS
from tests.e2e.test_cli import Cli, error_of, reasons_text


def test_org_list_on_an_empty_table_says_how_to_add_one(ready: Cli) -> None:
    """No organisations: `org list` says so and names the command that adds one (in the
    chosen language); `--json` is an empty list."""
    said = ready.run("org", "list")
    assert 0 == said.code
    assert said.out.startswith("no organisations registered; add one with `safe-future org add ")
    dutch = ready.run("--lang", "nl", "org", "list").out
    assert dutch.startswith("geen organisaties geregistreerd; voeg er een toe met `safe-future")
    assert [] == ready.ok("org", "list")


def _people(cli: Cli) -> None:
    cli.ok("org", "add", "noord", "--kind", "region", "--name", "Regio Noord")
    cli.ok("org", "add", "shelter-a", "--kind", "shelter", "--name", "Shelter A",
           "--region", "noord")  # fmt: skip
    cli.ok("org", "add", "shelter-b", "--kind", "shelter", "--name", "Shelter B",
           "--region", "noord")  # fmt: skip
    cli.ok("user", "add", "anna", "--org", "shelter-a", "--role", "counsellor")
    cli.ok("user", "add", "crm", "--org", "shelter-a", "--role", "counsellor", "--system")
    cli.ok("user", "add", "bert", "--org", "shelter-b", "--role", "counsellor")
    cli.ok("user", "add", "zc", "--org", "noord", "--role", "coordinator")
    cli.ok("user", "deactivate", "crm")


def test_user_list_filters_by_organisation_and_role(ready: Cli) -> None:
    """`user list` gives every registered user, or one organisation's, or one role's; the JSON
    has what GET /users gives (never a token) and the human lines say who is deactivated."""
    _people(ready)
    everyone = ready.ok("user", "list")
    assert ["anna", "bert", "crm", "zc"] == [u["id"] for u in everyone]
    assert {"id", "organisation", "role", "kind", "active", "created_at"} == set(everyone[0])
    assert ["anna", "crm"] == [u["id"] for u in ready.ok("user", "list", "--org", "shelter-a")]
    assert ["zc"] == [u["id"] for u in ready.ok("user", "list", "--role", "coordinator")]
    both = ready.ok("user", "list", "--org", "shelter-a", "--role", "coordinator")
    assert [] == both
    human = ready.run("user", "list", "--org", "shelter-a").out.splitlines()
    assert [["anna", "counsellor", "shelter-a", "person"],
            ["crm", "counsellor", "shelter-a", "system", "deactivated"]] == [
        line.split() for line in human]  # fmt: skip
    dutch = ready.run("--lang", "nl", "user", "list", "--org", "shelter-a").out.splitlines()
    assert ["persoon", "systeem gedeactiveerd"] == [" ".join(ln.split()[3:]) for ln in dutch]
    empty = ready.run("user", "list", "--org", "noord", "--role", "counsellor")
    assert "no users found; add one with `safe-future user add ID --org ORG --role ROLE`\n" == (
        empty.out
    )


def test_user_list_refuses_an_unknown_role_or_organisation(ready: Cli) -> None:
    """A role that does not exist and an organisation not registered are bad input naming the
    field and the rule (exit 2), not an empty list."""
    _people(ready)
    wrong = error_of(ready.run("user", "list", "--role", "boss", "--org", "nowhere", "--json"))
    assert "cannot list the users" == wrong["message"]
    assert wrong["reasons"][0].startswith("role: must be one of counsellor, coordinator,")
    assert "organisation: nowhere is not registered" == wrong["reasons"][1]
    assert "organisation: nowhere" in reasons_text(wrong)


def test_an_unknown_language_in_the_environment_is_an_error_naming_the_languages(
    ready: Cli,
) -> None:
    """SAFE_FUTURE_LANG=xx is refused as `--lang xx` is: exit 2, naming the languages of the
    catalogs, and nothing is printed in English as if it were fine."""
    cli = Cli(ready.db[1], ready.cwd, {**ready.env, "SAFE_FUTURE_LANG": "xx"})
    said = cli.run("org", "list")
    assert 2 == said.code and "" == said.out
    assert f"'xx' is not a language of the labels; use {'|'.join(LANGS)}" in said.err


def test_schema_lists_each_kind_with_its_whole_title(ready: Cli) -> None:
    """The human `schema` listing names each kind by the workflow's label, never a docstring
    cut mid-sentence (review finding 18), in English and in Dutch."""
    english, dutch = ready.many(["schema"], ["--lang", "nl", "schema"])
    kinds, kinds_nl = english.out.split("\n\n")[0], dutch.out.split("\n\n")[0]  # then triggers
    rows = dict(line.split(maxsplit=1) for line in kinds.splitlines())
    assert ("Consent", "Monitoring contact") == (rows["consent"], rows["contact"])
    assert "Toestemming" == dict(ln.split(maxsplit=1) for ln in kinds_nl.splitlines())["consent"]


def test_overdue_says_one_day_not_one_days(ready: Cli) -> None:
    """A deadline one day past due reads "1 day overdue", in the columns of the others."""
    opened = ready.ok("case", "open", "--client", "C-1", "--org", "shelter-a", "--kind",
                      "trafficking", "--intake", "2026-01-05", "--at", "2026-01-05")  # fmt: skip
    due = next(t["due_on"] for t in opened["timers"] if t["kind"] == "first_counselling_due")
    day_after = date.fromisoformat(due) + timedelta(days=1)
    three_after = day_after + timedelta(days=2)
    one, three = ready.many(
        ["overdue", "--at", str(day_after)], ["overdue", "--at", str(three_after)]
    )
    (line,) = [ln for ln in one.out.splitlines() if "first_counselling_due" in ln]
    (other,) = [ln for ln in three.out.splitlines() if "first_counselling_due" in ln]
    assert line.startswith("   1 day overdue   shelter-a") and other.startswith("   3 days overdue")
    assert line.index("shelter-a") == other.index("shelter-a")
