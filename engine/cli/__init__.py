"""The `safe-future` command. It translates arguments to service calls, nothing more.
One module per command group; this one puts them together."""

from __future__ import annotations

import copy
import getpass
import importlib
import json
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core
import typer.main
from pydantic import ValidationError

from engine.accounts import operator_name
from engine.cli._common import LANG, Ctx, parse_moment
from engine.i18n import LANGS, _, translate
from engine.settings import Settings

__all__ = ["app", "main", "parse_moment"]

# click's UsageError, whether typer vendors click (>= 0.22) or depends on it.
_USAGE_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

# Each command and command group: its module in engine/cli and the function or Typer there.
# A module is imported only when its command runs (or for --help), so `case show` does not pay
# for the imports of `serve`, `socialmap` or `reminders` (docs/performance.md, cold start).
COMMANDS: dict[str, tuple[str, str]] = {
    "init-db": ("_ops", "init_db"),
    "overdue": ("_overview", "overdue_cmd"),
    "overview": ("_overview", "overview_cmd"),
    "serve": ("_ops", "serve_cmd"),
    "worker": ("_reminders", "worker_cmd"),
    "schema": ("_workflow", "schema_cmd"),
    "diagram": ("_workflow", "diagram_cmd"),
    "case": ("_case", "app"),
    "workflow": ("_workflow", "app"),
    "reminders": ("_reminders", "app"),
    "org": ("_accounts", "org_app"),
    "user": ("_accounts", "user_app"),
    "token": ("_accounts", "token_app"),
    "keys": ("_keys", "app"),
    "audit": ("_audit", "app"),
    "socialmap": ("_socialmap", "app"),
}


class _LazyGroup(typer.core.TyperGroup):
    """The top command: builds a command (group) of `COMMANDS` when it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name]
            target = getattr(importlib.import_module(f"engine.cli.{module}"), attr)
            if isinstance(target, typer.Typer):
                command: Any = _group(target)
            else:
                single = typer.Typer(add_completion=False)
                single.command(cmd_name)(target)
                command = typer.main.get_command(single)
            command.name = cmd_name
            self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)


def _group(typer_app: typer.Typer) -> Any:
    """The command group of `typer_app`, whose commands are built when asked for: Typer builds
    each command's parameters from its annotations, for `case` some 20 ms of every start."""
    shell = copy.copy(typer_app)
    shell.registered_commands = []
    group = typer.main.get_group(shell)
    group.commands = _Commands(typer_app, dict(group.commands))
    return group


class _Commands(MutableMapping[str, Any]):
    """A group's commands by name, in the order they were declared, each built at first use."""

    def __init__(self, typer_app: typer.Typer, built: dict[str, Any]) -> None:
        self._infos = {
            info.name or typer.main.get_command_name(info.callback.__name__): info
            for info in typer_app.registered_commands
            if info.callback is not None
        }
        self._app = typer_app
        self._built = built

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            info = self._infos[name]  # KeyError: not a command of the group
            self._built[name] = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=self._app.pretty_exceptions_short,
                rich_markup_mode=self._app.rich_markup_mode,
            )
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._infos.pop(name, None)
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._infos), **dict.fromkeys(self._built)})

    def __len__(self) -> int:
        return len(set(self._infos) | set(self._built))


app = typer.Typer(
    cls=_LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    # A crash must not print local variables: they may hold client data.
    pretty_exceptions_show_locals=False,
    help="Safe Future Engine: the Safe Future care pathway as durable per-case state machines.",
)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="database URL; else $SAFE_FUTURE_DB, else sqlite:///safe_future.db"
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            envvar="SAFE_FUTURE_ACTOR",
            help="who acts, for the event log and audit: a registered user id, or cli:<login>",
        ),
    ] = None,
    workflow: Annotated[Path | None, typer.Option("--workflow", help="workflow file")] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", envvar="SAFE_FUTURE_LANG", help=f"language of the texts: {'|'.join(LANGS)}"
        ),
    ] = "en",
) -> None:
    """Safe Future Engine: the Safe Future care pathway as durable per-case state machines."""
    if lang not in LANGS:
        wrong = _("--lang: {lang} is not a language of the labels; use {langs}",
                  lang=repr(lang), langs="|".join(LANGS))  # fmt: skip
        # Said in every language offered: which one the user reads is what is wrong.
        raise _USAGE_ERROR(" / ".join(dict.fromkeys(translate(wrong, code) for code in LANGS)))
    overrides: dict[str, Any] = {}
    if db:
        overrides["db"] = db
    if workflow:
        overrides["workflow"] = workflow
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:  # name the settings, never echo their values (passwords)
        wrongs = "; ".join(f"SAFE_FUTURE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                          for e in exc.errors())  # fmt: skip
        raise _USAGE_ERROR(f"bad settings: {wrongs}") from None
    ctx.obj = Ctx(settings, actor or operator_name(getpass.getuser()), lang)
    LANG.set(lang)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console entry point. Usage errors (a missing option, a bad value) are bad input too:
    exit status 2 and, with `--json`, the contract's error object on standard output."""
    try:
        code = app(standalone_mode=False)
    except _USAGE_ERROR as err:
        if "--json" not in sys.argv:
            err.show()
            sys.exit(2)
        typer.echo(
            json.dumps(
                {
                    "error": "invalid_input",
                    "message": "bad command line",
                    "reasons": [err.format_message()],
                }
            )
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
