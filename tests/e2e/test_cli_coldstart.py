"""`safe-future case show` starts quickly because it imports only what it uses: the web
server, the HTTP client, the migrations, the PDF export, the PostgreSQL driver and the log
renderer are imported by the commands that need them, not at the top of a module
(docs/performance.md, cold start). Not timed: the imports are what a later change breaks."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import typer
import typer.main
from typer.testing import CliRunner

from engine.cli import COMMANDS, app
from engine.crypto import create_key_file
from engine.documents._models import _KINDS
from tests.e2e.test_cli import Cli, base_env, open_case

# Never needed to read one case from SQLite.
HEAVY = {
    "fastapi": "the HTTP API",
    "starlette": "the HTTP API",
    "uvicorn": "serve",
    "httpx": "the webhook channel",
    "alembic": "init-db's migrations",
    "weasyprint": "case export",
    "jinja2": "the pages and the export",
    "psycopg": "PostgreSQL",
    "apscheduler": "worker",
    "rich": "structlog's console renderer and tracebacks",
    "structlog": "a log line, and case show writes none at the default level",
    "pydantic_settings": "the channels' settings; the engine's own are read without it",
}


def imported(stderr: str) -> set[str]:
    """The top-level packages a process imported, from its `-X importtime` report."""
    return {m[1].split(".")[0] for m in re.finditer(r"^import time:.*\| +(\S+)$", stderr, re.M)}


def test_case_show_on_sqlite_imports_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    """`case show` on an SQLite database shows the case and imports no web server, HTTP
    client, migrations, PDF export, PostgreSQL driver or log renderer."""
    key_file = tmp_path / "cli.keys"
    create_key_file(key_file, "k1")
    cli = Cli(f"sqlite:///{tmp_path / 'cold.db'}", tmp_path,
              base_env(SAFE_FUTURE_KEY_FILE=str(key_file)))  # fmt: skip
    assert 0 == cli.run("init-db").code
    case_id = open_case(cli)["id"]
    cli.env["PYTHONPROFILEIMPORTTIME"] = "1"
    shown = cli.run("case", "show", case_id)
    assert (0, f"case {case_id}") == (shown.code, shown.out.split("  ")[0])
    packages = imported(shown.err)
    assert {"engine", "sqlalchemy", "typer"} <= packages  # the report was read
    assert {} == {name: why for name, why in HEAVY.items() if name in packages}
    # SQLAlchemy's PostgreSQL dialect: only the schema's PostgreSQL options named it.
    assert None is re.search(r"\| +sqlalchemy\.dialects\.postgresql$", shown.err, re.M)
    # A case without documents builds no document kind's model (engine/documents/_models.py).
    kinds = set(re.findall(r"\| +engine\.documents\.(_\w+)$", shown.err, re.M))
    assert set() == kinds & {module for module, _name in _KINDS.values()}


def test_every_command_is_built_when_asked_for_and_listed_in_the_help() -> None:
    """Each command imported on demand is there: `--help` lists them all, in their order,
    and each one's own help shows its options (a wrong module or name in `COMMANDS` fails)."""
    listed = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert 0 == listed.exit_code, listed.output
    found = [line.split()[1] for line in listed.output.splitlines()
             if len(line.split()) > 1 and line.split()[1] in COMMANDS]  # fmt: skip
    assert list(COMMANDS) == found
    for name in COMMANDS:
        own = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert (0, True) == (own.exit_code, "--help" in own.output), (name, own.output)


def test_each_group_lists_its_commands_in_order_and_builds_the_one_asked_for() -> None:
    """A group's commands are built when asked for (engine/cli/__init__.py, `_Commands`), yet
    `case --help` lists every one in its declared order, each one's own help works, and a
    misspelt command is answered with the nearest name."""
    for name, (module, attr) in COMMANDS.items():
        target = getattr(importlib.import_module(f"engine.cli.{module}"), attr)
        if not isinstance(target, typer.Typer):
            continue
        declared = [i.name or typer.main.get_command_name(i.callback.__name__)
                    for i in target.registered_commands if i.callback]  # fmt: skip
        listed = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert 0 == listed.exit_code, listed.output
        found = [line.split()[1] for line in listed.output.splitlines()
                 if len(line.split()) > 1 and line.split()[1] in declared]  # fmt: skip
        assert declared == found, name
        for command in declared:
            own = CliRunner().invoke(app, [name, command, "--help"], env={"COLUMNS": "200"})
            assert (0, True) == (own.exit_code, "--help" in own.output), (name, command)
    misspelt = CliRunner().invoke(app, ["case", "shw"], env={"COLUMNS": "200"})
    assert (2, True) == (misspelt.exit_code, "Did you mean 'show'?" in misspelt.output)
