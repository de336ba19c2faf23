"""End-to-end tests of the `safe-future` command: the real console script in a subprocess,
against the test database (SQLite, or PostgreSQL when SAFE_FUTURE_TEST_DB is set)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time as time_module
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from engine.crypto import create_key_file
from engine.store import create_schema
from tests.contract import (
    CARE_STATES,
    DOCUMENT_KINDS,
    EXTRA_DOCUMENT_KINDS,
    REINTEGRATION_KINDS,
)
from tests.support import free_port

COMMAND = Path(sys.executable).parent / "safe-future"
WORKFLOW = Path(__file__).resolve().parents[2] / "workflows" / "safe_future.yaml"
LOCAL = ZoneInfo("Europe/Amsterdam")
ACTOR = "cli:e2e"

KINDS = DOCUMENT_KINDS | EXTRA_DOCUMENT_KINDS


def today() -> date:
    return datetime.now(LOCAL).date()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL)


@dataclass
class Result:
    args: Sequence[str]
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def base_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any SAFE_FUTURE_ setting, plus an actor."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFE_FUTURE_")}
    env["SAFE_FUTURE_ACTOR"] = ACTOR
    env.update(extra)
    return env


def start(args: Sequence[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(COMMAND), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(args: Sequence[str], proc: subprocess.Popen[str]) -> Result:
    out, err = proc.communicate(timeout=60)
    return Result(args, proc.returncode, out, err)


class Cli:
    """Runs `safe-future --db URL ...` as a subprocess; `many` runs independent calls at once."""

    def __init__(self, db_url: str | None, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.db = ["--db", db_url] if db_url else []
        self.cwd = cwd
        self.env = env or base_env()

    def run(self, *args: str) -> Result:
        return self.many(list(args))[0]

    def many(self, *calls: list[str]) -> list[Result]:
        procs = [(call, start([*self.db, *call], self.env, self.cwd)) for call in calls]
        return [finish(call, proc) for call, proc in procs]

    def ok(self, *args: str) -> Any:
        """Run a `--json` command that must succeed; its parsed output."""
        result = self.run(*args, "--json")
        assert 0 == result.code, result
        return result.json

    def refused(self, *args: str) -> dict[str, Any]:
        """Run a `--json` command that must exit 2; its parsed error."""
        return error_of(self.run(*args, "--json"))


def error_of(result: Result) -> dict[str, Any]:
    assert 2 == result.code, result
    error = result.json
    assert {"error", "message", "reasons"} <= set(error), error
    return error


def reasons_text(error: dict[str, Any]) -> str:
    return "\n".join(error["reasons"])


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    """The command against the test database, with no tables yet."""
    return Cli(db_url, tmp_path, base_env(SAFE_FUTURE_KEY_FILE=str(tmp_path / "cli.keys")))


@pytest.fixture
def ready(cli: Cli, db_url: str) -> Iterator[Cli]:
    """The command against the test database with its tables and key file created (as
    `init-db` does)."""
    create_key_file(Path(cli.env["SAFE_FUTURE_KEY_FILE"]), "k1")
    engine = create_engine(db_url)
    create_schema(engine)
    engine.dispose()
    yield cli


@pytest.fixture(scope="module", autouse=True)
def _example_calls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    """Start `safe-future schema KIND --example` for every kind as soon as the module's first
    test starts, so the calls run beside the tests that do not need them (they are slow)."""
    cwd = tmp_path_factory.mktemp("schema")
    calls = [(kind, start(["schema", kind, "--example"], base_env(), cwd)) for kind in KINDS]
    yield calls
    for _, proc in calls:
        if proc.stdout is not None and not proc.stdout.closed:
            proc.communicate()


@pytest.fixture(scope="module")
def examples(_example_calls: list[Any]) -> dict[str, dict[str, Any]]:
    """The output of `safe-future schema KIND --example` for every kind."""
    results = {kind: finish(["schema", kind], proc) for kind, proc in _example_calls}
    assert {kind: 0 for kind in KINDS} == {kind: r.code for kind, r in results.items()}
    return {kind: r.json for kind, r in results.items()}


def open_args(org: str = "shelter-north", client: str = "A-17") -> list[str]:
    """`case open` of a trafficking case with intake today."""
    return [
        "case", "open", "--client", client, "--org", org, "--kind", "trafficking",
        "--intake", today().isoformat(),
    ]  # fmt: skip


def open_case(cli: Cli, *, org: str = "shelter-north", client: str = "A-17") -> dict[str, Any]:
    return cli.ok(*open_args(org, client))


def trigger(view: dict[str, Any], name: str) -> dict[str, Any]:
    found = [t for t in view["triggers"] if t["name"] == name]
    assert 1 == len(found), view["triggers"]
    return found[0]


def timers(view: dict[str, Any]) -> dict[str, str]:
    return {t["kind"]: t["status"] for t in view["timers"]}


# -- database -------------------------------------------------------------------------------


def test_init_db_is_idempotent_and_case_commands_need_it(cli: Cli, db_url: str) -> None:
    """A case command before `init-db` exits 2 naming init-db; init-db (via SAFE_FUTURE_DB)
    can run twice and creates the tables."""
    before = cli.refused(*open_args())
    assert "invalid_input" == before["error"]
    assert "init-db" in reasons_text(before)

    elsewhere = cli.cwd / "elsewhere"  # so the default ./safe_future.db is not the test database
    elsewhere.mkdir()
    key_file = cli.env["SAFE_FUTURE_KEY_FILE"]
    from_env = Cli(None, elsewhere, base_env(SAFE_FUTURE_DB=db_url, SAFE_FUTURE_KEY_FILE=key_file))
    first, second = from_env.run("init-db", "--json"), from_env.run("init-db", "--json")
    assert (0, 0) == (first.code, second.code), (first, second)
    assert (db_url, True) == (second.json["database"], second.json["ready"])
    assert (key_file, None) == (first.json["key_file_created"], second.json["key_file_created"])
    assert [] == list(elsewhere.iterdir())
    engine = create_engine(db_url)
    assert True is inspect(engine).has_table("cases")
    engine.dispose()


def test_default_database_is_safe_future_db_in_the_working_directory(tmp_path: Path) -> None:
    """Without --db and SAFE_FUTURE_DB the command uses ./safe_future.db (SQLite)."""
    result = Cli(None, tmp_path).run("init-db", "--json")
    assert (0, "sqlite:///safe_future.db") == (result.code, result.json["database"]), result
    assert (tmp_path / "safe_future.db").is_file()
    keys = tmp_path / "safe_future.db.keys"  # the key file beside it, owner-only, and said so
    assert (str(keys), 0o600) == (result.json["key_file_created"], keys.stat().st_mode & 0o777)


# -- schema, workflow, diagram --------------------------------------------------------------


def test_schema_lists_every_kind_and_prints_a_json_schema(tmp_path: Path) -> None:
    """`schema` lists every document kind; `schema risk_analysis` prints its JSON Schema."""
    listing, as_json, risk = Cli(None, tmp_path).many(
        ["schema"], ["schema", "--json"], ["schema", "risk_analysis"]
    )
    assert (0, 0, 0) == (listing.code, as_json.code, risk.code)
    listed = {line.split()[0] for line in listing.out.splitlines() if line.strip()}
    assert DOCUMENT_KINDS <= listed
    assert KINDS == listed
    assert sorted(KINDS) == [k["kind"] for k in as_json.json]
    schema = risk.json
    assert "object" == schema["type"]
    assert "threat_level" in schema["properties"]


def test_workflow_check_accepts_the_shipped_file_and_names_file_line_of_problems(
    tmp_path: Path,
) -> None:
    """`workflow check` passes the shipped file; an unknown guard (--json) or unknown dest
    state (on stderr) exits 2 with a reason of the form `file:line: ...`."""
    text = WORKFLOW.read_text(encoding="utf-8")
    guard_line = "dest: future_talks, guards: [documents_complete, report_decision_made]}"
    dest_line = "source: supplement_plan, dest: interim_evaluation,"
    assert guard_line in text and dest_line in text
    bad_guard, bad_dest = tmp_path / "bad_guard.yaml", tmp_path / "bad_dest.yaml"
    bad_guard.write_text(
        text.replace(guard_line, guard_line.replace("report_decision_made", "no_such_guard"))
    )
    bad_dest.write_text(text.replace(dest_line, dest_line.replace("interim_evaluation", "limbo")))

    def line_of(needle: str) -> int:
        return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)

    good, guard, dest = Cli(None, tmp_path).many(
        ["workflow", "check", str(WORKFLOW), "--json"],
        ["workflow", "check", str(bad_guard), "--json"],
        ["workflow", "check", str(bad_dest)],
    )
    assert (0, True) == (good.code, good.json["ok"])
    guard_error = error_of(guard)
    assert "workflow_invalid" == guard_error["error"]
    assert any(
        r.startswith(f"{bad_guard}:{line_of(guard_line)}:") and "no_such_guard" in r
        for r in guard_error["reasons"]
    ), guard_error
    assert (2, "") == (dest.code, dest.out)
    assert f"{bad_dest}:{line_of(dest_line)}: " in dest.err
    assert "'limbo'" in dest.err


def node_ids(drawing: str) -> set[str]:
    return set(re.findall(r"^\s+(\w+)\s*[\[(]", drawing, re.MULTILINE))


def test_diagram_draws_every_care_state_and_highlights_a_cases_states(ready: Cli) -> None:
    """`diagram` in mermaid and dot shows every care state; `--case` marks the case's
    current care and residence states."""
    case_id = open_case(ready)["id"]
    mermaid, dot, marked = ready.many(
        ["diagram", "--format", "mermaid"],
        ["diagram", "--format", "dot"],
        ["diagram", "--format", "dot", "--case", case_id],
    )
    assert [0, 0, 0] == [r.code for r in (mermaid, dot, marked)]
    assert set(CARE_STATES) <= node_ids(mermaid.out)
    assert set(CARE_STATES) <= node_ids(dot.out)
    filled = {
        m.group(1) for m in re.finditer(r"^\s+(\w+) \[[^\n]*fillcolor", marked.out, re.MULTILINE)
    }
    assert {"basic_needs_safety", "no_procedure"} == filled
    assert "fillcolor" not in dot.out


def test_case_show_speaks_dutch_when_asked(ready: Cli) -> None:
    """`--lang nl` shows the steps, triggers and documents with their Dutch labels."""
    case_id = open_case(ready)["id"]
    (shown,) = ready.many(["--lang", "nl", "case", "show", case_id])
    assert 0 == shown.code
    assert "stap 1: Eerste behoeften en veiligheid (basic_needs_safety)" in shown.out
    assert "wat kan er nu gebeuren:" in shown.out and "termijnen:" in shown.out
    assert "Risicoanalyse (risk_analysis), Veiligheidsplan (safety_plan)" in shown.out
    assert "Traject beëindigen" in shown.out


def test_case_show_says_an_ind_decision_in_step_1_waits_for_step_7(ready: Cli) -> None:
    """L2812-2815: an IND decision leads to step 7; recorded in step 1 (safety first,
    L2266-2277) `case show` says the evaluation follows after step 1, instead of nothing."""
    case_id = open_case(ready)["id"]
    day = today().isoformat()
    ready.ok("case", "fire", case_id, "report_to_police", "--data",
             json.dumps({"reported_on": day}))  # fmt: skip
    ready.ok("case", "fire", case_id, "apply_permit", "--data",
             json.dumps({"permit": "b8_3_temporary", "applied_on": day}))  # fmt: skip
    view = ready.ok("case", "fire", case_id, "record_ind_decision", "--data",
                    json.dumps({"decision": "negative", "decided_on": day}))  # fmt: skip
    assert "basic_needs_safety" == view["state"]
    shown = ready.run("case", "show", case_id)
    assert 0 == shown.code
    assert (
        f"waiting:   IND decision of {day}: step 7 (Interim changes and evaluation) follows "
        "after step 1 (Basic needs and safety)"
    ) in shown.out
    dutch = ready.run("--lang", "nl", "case", "show", case_id).out
    assert "wacht:" in dutch and "IND decision of" not in dutch  # the note is said in Dutch


# -- time -----------------------------------------------------------------------------------


def test_overdue_lists_what_is_past_due_at_a_later_date_and_filters_by_org(ready: Cli) -> None:
    """`overdue --at LATER --json` lists each case's past-due timers and steps with case_id,
    organisation, kind, due_at and days_overdue; `--org` keeps one organisation's."""
    north, south = (
        r.json["id"]
        for r in ready.many(
            [*open_args("shelter-north", "N-1"), "--json"],
            [*open_args("shelter-south", "S-1"), "--json"],
        )
    )
    later = today() + timedelta(days=30)
    everything, only_north = (
        r.json
        for r in ready.many(
            ["overdue", "--at", later.isoformat(), "--json"],
            ["overdue", "--at", later.isoformat(), "--org", "shelter-north", "--json"],
        )
    )

    def item(case_id: str, org: str, kind: str, due: date) -> tuple[Any, ...]:
        return (case_id, org, kind, local_midnight(due), (later - due).days)

    def rows(items: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
        keys = ("case_id", "organisation", "kind", "due_at", "days_overdue")
        return {
            tuple(datetime.fromisoformat(i[k]) if k == "due_at" else i[k] for k in keys)
            for i in items
        }

    first_talk, step_one = today() + timedelta(days=7), today() + timedelta(weeks=2)
    expected_north = {
        item(north, "shelter-north", "first_counselling_due", first_talk),
        item(north, "shelter-north", "step_overdue", step_one),
    }
    expected_south = {
        item(south, "shelter-south", "first_counselling_due", first_talk),
        item(south, "shelter-south", "step_overdue", step_one),
    }
    assert expected_north | expected_south == rows(everything)
    assert expected_north == rows(only_north)


def test_at_backdates_when_it_happened_while_recorded_at_is_now(
    ready: Cli, examples: dict[str, dict[str, Any]]
) -> None:
    """`--at` sets an event's happened_at; its recorded_at is the moment it was recorded."""
    intake = today() - timedelta(days=3)
    case_id = ready.ok(
        "case", "open", "--client", "C-3", "--org", "shelter-north", "--kind", "trafficking",
        "--intake", intake.isoformat(), "--at", intake.isoformat(),
    )["id"]  # fmt: skip
    happened = datetime.combine(intake + timedelta(days=1), time(14, 30), tzinfo=LOCAL)
    before = datetime.now(UTC)
    ready.ok(
        "case", "record", case_id, "risk_analysis", "--data",
        json.dumps({**examples["risk_analysis"], "assessed_on": str(happened.date())}),
        "--at", happened.strftime("%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    after = datetime.now(UTC)
    events = ready.ok("case", "timeline", case_id)
    assert ["open", "record"] == [e["trigger"] for e in events]
    opened, recorded = events
    assert local_midnight(intake) == datetime.fromisoformat(opened["happened_at"])
    assert happened == datetime.fromisoformat(recorded["happened_at"])
    assert before <= datetime.fromisoformat(recorded["recorded_at"]) <= after
    assert ACTOR == recorded["actor"]


# -- refused triggers and bad input --------------------------------------------------------


def test_refused_trigger_exits_2_naming_missing_documents_and_changes_nothing(
    ready: Cli,
) -> None:
    """`complete` without the step's documents exits 2 with trigger_refused and reasons
    naming each missing document; state and version stay as they were."""
    opened = open_case(ready)
    error = ready.refused("case", "fire", opened["id"], "complete")
    assert "trigger_refused" == error["error"]
    assert "risk_analysis" in reasons_text(error)
    assert "safety_plan" in reasons_text(error)
    shown = ready.ok("case", "show", opened["id"])
    assert (opened["state"], opened["version"]) == (shown["state"], shown["version"])


def test_bad_input_exits_2_with_reasons_naming_the_field(
    ready: Cli, examples: dict[str, dict[str, Any]]
) -> None:
    """Bad --data JSON, an unknown trigger or document kind, an invalid document, a future
    --at, a bad --intake and an unknown case each exit 2 with a reason naming the field;
    without --json the message and reasons go to stderr."""
    case_id = open_case(ready)["id"]
    risk = json.dumps(examples["risk_analysis"])
    bad_risk = json.dumps({**examples["risk_analysis"], "threat_level": "enormous"})
    calls = {
        "data:": ["case", "record", case_id, "risk_analysis", "--data", "{not json"],
        "trigger:": ["case", "fire", case_id, "fly_away"],
        "kind:": ["case", "record", case_id, "diary", "--data", "{}"],
        "risk_analysis.threat_level:": [
            "case", "record", case_id, "risk_analysis", "--data", bad_risk,
        ],
        "at:": ["case", "record", case_id, "risk_analysis", "--data", risk, "--at", "2999-01-01"],
        "intake:": [
            "case", "open", "--client", "B-2", "--org", "shelter-north", "--kind", "trafficking",
            "--intake", "2026-13-45",
        ],
        "case:": ["case", "show", "no-such-case"],
        "Missing option '--data'": ["case", "record", case_id, "risk_analysis"],
    }  # fmt: skip
    *results, human = ready.many(
        *([*call, "--json"] for call in calls.values()), ["case", "fire", case_id, "fly_away"]
    )
    for field, result in zip(calls, results, strict=True):
        error = error_of(result)
        assert any(r.startswith(field) for r in error["reasons"]), (field, error)
    assert "case_not_found" == results[-2].json["error"]
    assert "invalid_input" == results[-1].json["error"]
    assert (2, "") == (human.code, human.out)
    assert human.err.startswith("error: unknown trigger 'fly_away'")
    assert "trigger: must be one of" in human.err


# -- a case from intake to the end of monitoring --------------------------------------------


def test_newcomer_walks_a_return_case_from_intake_to_closed(
    ready: Cli, examples: dict[str, dict[str, Any]]
) -> None:
    """A trafficking case walks every step of the return branch to closed_returned with the
    schema examples as documents; the case view (`case show --json`) tracks it throughout."""
    cli = ready
    recorded: set[str] = set()
    day = today().isoformat()

    def record(kind: str, **changes: Any) -> dict[str, Any]:
        recorded.add(kind)
        data = json.dumps({**examples[kind], **changes})
        return cli.ok("case", "record", case_id, kind, "--data", data)

    def fire(name: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        extra = ["--data", json.dumps(data)] if data is not None else []
        return cli.ok("case", "fire", case_id, name, *extra)

    opened = open_case(cli)
    case_id = opened["id"]
    assert "basic_needs_safety" == opened["state"]
    assert "no_procedure" == opened["residence_state"]
    assert "shelter-north" == opened["organisation"]
    assert ["risk_analysis", "safety_plan"] == opened["missing_documents"]
    for option in opened["triggers"]:
        assert {"name", "allowed"} <= set(option)
        assert option["allowed"] == ("reasons" not in option), option
    complete = trigger(opened, "complete")
    assert False is complete["allowed"]
    assert "risk_analysis" in "\n".join(complete["reasons"])
    first_talk = next(t for t in opened["timers"] if t["kind"] == "first_counselling_due")
    assert "pending" == first_talk["status"]
    assert local_midnight(today() + timedelta(days=7)) == datetime.fromisoformat(
        first_talk["due_at"]
    )

    record("client_profile")
    record("risk_analysis")
    view = record("safety_plan")
    assert [] == view["missing_documents"]
    assert True is trigger(view, "complete")["allowed"]
    view = fire("complete")
    steps = [  # (the step, the documents it still needs on entering it)
        ("first_counselling", ["counselling_info"]),
        ("strengths_inventory", ["strengths_inventory"]),
        ("short_term_plan", ["action_plan"]),
        ("future_talks", ["overview1", "overview2"]),
        ("supplement_plan", ["action_plan"]),
        ("interim_evaluation", ["evaluation", "overview1", "overview2"]),
    ]
    for state, kinds in steps:
        assert (state, kinds) == (view["state"], view["missing_documents"])
        for kind in kinds:
            record(kind)
        view = fire("complete")
    assert ("provisional_decision", []) == (view["state"], view["missing_documents"])
    assert "done" == timers(view)["first_counselling_due"]
    assert (True, True) == (
        trigger(view, "choose_return")["allowed"],
        trigger(view, "choose_stay")["allowed"],
    )

    assert "return_action_plan" == fire("choose_return")["state"]
    record("return_plan")
    assert "risk_update" == fire("complete")["state"]
    record("risk_update")
    view = fire("complete")
    assert ("departure", ["handover_checklist"]) == (view["state"], view["missing_documents"])
    record("handover_checklist", with_partner=False)
    record("consent", handover_to_partner=False, partner_organisation=None, share_documents=[])
    record("health_checklist")  # Bijlage 6, kept for the hand-over file (L4445-4446)
    record("return_funds")  # the file per returnee (L2965-2968)

    view = fire("depart", {"departed_on": day})
    assert "reint_monitoring" == view["state"]
    assert {"arrival_confirmation": "pending", "contact_1_month": "pending"} == {
        k: v for k, v in timers(view).items() if k in ("arrival_confirmation", "contact_1_month")
    }
    close = trigger(view, "close")
    assert False is close["allowed"]
    assert "arrival_confirmation" in "\n".join(close["reasons"])

    record("contact", about="arrival_confirmation", took_place_on=day)
    record("contact", about="contact_1_month", took_place_on=day)
    assert "closed_returned" == fire("close")["state"]

    shown = cli.ok("case", "show", case_id)
    assert (case_id, "closed_returned", "shelter-north") == (
        shown["id"],
        shown["state"],
        shown["organisation"],
    )
    assert True is shown["closed"]
    assert [] == shown["missing_documents"]
    assert "done" == timers(shown)["arrival_confirmation"]
    assert "done" == timers(shown)["contact_1_month"]
    # every kind's --example was accepted by `case record`; the partner's re-integration
    # documents are recorded on a hand-over walk (tests/integration/test_reintegration.py)
    assert KINDS - REINTEGRATION_KINDS == recorded


def test_schema_examples_are_complete_documents(examples: dict[str, dict[str, Any]]) -> None:
    """`schema KIND --example` prints a JSON object for every kind (the walk records them)."""
    assert KINDS == set(examples)
    assert all(isinstance(doc, dict) and doc for doc in examples.values())


def test_reminders_run_sends_what_is_due_once(ready: Cli) -> None:
    """`reminders run --json` delivers the due reminders (to the log when no address is
    configured), a second run sends nothing again, and `--at` ahead of time is refused."""
    intake = (today() - timedelta(days=20)).isoformat()
    ready.ok("case", "open", "--client", "R-1", "--org", "shelter-north", "--kind",
             "trafficking", "--intake", intake)  # fmt: skip
    later = (today() + timedelta(days=30)).isoformat()
    ahead = error_of(ready.run("reminders", "run", "--at", later, "--json"))
    assert ahead["reasons"][0].startswith("at: ")
    (first,) = ready.many(["reminders", "run", "--json"])
    (second,) = ready.many(["reminders", "run", "--json"])
    assert (0, 0) == (first.code, second.code)
    assert first.json["sent"] >= 1 and 0 == first.json["failed"]
    assert (0, 0) == (second.json["sent"], second.json["planned"])
    # Without a directory "sent" only means "written to the log", and it says so.
    assert (True, first.json["sent"]) == (first.json["only_logged"], first.json["logged"])
    human = ready.run("--lang", "nl", "reminders", "run")
    assert 0 == human.code
    assert "de herinneringen staan alleen in het logboek" in human.out
    assert human.out.startswith("gepland 0, verstuurd 0 (waarvan 0 alleen naar het logboek)")


def test_counsellor_reminders_failures_listed_and_retried(ready: Cli, tmp_path: Path) -> None:
    """A case opened for a counsellor and handed to another; her webhook does not answer, so
    `reminders list` shows the reminder being retried and why; `reminders retry` refuses ids
    that did not fail."""
    directory = tmp_path / "directory.yaml"
    directory.write_text(
        f"people:\n  a.bakker: {{webhook: 'http://127.0.0.1:{free_port()}/hook'}}\n"
    )
    env = {
        **ready.env,
        "SAFE_FUTURE_DIRECTORY": str(directory),
        "SAFE_FUTURE_WEBHOOK_URL": "http://127.0.0.1:9/unused",
        "SAFE_FUTURE_WEBHOOK_SECRET": "s3cret-for-test",
        "SAFE_FUTURE_WEBHOOK_RETRIES": "0",
    }
    cli = Cli(ready.db[1], ready.cwd, env)
    intake = (today() - timedelta(days=20)).isoformat()
    view = cli.ok("case", "open", "--client", "R-2", "--org", "shelter-north", "--kind",
                  "trafficking", "--intake", intake, "--counsellor", "j.devries")  # fmt: skip
    assert "j.devries" == view["counsellor"]
    view = cli.ok("case", "assign", view["id"], "--counsellor", "a.bakker")
    assert "a.bakker" == view["counsellor"]
    ran = cli.ok("reminders", "run")
    assert ran["retrying"] >= 1
    rows = cli.ok("reminders", "list")
    assert rows and {("webhook", "pending", 1)} == {
        (r["channel"], r["status"], r["attempts"]) for r in rows
    }
    assert all(r["last_error"].startswith("webhook not delivered") for r in rows)
    human = cli.run("reminders", "list")
    assert 0 == human.code and "retrying" in human.out and "s3cret" not in human.out
    retried = cli.ok("reminders", "retry", str(rows[0]["id"]))
    assert {"requeued": [], "not_failed": [rows[0]["id"]]} == retried


def test_accounts_from_the_command_line_then_the_api_served(ready: Cli) -> None:
    """An administrator registers a region, a shelter and a counsellor system (a person's token
    comes only by enrolment) and issues its token (printed once, listed without its secret);
    `serve` answers it over HTTP and refuses the token once revoked."""
    ready.ok("org", "add", "noord", "--kind", "region", "--name", "Regio Noord")
    ready.ok("org", "add", "shelter-north", "--kind", "shelter", "--name", "Shelter North",
             "--region", "noord")  # fmt: skip
    ready.ok("user", "add", "anna", "--org", "shelter-north", "--role", "counsellor")
    wrong = ready.refused("user", "add", "zc", "--org", "shelter-north", "--role", "coordinator")
    assert wrong["reasons"][0].startswith("role: a coordinator belongs to a region")
    ready.ok("user", "add", "crm", "--org", "shelter-north", "--role", "counsellor", "--system")
    made = ready.ok("token", "issue", "crm", "--label", "crm")
    listed = ready.ok("token", "list", "crm")
    assert made["token"] not in json.dumps(listed) and [made["id"]] == [t["id"] for t in listed]
    port = free_port()
    server = start([*ready.db, "serve", "--port", str(port)], ready.env, ready.cwd)
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {made['token']}"}
    try:
        deadline = time_module.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1).raise_for_status()
                break
            except httpx.TransportError:
                assert time_module.monotonic() < deadline, "serve did not start"
                time_module.sleep(0.2)
        assert "crm" == httpx.get(f"{base}/me", headers=auth).json()["user_id"]
        body = {"client_ref": "S-1", "kind": "domestic_violence", "intake_on": str(today())}
        opened = httpx.post(f"{base}/cases", headers=auth, json=body)
        assert (201, "shelter-north") == (opened.status_code, opened.json()["organisation"])
        assert "openapi" in httpx.get(f"{base}/openapi.json").json()
        ready.ok("token", "revoke", str(made["id"]))
        assert 401 == httpx.get(f"{base}/me", headers=auth).status_code
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def test_worker_sends_on_start_and_stops_on_sigterm(ready: Cli, db_url: str) -> None:
    """`safe-future worker` sends what is already due at start, keeps one SQLite worker at a
    time (PostgreSQL welcomes more), and stops cleanly on SIGTERM."""
    # A case whose intake was 20 days ago: its first talk and step 1 are overdue now.
    intake = (today() - timedelta(days=20)).isoformat()
    ready.ok("case", "open", "--client", "W-1", "--org", "shelter-north", "--kind",
             "trafficking", "--intake", intake)  # fmt: skip
    worker = start([*ready.db, "worker", "--interval", "1"], ready.env, ready.cwd)
    engine = create_engine(db_url)
    try:
        deadline = time_module.monotonic() + 30
        sent = 0
        while sent < 2 and time_module.monotonic() < deadline:
            time_module.sleep(0.3)
            with engine.connect() as conn:
                sent = conn.execute(
                    text("SELECT count(*) FROM outbox WHERE status = 'sent'")
                ).scalar_one()
        assert sent >= 2  # the first talk and the step, at least
        second = ready.run("worker", "--interval", "1") if "sqlite" in db_url else None
        if second is not None:
            assert 2 == second.code and "another reminders worker" in second.err
    finally:
        engine.dispose()
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=30)
    assert 0 == worker.returncode, err


def test_keys_add_rotate_and_remove_from_the_command_line(ready: Cli) -> None:
    """A security officer adds a key, rotates to it and removes the old one; the case reads
    the same before and after, and a wrong key file exits 2 with `key_error`."""
    case_id = open_case(ready)["id"]
    before = ready.ok("case", "show", case_id)
    added = ready.ok("keys", "add", "--id", "k2")
    rotated = ready.ok("keys", "rotate", "--batch", "1")
    removed = ready.ok("keys", "remove", "k1")
    status = ready.ok("keys", "status")
    assert ("k2", True, ["k1"]) == (added["added"], rotated["done"], rotated["retired"])
    assert (["k2"], ["k2"], 0) == (removed["ring"], status["ring"],
                                   status["rows_under_older_keys"])  # fmt: skip
    assert before == ready.ok("case", "show", case_id)
    wrong = Path(ready.cwd / "wrong.keys")
    create_key_file(wrong, "k2")
    error = Cli(ready.db[1], ready.cwd, {**ready.env, "SAFE_FUTURE_KEY_FILE": str(wrong)}).refused(
        "case", "show", case_id
    )
    assert ("key_error", "wrong encryption key") == (error["error"], error["message"])
