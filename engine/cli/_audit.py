"""`safe-future audit …`: check the hash chains of the history, and show who read or changed
a case file and when (never its contents)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from engine import audit
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, tr
from engine.i18n import _

app = typer.Typer(no_args_is_help=True, help="Check and read the audit trail.")


@app.command("verify")
def verify(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Option("--case", help="check this case only")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check every case's event and audit chains (or one case's): exit 0 when intact,
    exit 1 naming each broken case and seq."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        report = audit.verify(obj.app(), case, actor=obj.actor)
    emit(report, as_json, _human_report)
    if not report["ok"]:
        raise typer.Exit(1)


@app.command("show")
def show(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="the case id")],
    as_json: JsonOpt = False,
) -> None:
    """Who read or changed the case, when (action names only, no contents)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        rows = audit.trail(obj.app(), case, actor=obj.actor)
    emit(rows, as_json, lambda rs: "\n".join(_human_row(r) for r in rs) or tr(_("no audit rows")))


def _human_report(report: dict[str, Any]) -> str:
    lines = [
        tr(_("case {case} seq {seq}: {what}", case=b["case_id"], seq=b["seq"], what=b["what"]))
        for b in report["broken"]
    ]
    broken = _("BROKEN in {n} places", n=len(report["broken"]))
    verdict = tr(_("intact") if report["ok"] else broken)
    return "\n".join([*lines, tr(_("{n} rows checked: {verdict}", n=report["checked"],
                                    verdict=verdict))])  # fmt: skip


def _human_row(r: dict[str, Any]) -> str:
    return f"{r['seq']:>6}  {r['at']}  {r['actor']:<24} {r['action']}"
