"""What every command shares: the context object, options, error handling and output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import inspect

from engine.bootstrap import App, bootstrap
from engine.cli._human import human_case
from engine.errors import EngineError, InvalidInput
from engine.settings import Settings

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="when it happened (ISO date or datetime; local time if no zone)"),
]


class Ctx:
    """The global options, and the engine built once, on first use."""

    def __init__(self, settings: Settings, actor: str, lang: str) -> None:
        self.settings = settings
        self.actor = actor
        self.lang = lang
        self._app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap(self.settings)
            if not inspect(self._app.db).has_table("cases"):
                raise InvalidInput(
                    "the database has no tables yet", ["db: run `safe-future init-db` first"]
                )
        return self._app

    def human_case(self, view: dict[str, Any]) -> str:
        """A case for people, in the chosen language."""
        documents = self.app().workflow.spec.documents
        return human_case(view, self.lang, {k: d.label.model_dump() for k, d in documents.items()})

    def moment(self, text: str | None) -> datetime | None:
        """`--at` in the workflow's time zone."""
        return parse_moment(text, self.app().workflow.tz)


def ctx_obj(ctx: typer.Context) -> Ctx:
    """The command line's shared context."""
    obj = ctx.obj
    assert isinstance(obj, Ctx)
    return obj


@contextmanager
def errors(as_json: bool) -> Iterator[None]:
    """Turn engine errors into exit status 2 and the contract's error output."""
    try:
        yield
    except EngineError as err:
        fail(err, as_json)


def fail(err: EngineError, as_json: bool) -> NoReturn:
    """Print an engine error as the contract says and exit with status 2."""
    if as_json:
        typer.echo(json.dumps(err.as_dict(), ensure_ascii=False))
    else:
        typer.echo(f"error: {err.message}", err=True)
        for reason in err.reasons:
            typer.echo(f"  - {reason}", err=True)
    raise typer.Exit(2)


def emit(value: Any, as_json: bool, human: Callable[[Any], str]) -> None:
    """JSON with --json, else the human form."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2) if as_json else human(value))


def parse_moment(text: str | None, tz: ZoneInfo) -> datetime | None:
    """An ISO date or datetime; without a zone it is local time in the workflow's zone."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "bad --at",
            [f"at: {text!r} is not an ISO date or datetime (2026-03-01 or 2026-03-01T14:30)"],
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def parse_json(text: str | None) -> dict[str, Any]:
    """`--data` as a JSON object."""
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "bad --data", [f"data: not valid JSON ({exc.msg} at column {exc.colno})"]
        ) from exc
    if not isinstance(value, dict):
        raise InvalidInput("bad --data", ["data: must be a JSON object"])
    return value
