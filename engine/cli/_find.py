"""`safe-future case list`: find cases again by organisation, counsellor, step, client file
number, open or closed; most urgent first."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from engine import service
from engine.cli._common import JsonOpt, ctx_obj, emit, errors
from engine.errors import InvalidInput
from engine.i18n import N_, _, translate

# The table's columns: heading, and the cell of an item in a language.
_HEADINGS = {
    "case": N_("CASE"),
    "client": N_("CLIENT"),
    "organisation": N_("ORGANISATION"),
    "counsellor": N_("COUNSELLOR"),
    "step": N_("STEP"),
    "next": N_("NEXT DEADLINE"),
    "due": N_("DUE"),
}


def case_list(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="only this organisation")] = None,
    counsellor: Annotated[
        str | None, typer.Option("--counsellor", help="only this counsellor's cases (user id)")
    ] = None,
    state: Annotated[
        str | None, typer.Option("--state", help="a step id or a residence state id")
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="the client's file number (reference)")
    ] = None,
    only_open: Annotated[bool, typer.Option("--open", help="only open cases")] = False,
    only_closed: Annotated[bool, typer.Option("--closed", help="only closed cases")] = False,
    limit: Annotated[int, typer.Option("--limit", help="at most this many cases")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List cases, open ones most urgent first (by their next due day), then closed ones."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        if only_open and only_closed:
            raise InvalidInput(
                _("bad filter"), [_("open, closed: give one of --open and --closed, not both")]
            )
        closed = True if only_closed else False if only_open else None
        query = service.CaseQuery(org, counsellor, state, client, closed)
        page = service.list_cases(obj.app(), query, actor=obj.actor, limit=limit)
    items = page["items"]
    if as_json:
        emit(items, True, str)
        return
    typer.echo(human_list(items, obj.lang))
    if page["next"] is not None:
        more = _("more cases than --limit {n}: narrow the filters or raise --limit", n=limit)
        typer.echo(translate(more, obj.lang))


def human_list(items: list[dict[str, Any]], lang: str) -> str:
    """The cases as a table with headings in `lang`; "no cases" when there are none."""
    if not items:
        return translate(_("no cases"), lang)
    rows = [_cells(item, lang) for item in items]
    columns = [c for c in _HEADINGS if any(row.get(c) for row in rows)]
    table = [[translate(_HEADINGS[c], lang) for c in columns]]
    table += [[row.get(c, "") for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def _cells(item: dict[str, Any], lang: str) -> dict[str, str]:
    step = f"{item['step']} " if item["step"] else ""
    cells = {
        "case": item["short_id"],
        "client": item.get("client_ref") or "",
        "organisation": item["organisation"],
        "counsellor": item["counsellor"] or "-",
        "step": step + item["state_label"][lang],
    }
    if item["closed"]:
        cells["next"] = translate(_("closed"), lang)
        return cells
    deadline = item["next_deadline"]
    if deadline is not None:
        cells["next"] = deadline["label"][lang]
        late = deadline["days_overdue"]
        when = _("{day}, {n} days overdue", day=deadline["due_on"], n=late) if late else None
        cells["due"] = translate(when, lang) if when else deadline["due_on"]
    return cells
