"""Reading a case back on the command line: `case document` (a document with its labels) and
the timeline in words, its times local in the workflow's time zone."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from engine import service
from engine.cli._common import JsonOpt, ctx_obj, emit, errors
from engine.clock import local_minute
from engine.i18n import _, translate
from engine.states import Workflow
from engine.views import EVENTS


def case_document(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    kind: Annotated[str, typer.Argument(metavar="KIND", help="a document kind, e.g. safety_plan")],
    version: Annotated[
        int | None, typer.Option("--version", help="the version to read (default: the latest)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a document (the latest version or the one asked for) with its labels."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        found = service.document(obj.app(), case_id, kind, actor=obj.actor, version=version)
    emit(found, as_json, lambda doc: human_document(doc, obj.app().workflow, obj.lang))


def human_document(doc: dict[str, Any], wf: Workflow, lang: str) -> str:
    """A document for people: a header saying what, which version, who and when (local
    time), then each field's label and answer, parts indented."""
    from engine.export import readable

    def t(text: str) -> str:
        return translate(text, lang)

    label = t(wf.labels.get(doc["kind"], doc["kind"]))
    of = _("version {n} of {latest}", n=doc["version"], latest=doc["latest"])
    when = _(
        "by {actor}; happened {happened}, recorded {recorded} ({zone})",
        actor=doc["actor"],
        happened=local_minute(doc["happened_at"], wf.tz),
        recorded=local_minute(doc["recorded_at"], wf.tz),
        zone=wf.tz.key,
    )
    lines = [f"{label} ({doc['kind']}), {t(of)}", f"  {t(when)}", ""]
    for line in readable(doc["kind"], doc["data"], lang, words={**wf.labels, **wf.timer_names}):
        indent = "  " * line.depth
        if line.text is None:
            lines.append(f"{indent}{line.label}")
        else:
            colon = " " if line.label.endswith(("?", ".")) else ": "
            lines.append(f"{indent}{line.label}{colon}{line.text}")
    return "\n".join(lines)


def human_timeline(events: list[dict[str, Any]], wf: Workflow, lang: str) -> str:
    """The timeline for people: when it happened and when it was recorded (local time), what
    happened in words (the workflow's ids beside them), and who."""

    def t(text: str) -> str:
        return translate(text, lang)

    head = [t(_("happened")), t(_("recorded")), t(_("event")), t(_("by"))]
    zone = t(_("(times in {zone})", zone=wf.tz.key))
    tz = wf.tz
    rows = [(str(e["seq"]), local_minute(e["happened_at"], tz), local_minute(e["recorded_at"], tz),
             _what(e, wf, lang), e["actor"]) for e in events]  # fmt: skip
    width = max([len(head[2]), *(len(r[3]) for r in rows)])
    lines = [f"{'#':>3}  {head[0]:<16}  {head[1]:<16}  {head[2]:<{width}}  {head[3]}   {zone}"]
    lines += [f"{s:>3}  {h:<16}  {r:<16}  {w:<{width}}  {a}" for s, h, r, w, a in rows]
    return "\n".join(lines)


def _what(e: dict[str, Any], wf: Workflow, lang: str) -> str:
    """What an event did, in words: a recorded document by its kind (and which contact it
    was), a trigger by its label, the step it led to."""

    def t(text: str) -> str:
        return translate(text, lang)

    data, trigger = e["data"], e["trigger"]
    if trigger == "record" and data.get("kind"):
        kind = data["kind"]
        what = f"{t(wf.labels.get(kind, kind))} ({kind})"
        if data.get("about"):
            what += f": {t(wf.timer_names.get(data['about'], data['about']))}"
        version = t(_("version {n}", n=data["version"])) if data.get("version") else ""
        return f"{t(EVENTS['record'])}: {what}" + (f", {version}" if version else "")
    if trigger in EVENTS:
        what = t(EVENTS[trigger])
    elif trigger in wf.trigger_labels:
        what = f"{wf.trigger_labels[trigger][lang]} ({trigger})"
    else:  # a trigger a newer workflow file dropped
        what = trigger
    to = e.get("to_state")
    if to and to != e.get("from_state") and to in wf.state_labels:
        what += f" → {wf.state_labels[to][lang]}"
    return what
