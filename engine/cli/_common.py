"""What every command shares: the context object, options, error handling and output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import inspect

from engine import accounts, jsontext
from engine.bootstrap import App, bootstrap
from engine.cli._human import human_case
from engine.clock import as_utc
from engine.errors import EngineError, InvalidInput
from engine.i18n import _, translate
from engine.jsontext import MAX_BODY_BYTES
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
        self.actor_name = actor
        self.lang = lang
        self._app: App | None = None
        self._actor: str | None = None

    @property
    def actor(self) -> str:
        """Who acts, as the audit records it: a registered user or `cli:<login>`
        (`InvalidInput` for anything else)."""
        if self._actor is None:
            self._actor = accounts.local_actor(self.app(), self.actor_name)
        return self._actor

    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap(self.settings)
            if not inspect(self._app.db).has_table("cases"):
                raise InvalidInput(
                    _("the database has no tables yet"),
                    [_("db: run `safe-future init-db` first")],
                )
        return self._app

    def close(self) -> None:
        """Give the database connections back (an embedding process runs many commands)."""
        if self._app is not None:
            self._app.db.dispose()

    def human_case(self, view: dict[str, Any]) -> str:
        """A case for people, in the chosen language."""
        wf = self.app().workflow
        return human_case(view, self.lang, wf.labels, tz=wf.tz, timers=wf.timer_names)

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
        lang = LANG.get()
        typer.echo(translate(_("error: {message}", message=err.message), lang), err=True)
        for reason in err.reasons:
            typer.echo(f"  - {translate(reason, lang)}", err=True)
    raise typer.Exit(2)


LANG: ContextVar[str] = ContextVar("safe_future_cli_lang", default="en")
"""The `--lang` of the command being run, for its error output (set with the options)."""


def tr(text: str) -> str:
    """`text` (a `Message` or a msgid) in the `--lang` of the command being run."""
    return translate(text, LANG.get())


def say(obj: Ctx, lines: list[str]) -> str:
    """Texts for people (`Message`s or msgids), one a line, in the command's `--lang`."""
    return "\n".join(translate(line, obj.lang) for line in lines)


def emit(value: Any, as_json: bool, human: Callable[[Any], str]) -> None:
    """JSON with --json, else the human form."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2) if as_json else human(value))


def parse_moment(text: str | None, tz: ZoneInfo) -> datetime | None:
    """An ISO date or datetime, in UTC; without a zone it is local time in the workflow's
    zone. Outside the years the engine takes (see `as_utc`) it is bad input."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _("bad --at"),
            [_("at: {text} is not an ISO date or datetime (2026-03-01 or 2026-03-01T14:30)",
               text=repr(text))],
        ) from None  # fmt: skip
    try:  # in range for every use: reminders, overdue and changes alike
        return as_utc(moment if moment.tzinfo else moment.replace(tzinfo=tz))
    except ValueError as exc:
        raise InvalidInput(_("bad --at"), [f"at: {exc}"]) from None


def parse_json(text: str | None, option: str = "data") -> dict[str, Any]:
    """`--data` (or another `option`) as a JSON object, as strictly as an API body: at most
    MAX_BODY_BYTES, each key once, nested at most `jsontext.MAX_DEPTH` deep."""
    if text is None:
        return {}
    bad = _("bad --{option}", option=option)
    if len(text.encode()) > MAX_BODY_BYTES:
        raise InvalidInput(
            bad,
            [_("{option}: larger than the limit of {limit} bytes", option=option,
               limit=MAX_BODY_BYTES)],
        )  # fmt: skip
    value = jsontext.loads(text, field=option)
    if not isinstance(value, dict):
        raise InvalidInput(bad, [_("{option}: must be a JSON object", option=option)])
    return value
