"""The `safe-future` command. It translates arguments to service calls, nothing more."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import inspect

from engine import accounts, reminders, service
from engine.bootstrap import App, bootstrap, build_channels, check_channels
from engine.directory import Directory
from engine.documents import DOCUMENT_MODELS, document_model, example
from engine.errors import EngineError, InvalidInput
from engine.notifications import Channel
from engine.rules import GUARDS
from engine.scheduler import run_worker, worker_id
from engine.settings import Settings
from engine.states import Workflow, dot, mermaid, read_spec
from engine.store import create_schema

# click's UsageError, whether typer vendors click (>= 0.22) or depends on it.
_USAGE_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    # A crash must not print local variables: they may hold client data.
    pretty_exceptions_show_locals=False,
    help="Safe Future Engine: the Safe Future care pathway as durable per-case state machines.",
)
case_app = typer.Typer(no_args_is_help=True, help="Open, change and read one case.")
workflow_app = typer.Typer(no_args_is_help=True, help="Check and explain workflow files.")
reminders_app = typer.Typer(no_args_is_help=True, help="Send the reminders that are due.")
app.add_typer(case_app, name="case")
app.add_typer(workflow_app, name="workflow")
app.add_typer(reminders_app, name="reminders")
org_app = typer.Typer(no_args_is_help=True, help="Organisations: shelters, partners, regions.")
user_app = typer.Typer(no_args_is_help=True, help="People and systems with a role.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens: issue, list, revoke.")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="when it happened (ISO date or datetime; local time if no zone)"),
]


class _Ctx:
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
        return _human_case(view, self.lang, {k: d.label.model_dump() for k, d in documents.items()})

    def moment(self, text: str | None) -> datetime | None:
        """`--at` in the workflow's time zone."""
        return parse_moment(text, self.app().workflow.tz)


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
            "--actor", envvar="SAFE_FUTURE_ACTOR", help="who acts (for the event log and audit)"
        ),
    ] = None,
    workflow: Annotated[Path | None, typer.Option("--workflow", help="workflow file")] = None,
    lang: Annotated[
        str, typer.Option("--lang", envvar="SAFE_FUTURE_LANG", help="labels: nl or en")
    ] = "en",
) -> None:
    """Safe Future Engine: the Safe Future care pathway as durable per-case state machines."""
    overrides: dict[str, Any] = {}
    if db:
        overrides["db"] = db
    if workflow:
        overrides["workflow"] = workflow
    settings = Settings(**overrides)
    ctx.obj = _Ctx(settings, actor or f"cli:{getpass.getuser()}", "nl" if lang == "nl" else "en")


def _obj(ctx: typer.Context) -> _Ctx:
    obj = ctx.obj
    assert isinstance(obj, _Ctx)
    return obj


@contextmanager
def _errors(as_json: bool) -> Iterator[None]:
    """Turn engine errors into exit status 2 and the contract's error output."""
    try:
        yield
    except EngineError as err:
        _fail(err, as_json)


def _fail(err: EngineError, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps(err.as_dict(), ensure_ascii=False))
    else:
        typer.echo(f"error: {err.message}", err=True)
        for reason in err.reasons:
            typer.echo(f"  - {reason}", err=True)
    raise typer.Exit(2)


def _print(value: Any, as_json: bool, human: Callable[[Any], str]) -> None:
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


def _parse_json(text: str | None) -> dict[str, Any]:
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


# -- database -------------------------------------------------------------------------------


@app.command("init-db")
def init_db(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Create the tables, or bring an existing database to the newest schema (safe to run
    again; an upgrade keeps every case)."""
    obj = _obj(ctx)
    with _errors(as_json):
        built = bootstrap(obj.settings)
        revision = create_schema(built.db)
        url = built.db.url.render_as_string(hide_password=True)
    _print(
        {"database": url, "ready": True, "schema": revision},
        as_json,
        lambda v: f"database ready: {v['database']} (schema {v['schema']})",
    )


# -- cases ----------------------------------------------------------------------------------


@case_app.command("open")
def case_open(
    ctx: typer.Context,
    client: Annotated[str, typer.Option("--client", help="pseudonymous client reference")],
    org: Annotated[str, typer.Option("--org", help="organisation")],
    kind: Annotated[
        str, typer.Option("--kind", help="trafficking|domestic_violence|honour_violence")
    ],
    intake: Annotated[str, typer.Option("--intake", help="intake date (YYYY-MM-DD)")],
    counsellor: Annotated[
        str | None, typer.Option("--counsellor", help="the counsellor's user id")
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a case at intake."""
    obj = _obj(ctx)
    with _errors(as_json):
        try:
            intake_on = date.fromisoformat(intake)
        except ValueError:
            raise InvalidInput(
                "bad --intake", [f"intake: {intake!r} is not a date (YYYY-MM-DD)"]
            ) from None
        view = service.open_case(
            obj.app(),
            client_ref=client,
            organisation=org,
            kind=kind,
            intake_on=intake_on,
            actor=obj.actor,
            counsellor=counsellor,
            at=obj.moment(at),
        )
    _print(view, as_json, obj.human_case)


@case_app.command("assign")
def case_assign(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    counsellor: Annotated[str, typer.Option("--counsellor", help="the counsellor's user id")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a case to a (new) counsellor; her reminders follow."""
    obj = _obj(ctx)
    with _errors(as_json):
        view = service.assign(obj.app(), case_id, counsellor, actor=obj.actor, at=obj.moment(at))
    _print(view, as_json, obj.human_case)


@case_app.command("fire")
def case_fire(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    trigger: Annotated[str, typer.Argument(metavar="TRIGGER")],
    data: Annotated[str | None, typer.Option("--data", help="the trigger's data as JSON")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fire a trigger on a case (e.g. complete, choose_return, depart)."""
    obj = _obj(ctx)
    with _errors(as_json):
        view = service.fire(
            obj.app(), case_id, trigger, _parse_json(data), actor=obj.actor, at=obj.moment(at)
        )
    _print(view, as_json, obj.human_case)


@case_app.command("record")
def case_record(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    kind: Annotated[str, typer.Argument(metavar="KIND")],
    data: Annotated[
        str,
        typer.Option(
            "--data", help="the document as JSON (see `safe-future schema KIND --example`)"
        ),
    ],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a new version of a document on a case."""
    obj = _obj(ctx)
    with _errors(as_json):
        view = service.record(
            obj.app(), case_id, kind, _parse_json(data), actor=obj.actor, at=obj.moment(at)
        )
    _print(view, as_json, obj.human_case)


@case_app.command("show")
def case_show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a case: its steps, what is allowed next and why not, its timers and documents."""
    obj = _obj(ctx)
    with _errors(as_json):
        view = service.show(obj.app(), case_id, actor=obj.actor, at=obj.moment(at))
    _print(view, as_json, obj.human_case)


@case_app.command("timeline")
def case_timeline(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    as_json: JsonOpt = False,
) -> None:
    """Every event of a case: what, who, when it happened and when it was recorded."""
    obj = _obj(ctx)
    with _errors(as_json):
        events = service.timeline(obj.app(), case_id, actor=obj.actor)
    _print(events, as_json, lambda evs: "\n".join(_human_event(e) for e in evs))


def _human_event(e: dict[str, Any]) -> str:
    what = f"record {e['data']['kind']}" if e["trigger"] == "record" else e["trigger"]
    move = "" if e["from_state"] == e["to_state"] else f"{e['from_state'] or ''} -> {e['to_state']}"
    return (
        f"{e['seq']:>3} {e['happened_at'][:16]} {e['track']:<9} {what:<30} {move:<44} {e['actor']}"
    )


@app.command("overdue")
def overdue_cmd(
    ctx: typer.Context,
    at: AtOpt = None,
    org: Annotated[str | None, typer.Option("--org", help="only this organisation")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Timers past due and steps open longer than expected, most overdue first."""
    obj = _obj(ctx)
    with _errors(as_json):
        items = service.overdue(
            obj.app(), service.OverdueQuery(organisation=org, at=obj.moment(at))
        )
    _print(
        items,
        as_json,
        lambda rows: (
            "\n".join(
                f"{r['days_overdue']:>4} days overdue  {r['organisation']:<16} {r['case_id']}  "
                f"{r['kind']:<26} due {r['due_on']}  (in {r['step_label'][obj.lang]})"
                for r in rows
            )
            or "nothing is overdue"
        ),
    )


# -- reminders ------------------------------------------------------------------------------


@reminders_app.command("run")
def reminders_run(
    ctx: typer.Context,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One reminders pass by hand: decide what is due (at --at, default now) and deliver it."""
    obj = _obj(ctx)
    with _errors(as_json):
        built = obj.app()
        moment = obj.moment(at)
        if moment is not None and moment > built.clock.now():
            raise InvalidInput(
                "bad --at",
                ["at: reminders are sent for now or an earlier moment, never ahead of time"],
            )
        channels, directory = _delivery(obj, built)
        result = reminders.run_once(
            built, channels, directory, worker=worker_id(), at=moment, link=obj.settings.case_link
        )
    _print(result.as_dict(), as_json, lambda r: ", ".join(f"{k} {v}" for k, v in r.items()))


@reminders_app.command("list")
def reminders_list(
    ctx: typer.Context,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="problems (failed or retrying), failed, retrying, pending, sent, skipped",
        ),
    ] = "problems",
    limit: Annotated[int, typer.Option("--limit", help="at most this many, newest first")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """The reminders outbox: what failed or is being retried, and why."""
    obj = _obj(ctx)
    with _errors(as_json):
        rows = reminders.listing(obj.app(), status=status, limit=limit)
    _print(rows, as_json, lambda rs: "\n".join(_human_outbox(r) for r in rs) or "nothing")


def _human_outbox(r: dict[str, Any]) -> str:
    state = r["status"] if r["status"] != "pending" or not r["attempts"] else "retrying"
    why = f"  ({r['last_error']})" if r["last_error"] else ""
    return (
        f"{r['id']:>6} {state:<8} {r['attempts']:>2}x {r['channel']:<7} {r['kind']} {r['stage']} "
        f"case {r['case_id']} ({r['organisation']}) -> {r['recipient']}{why}"
    )


@reminders_app.command("retry")
def reminders_retry(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...", help="outbox ids (see list)")],
    as_json: JsonOpt = False,
) -> None:
    """Try failed reminders again from now, e.g. after an address was corrected."""
    obj = _obj(ctx)
    with _errors(as_json):
        taken = reminders.requeue(obj.app(), ids)
    result = {"requeued": taken, "not_failed": sorted(set(ids) - set(taken))}
    _print(result, as_json, lambda r: f"requeued {r['requeued']}; not failed: {r['not_failed']}")


def _delivery(obj: _Ctx, built: App) -> tuple[dict[str, Channel], Directory]:
    channels = build_channels(built.clock)
    directory = Directory.load(obj.settings.directory)
    check_channels(channels, directory)
    return channels, directory


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
) -> None:
    """Serve the HTTP API (uvicorn) until stopped; OpenAPI at /docs and /openapi.json."""
    import uvicorn

    from engine.api import create_api

    obj = _obj(ctx)
    with _errors(False):
        api = create_api(obj.app())
    uvicorn.run(api, host=host, port=port, log_level="warning", proxy_headers=True)


# -- accounts -------------------------------------------------------------------------------


@org_app.command("add")
def org_add(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID")],
    kind: Annotated[str, typer.Option("--kind", help="shelter|partner|region")],
    name: Annotated[str, typer.Option("--name", help="the organisation's name")],
    region: Annotated[str | None, typer.Option("--region", help="a shelter's region")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Register an organisation."""
    obj = _obj(ctx)
    with _errors(as_json):
        row = accounts.add_organisation(obj.app(), org_id, kind=kind, name=name, region=region)
    _print(row, as_json, lambda r: f"organisation {r['id']} ({r['kind']}) added")


@org_app.command("list")
def org_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The registered organisations."""
    obj = _obj(ctx)
    with _errors(as_json):
        rows = accounts.organisations(obj.app())
    _print(rows, as_json, lambda rs: "\n".join(map(_human_org, rs)))


def _human_org(r: dict[str, Any]) -> str:
    return f"{r['id']:<24} {r['kind']:<8} {r['region'] or '-':<12} {r['name']}"


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="ID", help="a user id, never a name")],
    org: Annotated[str, typer.Option("--org", help="her organisation")],
    role: Annotated[str, typer.Option("--role", help="counsellor|coordinator|partner|admin")],
    system: Annotated[bool, typer.Option("--system", help="a system, not a person")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Register a person or a system with one role at one organisation."""
    obj = _obj(ctx)
    with _errors(as_json):
        row = accounts.add_user(
            obj.app(), user_id, organisation=org, role=role, kind="system" if system else "person"
        )
    _print(
        row, as_json, lambda r: f"{r['kind']} {r['id']} ({r['role']} at {r['organisation']}) added"
    )


@user_app.command("deactivate")
def user_deactivate(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Deactivate a user: her tokens stop working at once."""
    obj = _obj(ctx)
    with _errors(as_json):
        accounts.set_active(obj.app(), user_id, False)
    _print({"user": user_id, "active": False}, as_json, lambda r: f"{r['user']} deactivated")


@token_app.command("issue")
def token_issue(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="USER")],
    label: Annotated[str | None, typer.Option("--label", help="what it is for")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an API token; its secret is printed this once and kept nowhere."""
    obj = _obj(ctx)
    with _errors(as_json):
        made = accounts.issue_token(obj.app(), user_id, label=label)
    _print(made, as_json, lambda r: f"token {r['id']} for {r['user_id']}: {r['token']}")


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="USER")],
    as_json: JsonOpt = False,
) -> None:
    """A user's tokens (never their secrets)."""
    obj = _obj(ctx)
    with _errors(as_json):
        rows = [
            {k: v.isoformat() if isinstance(v, datetime) else v for k, v in r.items()}
            for r in accounts.tokens(obj.app(), user_id)
        ]
    _print(rows, as_json, lambda rs: "\n".join(
        f"{r['id']:>5} {r['purpose']:<8} {r['label'] or '-':<20} created {r['created_at'][:10]}"
        f"{'  REVOKED' if r['revoked_at'] else ''}" for r in rs))  # fmt: skip


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke a token; requests with it are refused from now on."""
    obj = _obj(ctx)
    with _errors(as_json):
        accounts.revoke_token(obj.app(), token_id)
    _print({"token": token_id, "revoked": True}, as_json, lambda r: f"token {r['token']} revoked")


@app.command("worker")
def worker_cmd(
    ctx: typer.Context,
    interval: Annotated[
        float | None, typer.Option("--interval", help="seconds between passes")
    ] = None,
) -> None:
    """Run the reminders worker until stopped (SIGINT/SIGTERM)."""
    obj = _obj(ctx)
    with _errors(False):
        built = obj.app()
        channels, directory = _delivery(obj, built)
        run_worker(
            built,
            channels,
            directory,
            interval=interval or obj.settings.worker_interval,
            link=obj.settings.case_link,
        )


# -- schema, workflow, diagram --------------------------------------------------------------


@app.command("schema")
def schema_cmd(
    kind: Annotated[str | None, typer.Argument(metavar="[KIND]")] = None,
    example_: Annotated[bool, typer.Option("--example", help="a complete valid example")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the document kinds, or print one kind's JSON Schema or a valid example."""
    if kind is None:
        kinds = [
            {"kind": name, "title": (model.__doc__ or "").strip().splitlines()[0]}
            for name, model in sorted(DOCUMENT_MODELS.items())
        ]
        _print(kinds, as_json, lambda ks: "\n".join(f"{k['kind']:<20} {k['title']}" for k in ks))
        return
    with _errors(as_json):
        if kind not in DOCUMENT_MODELS:
            raise InvalidInput(
                f"unknown document kind {kind!r}",
                [f"kind: must be one of {', '.join(sorted(DOCUMENT_MODELS))}"],
            )
    value = example(kind) if example_ else document_model(kind).model_json_schema()
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@workflow_app.command("check")
def workflow_check(
    file: Annotated[Path, typer.Argument(metavar="FILE")],
    as_json: JsonOpt = False,
) -> None:
    """Check a workflow file: schema, states, guards, durations, timers, reachability."""
    with _errors(as_json):
        spec = read_spec(file)
        Workflow(spec)
    summary = {
        "file": str(file),
        "ok": True,
        "workflow": spec.id,
        "version": spec.version,
        "states": len(spec.care.states) + len(spec.residence.states),
        "timers": len(spec.timers),
        "policy": {name: d.describe() for name, d in spec.policy.items()},
    }
    _print(summary, as_json, _human_check)


def _human_check(s: dict[str, Any]) -> str:
    lines = [f"{s['file']}: ok ({s['states']} states, {s['timers']} timers)", "policy:"]
    lines += [f"  {name:<28} {words}" for name, words in s["policy"].items()]
    return "\n".join(lines)


@workflow_app.command("guards")
def workflow_guards() -> None:
    """List the guards a workflow file may name, with what each checks."""
    for name, spec in sorted(GUARDS.items()):
        params = ", ".join(spec.params.model_fields) or "-"
        typer.echo(f"{name:<24} params: {params}\n    {' '.join(spec.doc.split())}")


@app.command("diagram")
def diagram_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="mermaid or dot")] = "mermaid",
    lang: Annotated[str, typer.Option("--lang", help="en or nl")] = "en",
    case_id: Annotated[
        str | None, typer.Option("--case", help="highlight this case's current steps")
    ] = None,
) -> None:
    """Draw the workflow, to lay beside Bijlage 2."""
    obj = _obj(ctx)
    with _errors(False):
        if fmt not in ("mermaid", "dot") or lang not in ("en", "nl"):
            raise InvalidInput("bad option", ["format: mermaid or dot; lang: en or nl"])
        spec = read_spec(obj.settings.workflow) if obj.settings.workflow else Workflow.load().spec
        highlight: list[str] = []
        if case_id:
            view = service.show(obj.app(), case_id, actor=obj.actor)
            highlight = [view["state"], view["residence_state"]]
    draw = mermaid if fmt == "mermaid" else dot
    typer.echo(draw(spec, lang, highlight), nl=False)


# -- human output ---------------------------------------------------------------------------


def _human_case(v: dict[str, Any], lang: str, documents: dict[str, dict[str, str]]) -> str:
    step = f"step {v['step']}: " if v["step"] else ""
    due = ""
    if v["step_due_on"]:
        due = f"  [expected done by {v['step_due_on']}{', OVERDUE' if v['step_overdue'] else ''}]"
    art64 = "  [article 64 holds]" if v["article64"] else ""
    needed = [f"{documents[k][lang]} ({k})" for k in v["missing_documents"]]
    lines = [
        f"case {v['id']}  ({v['kind']}, {v['organisation']}, client {v['client_ref']}, "
        f"counsellor {v['counsellor'] or '-'})",
        f"  care:      {step}{v['state_label'][lang]} ({v['state']}){due}",
        f"  residence: {v['residence_label'][lang]} ({v['residence_state']}){art64}",
    ]
    if needed:
        lines.append(f"  still needed to complete: {', '.join(needed)}")
    lines.append("  what can happen next:")
    for t in v["triggers"]:
        mark = "yes" if t["allowed"] else "no "
        lines.append(f"    {mark}  {t['name']:<24} {t['label'][lang]}")
        lines.extend(f"           - {r}" for r in t.get("reasons", []))
    if v["timers"]:
        lines.append("  deadlines:")
        lines.extend(
            f"    {t['kind']:<26} due {t['due_on']}  {t['status']}"
            + (f" ({t['days_overdue']} days)" if t["days_overdue"] else "")
            for t in v["timers"]
        )
    return "\n".join(lines)


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
