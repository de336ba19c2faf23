"""`safe-future case …`: open, change and read one case."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from engine import service
from engine.cli._common import AtOpt, JsonOpt, ctx_obj, emit, errors, parse_json, say
from engine.cli._find import case_list
from engine.cli._reading import case_document, human_timeline
from engine.errors import InvalidInput
from engine.i18n import _

app = typer.Typer(no_args_is_help=True, help="Open, change and read one case.")


@app.command("open")
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
    obj = ctx_obj(ctx)
    with errors(as_json):
        try:
            intake_on = date.fromisoformat(intake)
        except ValueError:
            raise InvalidInput(
                _("bad --intake"),
                [_("intake: {intake} is not a date (YYYY-MM-DD)", intake=repr(intake))],
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
    emit(view, as_json, obj.human_case)


@app.command("assign")
def case_assign(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    counsellor: Annotated[str, typer.Option("--counsellor", help="the counsellor's user id")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a case to a (new) counsellor; her reminders follow."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        view = service.assign(obj.app(), case_id, counsellor, actor=obj.actor, at=obj.moment(at))
    emit(view, as_json, obj.human_case)


@app.command("fire")
def case_fire(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    trigger: Annotated[str, typer.Argument(metavar="TRIGGER")],
    data: Annotated[
        str | None,
        typer.Option("--data", help="the trigger's data as JSON (`safe-future schema --trigger`)"),
    ] = None,
    documents: Annotated[
        str | None,
        typer.Option(
            "--documents",
            help='documents to record with it, in one go, as JSON {"KIND": DATA, ...}',
        ),
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fire a trigger on a case (e.g. complete, choose_return, depart); with --documents the
    step's documents are recorded in the same transaction, or none when it is refused."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        view = service.fire(
            obj.app(), case_id, trigger, parse_json(data), actor=obj.actor, at=obj.moment(at),
            documents=parse_json(documents, option="documents"),
        )  # fmt: skip
    emit(view, as_json, obj.human_case)


@app.command("record")
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
    obj = ctx_obj(ctx)
    with errors(as_json):
        view = service.record(
            obj.app(), case_id, kind, parse_json(data), actor=obj.actor, at=obj.moment(at)
        )
    emit(view, as_json, obj.human_case)


@app.command("show")
def case_show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a case: its steps, what is allowed next and why not, its timers and documents."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        view = service.show(obj.app(), case_id, actor=obj.actor, at=obj.moment(at))
    emit(view, as_json, obj.human_case)


@app.command("timeline")
def case_timeline(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    as_json: JsonOpt = False,
) -> None:
    """Every event of a case: what, who, when it happened and when it was recorded."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        events = service.timeline(obj.app(), case_id, actor=obj.actor)
    emit(events, as_json, lambda evs: human_timeline(evs, obj.app().workflow, obj.lang))


app.command("document")(case_document)
app.command("list")(case_list)


@app.command("export")
def case_export(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    kind: Annotated[str, typer.Argument(metavar="KIND", help="return_plan or risk_update")],
    fmt: Annotated[str, typer.Option("--format", help="pdf|html")] = "pdf",
    lang: Annotated[
        str | None, typer.Option("--lang", help="en|nl (default: the global --lang)")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="the file to write")] = None,
    client_copy: Annotated[
        bool, typer.Option("--client-copy", help="the client's own copy, with her reference")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export a document as the book's form: HTML, or PDF/A for the archive. Without --out,
    HTML goes to standard output; a PDF only when that is not a terminal."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        from engine import export  # jinja2 and WeasyPrint: only for this command

        export.form(kind)  # the options first: they are what is wrong, not a missing --out
        export.check_options(fmt, lang or obj.lang)
        if out is None and (as_json or (fmt == "pdf" and sys.stdout.isatty())):
            what = "the export's details" if as_json else "a PDF"
            raise InvalidInput(
                _("give --out FILE"),
                [_("out: {what} needs a file to write the export to", what=what)],
            )
        made = service.export(
            obj.app(), case_id, kind, actor=obj.actor, format=fmt, lang=lang or obj.lang,
            client_copy=client_copy,
        )  # fmt: skip
        if out is not None:
            _write_private(out, made.content)
    if out is None:
        sys.stdout.buffer.write(made.content)
        sys.stdout.flush()
        return
    details = {"file": str(out), "filename": made.filename, "media_type": made.media_type,
               "bytes": len(made.content)}  # fmt: skip
    wrote = _("wrote {file} ({n} bytes)", file=details["file"], n=details["bytes"])
    emit(details, as_json, lambda d: say(obj, [wrote]))


def _write_private(path: Path, content: bytes) -> None:
    """Write the export readable by its owner only: it is special-category personal data."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(content)
    except OSError as exc:
        raise InvalidInput(_("cannot write the export"), [f"out: {exc.strerror}: {path}"]) from None
