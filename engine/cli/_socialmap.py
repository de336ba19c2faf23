"""The social map: `safe-future socialmap search|show`, and an administrator's
`add|correct|retire` (audited under the command line's actor)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from engine import socialmap
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, parse_json, tr
from engine.i18n import N_, _, translate
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
    emit(item, as_json, lambda i: tr(_("organisation {id} added to the social map", id=i["id"])))


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
    emit(item, as_json, lambda i: tr(_("organisation {id} corrected", id=i["id"])))


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
        lambda i: translate(
            _("organisation {id} retired", id=i["id"])
            if i["retired"]
            else _("organisation {id} back on the map", id=i["id"]),
            obj.lang,
        ),
    )


@app.command("check")
def check_cmd(
    ctx: typer.Context,
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
        lambda r: translate(
            _(
                "{file}: ok, {n} organisation(s) besides the book's",
                file=r["file"],
                n=r["organisations"],
            ),
            ctx_obj(ctx).lang,
        ),
    )


def _where(item: dict[str, Any], lang: str) -> str:
    if item["country_name"] is not None:
        return f"{item['country']} {item['country_name'].get(lang, item['country'])}"
    return translate(N_("worldwide") if item["worldwide"] else N_("international"), lang)


def _human_list(items: list[dict[str, Any]], lang: str) -> str:
    if not items:
        return translate(_("no organisation on the social map matches"), lang)
    retired = translate(_("  [retired]"), lang)
    lines = [
        f"{i['id']:<36} {_where(i, lang):<28} {i['name']}" + (retired if i["retired"] else "")
        for i in items
    ]
    count = _("{n} organisation(s); `socialmap show ID` for one", n=len(items))
    return "\n".join([*lines, translate(count, lang)])


def human_organisation(item: dict[str, Any], lang: str) -> str:
    """One organisation for people, in the chosen language: the headings padded to one
    width, whatever the language's words."""

    def t(text: str) -> str:
        return translate(text, lang)

    rows: list[tuple[str, str]] = [
        ("id", item["id"]),
        (t(_("kind")), t(socialmap.KIND_LABELS[item["kind"]])),
        (t(_("country")), _where(item, lang)),
    ]
    if item["serves"]:
        rows.append((t(_("serves")), ", ".join(item["serves"])))
    rows.append((t(_("website")), item["website"] or "-"))
    offered = "; ".join(t(socialmap.SERVICE_LABELS[s]) for s in item["services"])
    rows.append((t(_("services")), offered or "-"))
    if item.get("other_services"):
        rows.append((t(_("other services")), item["other_services"]))
    if item.get("description"):
        rows.append((t(_("description")), item["description"]))
    for source in item["sources"]:
        if source.get("bijlage"):
            where = _("Bijlage {bijlage}, book line {line}", bijlage=source["bijlage"],
                      line=source["line"])  # fmt: skip
            rows.append((t(_("source")), t(where)))
        elif source.get("file"):
            rows.append((t(_("source")), source["file"]))
    if item.get("changed"):
        c = item["changed"]
        rows.append((t(_("changed")), t(_("{action} by {who} at {at}", action=c["action"],
                                          who=c["by"], at=c["at"]))))  # fmt: skip
    width = max(len(head) for head, _value in rows) + 2
    head = item["name"] + (t(_("  [retired]")) if item["retired"] else "")
    return "\n".join([head, *(f"  {f'{h}:':<{width}}{value}" for h, value in rows)])
