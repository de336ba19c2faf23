"""The social map: `safe-future socialmap search|show`, and an administrator's
`add|correct|retire` (audited under the command line's actor)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from engine import socialmap
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, parse_json
from engine.socialmap import SERVICES, Query

app = typer.Typer(
    no_args_is_help=True,
    help="The social map (book Bijlagen 11-14): organisations abroad by country and service.",
)
_SERVICE_HELP = (
    f"a service it must offer (repeat for several; all must hold): {', '.join(SERVICES)}"
)


@app.command("search")
def search_cmd(
    ctx: typer.Context,
    country: Annotated[
        str | None,
        typer.Option("--country", help="ISO code (NG) or English or Dutch name (Nigeria, Nigerië)"),
    ] = None,
    service: Annotated[list[str] | None, typer.Option("--service", help=_SERVICE_HELP)] = None,
    text: Annotated[str | None, typer.Option("--text", help="words in name or services")] = None,
    retired: Annotated[bool, typer.Option("--retired", help="also retired entries")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Organisations by country, services and words: those based in the country first."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        query = Query(country, tuple(service or ()), text, include_retired=retired)
        items = socialmap.search(obj.app(), query)
    emit(items, as_json, lambda rows: _human_list(rows, obj.lang))


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ORG_ID")],
    as_json: JsonOpt = False,
) -> None:
    """One organisation: country, services, website and where the book names it."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        item = socialmap.show(obj.app(), org_id)
    emit(item, as_json, lambda i: human_organisation(i, obj.lang))


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    data: Annotated[str, typer.Option("--data", help="the organisation as JSON (id, name, ...)")],
    as_json: JsonOpt = False,
) -> None:
    """Put an organisation on the map (administrators; audited)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        item = socialmap.add(obj.app(), parse_json(data), actor=obj.actor)
    emit(item, as_json, lambda i: f"organisation {i['id']} added to the social map")


@app.command("correct")
def correct_cmd(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ORG_ID")],
    data: Annotated[str, typer.Option("--data", help="the fields to change, as JSON")],
    as_json: JsonOpt = False,
) -> None:
    """Correct some fields of an organisation (administrators; audited). The shipped file
    keeps the book's reading; the correction lies over it."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        item = socialmap.correct(obj.app(), org_id, parse_json(data), actor=obj.actor)
    emit(item, as_json, lambda i: f"organisation {i['id']} corrected")


@app.command("retire")
def retire_cmd(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ORG_ID")],
    undo: Annotated[bool, typer.Option("--undo", help="put a retired entry back")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Take an organisation out of searches and suggestions (administrators; audited)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        item = socialmap.retire(obj.app(), org_id, actor=obj.actor, undo=undo)
    emit(
        item,
        as_json,
        lambda i: f"organisation {i['id']} {'retired' if i['retired'] else 'back on the map'}",
    )


@app.command("check")
def check_cmd(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="a shelter's additions file")],
    as_json: JsonOpt = False,
) -> None:
    """Check a shelter's additions file before setting SAFE_FUTURE_SOCIALMAP_FILE to it:
    every entry valid, no contact data, no id of the book's entries."""
    with errors(as_json):
        entries = socialmap.compose(path).entries
    added = [e.org.id for e in entries if e.origin == "shelter"]
    emit(
        {"file": str(path), "organisations": len(added), "ids": added},
        as_json,
        lambda r: f"{r['file']}: ok, {r['organisations']} organisation(s) besides the book's",
    )


def _where(item: dict[str, Any], lang: str) -> str:
    if item["country_name"] is not None:
        return f"{item['country']} {item['country_name'][lang]}"
    return "worldwide" if item["worldwide"] else "international"


def _human_list(items: list[dict[str, Any]], lang: str) -> str:
    if not items:
        return "no organisation on the social map matches"
    lines = [
        f"{i['id']:<36} {_where(i, lang):<28} {i['name']}" + ("  [retired]" if i["retired"] else "")
        for i in items
    ]
    return "\n".join([*lines, f"{len(items)} organisation(s); `socialmap show ID` for one"])


def human_organisation(item: dict[str, Any], lang: str) -> str:
    """One organisation for people, in the chosen language."""
    at = 0 if lang == "nl" else 1
    lines = [
        f"{item['name']}" + ("  [retired]" if item["retired"] else ""),
        f"  id:        {item['id']}",
        f"  kind:      {socialmap.KIND_LABELS[item['kind']][at]}",
        f"  country:   {_where(item, lang)}",
    ]
    if item["serves"]:
        lines.append(f"  serves:    {', '.join(item['serves'])}")
    lines.append(f"  website:   {item['website'] or '-'}")
    lines.append("  services:  " + (
        "; ".join(socialmap.SERVICE_LABELS[s][at] for s in item["services"]) or "-"
    ))  # fmt: skip
    for key in ("other_services", "description"):
        if item.get(key):
            lines.append(f"  {key.replace('_', ' ')}: {item[key]}")
    for source in item["sources"]:
        if source.get("bijlage"):
            lines.append(f"  source:    Bijlage {source['bijlage']}, book line {source['line']}")
        elif source.get("file"):
            lines.append(f"  source:    {source['file']}")
    if item.get("changed"):
        c = item["changed"]
        lines.append(f"  changed:   {c['action']} by {c['by']} at {c['at']}")
    return "\n".join(lines)
