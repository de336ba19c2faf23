"""`safe-future reminders …` and the `worker` that sends them by itself."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from engine import reminders
from engine.bootstrap import App, build_channels, check_channels
from engine.cli._common import AtOpt, Ctx, JsonOpt, ctx_obj, emit, errors, tr
from engine.directory import Directory
from engine.errors import InvalidInput
from engine.i18n import _
from engine.notifications import Channel
from engine.scheduler import run_worker, worker_id

app = typer.Typer(no_args_is_help=True, help="Send the reminders that are due.")


@app.command("run")
def reminders_run(
    ctx: typer.Context,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One reminders pass by hand: decide what is due (at --at, default now) and deliver it."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        built = obj.app()
        moment = obj.moment(at)
        if moment is not None and moment > built.clock.now():
            raise InvalidInput(
                _("bad --at"),
                [_("at: reminders are sent for now or an earlier moment, never ahead of time")],
            )
        channels, directory = _delivery(obj, built)
        result = reminders.run_once(
            built, channels, directory, worker=worker_id(), at=moment, link=obj.settings.case_link
        )
    # Without a directory there is no address at all: "sent" means written to the log.
    found = {**result.as_dict(), "only_logged": obj.settings.directory is None}
    emit(found, as_json, _human_pass)


def _human_pass(r: dict[str, Any]) -> str:
    line = tr(
        _(
            "planned {planned}, sent {sent} (of which {logged} only to the log), failed "
            "{failed}, retrying {retrying}, skipped {skipped}",
            **{k: r[k] for k in ("planned", "sent", "logged", "failed", "retrying", "skipped")},
        )
    )
    if r["only_logged"]:
        line += "\n" + tr(
            _(
                "No directory is set (SAFE_FUTURE_DIRECTORY): the reminders went only to the "
                "log, to nobody's mailbox."
            )
        )
    return line


@app.command("list")
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
    obj = ctx_obj(ctx)
    with errors(as_json):
        rows = reminders.listing(obj.app(), status=status, limit=limit)
    emit(rows, as_json, lambda rs: "\n".join(_human_outbox(r) for r in rs) or tr(_("nothing")))


def _human_outbox(r: dict[str, Any]) -> str:
    state = r["status"] if r["status"] != "pending" or not r["attempts"] else "retrying"
    why = f"  ({r['last_error']})" if r["last_error"] else ""
    case = tr(_("case {case}", case=r["case_id"]))
    return (
        f"{r['id']:>6} {state:<8} {r['attempts']:>2}x {r['channel']:<7} {r['kind']} {r['stage']} "
        f"{case} ({r['organisation']}) -> {r['recipient']}{why}"
    )


@app.command("retry")
def reminders_retry(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...", help="outbox ids (see list)")],
    as_json: JsonOpt = False,
) -> None:
    """Try failed reminders again from now, e.g. after an address was corrected."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        taken = reminders.requeue(obj.app(), ids)
    result = {"requeued": taken, "not_failed": sorted(set(ids) - set(taken))}
    done = _("requeued {requeued}; not failed: {not_failed}", **result)
    emit(result, as_json, lambda r: tr(done))


def _delivery(obj: Ctx, built: App) -> tuple[dict[str, Channel], Directory]:
    channels = build_channels(built.clock)
    directory = Directory.load(obj.settings.directory)
    check_channels(channels, directory)
    return channels, directory


def worker_cmd(
    ctx: typer.Context,
    interval: Annotated[
        float | None, typer.Option("--interval", help="seconds between passes")
    ] = None,
) -> None:
    """Run the reminders worker until stopped (SIGINT/SIGTERM)."""
    obj = ctx_obj(ctx)
    with errors(False):
        built = obj.app()
        built.uow.check_keys()  # a missing or wrong key fails now, not at the first pass
        channels, directory = _delivery(obj, built)
        run_worker(
            built,
            channels,
            directory,
            interval=interval or obj.settings.worker_interval,
            link=obj.settings.case_link,
        )
