"""The workflow file, the document schemas and the diagram: `workflow …`, `schema`, `diagram`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from engine import service
from engine.cli._common import LANG, JsonOpt, ctx_obj, emit, errors, tr
from engine.clock import SystemClock
from engine.documents import DOCUMENT_MODELS, document_model, document_title, example
from engine.errors import InvalidInput
from engine.i18n import LANGS, _, translate
from engine.rules import GUARDS
from engine.states import (
    Duration,
    Workflow,
    WorkflowSpec,
    dot,
    mermaid,
    read_spec,
    trigger_example,
    trigger_names,
    trigger_schema,
)

app = typer.Typer(no_args_is_help=True, help="Check and explain workflow files.")


def schema_cmd(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Argument(metavar="[KIND]")] = None,
    trigger: Annotated[
        str | None, typer.Option("--trigger", help="a trigger's data instead of a document")
    ] = None,
    triggers: Annotated[
        bool, typer.Option("--triggers", help="list the triggers instead of the document kinds")
    ] = False,
    example_: Annotated[bool, typer.Option("--example", help="a complete valid example")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the document kinds (or the triggers with --triggers), or print the JSON Schema
    (or a valid example) of one document kind, or of one trigger's data with --trigger."""
    if trigger is not None:
        _trigger_schema(ctx, trigger, kind, example_, as_json)
        return
    if triggers:
        wf = Workflow.load(ctx_obj(ctx).settings.workflow)
        emit(trigger_names(wf), as_json, _human_triggers)
        return
    if kind is None:
        kinds = [
            {"kind": name, "title": document_title(model)}
            for name, model in sorted(DOCUMENT_MODELS.items())
        ]
        with errors(as_json):
            emit(kinds, as_json, lambda ks: _human_kinds(ctx, ks))
        return
    with errors(as_json):
        if kind not in DOCUMENT_MODELS:
            raise InvalidInput(
                _("unknown document kind {kind}", kind=repr(kind)),
                [_("kind: must be one of {kinds}", kinds=", ".join(sorted(DOCUMENT_MODELS)))],
            )
        if example_:  # made today, so that it is valid for a case opened today
            tz = Workflow.load(ctx_obj(ctx).settings.workflow).tz
            value = example(kind, SystemClock().now().astimezone(tz).date(), LANG.get())
        else:
            value = document_model(kind).model_json_schema()
            lang = LANG.get()
            if lang != "en":
                labels = Workflow.load(ctx_obj(ctx).settings.workflow).labels
                value = _schema_in(value, lang, translate(labels.get(kind, kind), lang))
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _schema_in(schema: dict[str, Any], lang: str, title: str) -> dict[str, Any]:
    """A document's JSON Schema for a reader of `lang`: the document's label as its
    description, each field's description from the catalogs (as a gap quotes it); the English
    the catalogs do not hold is left out: the models' explanations and the titles pydantic
    makes of the field names (the names themselves are the keys)."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                continue
            if key == "description" and isinstance(value, str):
                said = translate(value.rstrip("."), lang)
                if said != value.rstrip("."):
                    out[key] = said
            elif key in ("properties", "$defs"):  # names, not schema keywords
                out[key] = {name: walk(sub) for name, sub in value.items()}
            else:
                out[key] = walk(value)
        return out

    return {"description": title, **walk(schema)}


def _trigger_schema(
    ctx: typer.Context, trigger: str, kind: str | None, example_: bool, as_json: bool
) -> None:
    with errors(as_json):
        if kind is not None:
            raise InvalidInput(
                _("give a document kind or --trigger, not both"),
                [_("kind: {kind} is a document kind; --trigger asks for a trigger's data",
                   kind=repr(kind))],
            )  # fmt: skip
        wf = Workflow.load(ctx_obj(ctx).settings.workflow)
        if example_:  # fired today
            value = trigger_example(wf, trigger, SystemClock().now().astimezone(wf.tz).date())
        else:
            value = trigger_schema(wf, trigger, LANG.get())
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@app.command("check")
def workflow_check(
    file: Annotated[Path, typer.Argument(metavar="FILE")],
    as_json: JsonOpt = False,
) -> None:
    """Check a workflow file: schema, states, guards, durations, timers, reachability."""
    with errors(as_json):
        spec = read_spec(file)
        Workflow(spec)
    summary = {
        "file": str(file),
        "ok": True,
        "workflow": spec.id,
        "version": spec.version,
        "states": len(spec.care.states) + len(spec.residence.states),
        "timers": len(spec.timers),
        "policy": {name: _policy_words(d, "en") for name, d in spec.policy.items()},
    }
    emit(summary, as_json, lambda s: _human_check(s, spec, LANG.get()))


def _policy_words(entry: Duration | bool, lang: str) -> str:
    if isinstance(entry, bool):
        return translate(_("on") if entry else _("off"), lang)
    return entry.describe(lang)


def _human_check(s: dict[str, Any], spec: WorkflowSpec, lang: str) -> str:
    ok = _("{file}: ok ({states} states, {timers} timers)", file=s["file"], states=s["states"],
           timers=s["timers"])  # fmt: skip
    lines = [tr(ok), tr(_("policy:"))]
    lines += [f"  {name:<28} {_policy_words(entry, lang)}" for name, entry in spec.policy.items()]
    return "\n".join(lines)


def _human_kinds(ctx: typer.Context, kinds: list[dict[str, str]]) -> str:
    """The document kinds with their titles as the workflow file labels them, in `--lang`
    (a kind the workflow does not label keeps its model's English title): one kind a line,
    as the contract has it. Where the triggers are is said on standard error."""
    wf = Workflow.load(ctx_obj(ctx).settings.workflow)
    labels = {kind: doc.label for kind, doc in wf.spec.documents.items()}
    typer.echo(tr(_("the triggers: safe-future schema --triggers")), err=True)
    return "\n".join(f"{k['kind']:<20} {tr(labels.get(k['kind'], k['title']))}" for k in kinds)


def _human_triggers(triggers: list[dict[str, str]]) -> str:
    """The triggers with their labels in `--lang`, and how to ask for the data of one."""
    lines = [f"{t['trigger']:<24} {tr(t['label'])}" for t in triggers]
    return "\n".join([*lines, "", tr(_("their data: safe-future schema --trigger TRIGGER"))])


@app.command("guards")
def workflow_guards() -> None:
    """List the guards a workflow file may name, with what each checks."""
    for name, spec in sorted(GUARDS.items()):
        params = ", ".join(spec.params.model_fields) or "-"
        typer.echo(f"{name:<24} params: {params}\n    {' '.join(spec.doc.split())}")


@app.command("diagram")
def diagram_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="mermaid or dot")] = "mermaid",
    lang: Annotated[
        str | None, typer.Option("--lang", help="the labels' language (default: the global --lang)")
    ] = None,
    case_id: Annotated[
        str | None, typer.Option("--case", help="highlight this case's current steps")
    ] = None,
) -> None:
    """Draw the workflow, to lay beside Bijlage 2."""
    obj = ctx_obj(ctx)
    lang = lang or obj.lang
    with errors(False):
        if fmt not in ("mermaid", "dot") or lang not in LANGS:
            raise InvalidInput(
                _("bad option"),
                [_("format: mermaid or dot; lang: {langs}", langs=" or ".join(LANGS))],
            )
        spec = read_spec(obj.settings.workflow) if obj.settings.workflow else Workflow.load().spec
        highlight: list[str] = []
        if case_id:
            view = service.show(obj.app(), case_id, actor=obj.actor)
            highlight = [view["state"], view["residence_state"]]
    draw = mermaid if fmt == "mermaid" else dot
    typer.echo(draw(spec, lang, highlight), nl=False)
