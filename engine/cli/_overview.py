"""The coordinator's lists on the command line: `overdue` (people's lines, JSON or CSV) and
`overview` (deadlines coming up, cases without a counsellor, open cases per step and
shelter)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer

from engine import accounts, service
from engine.cli._common import AtOpt, JsonOpt, ctx_obj, emit, errors
from engine.domain import short_id
from engine.i18n import _, translate
from engine.overdue_csv import overdue_csv

OrgOpt = Annotated[str | None, typer.Option("--org", help="only this organisation")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="only the shelters of this region")]


def overdue_cmd(
    ctx: typer.Context,
    at: AtOpt = None,
    org: OrgOpt = None,
    region: RegionOpt = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="only this timer kind or step_overdue (repeatable)"),
    ] = None,
    format: Annotated[
        Literal["text", "json", "csv"],
        typer.Option("--format", help="text for people, json, or csv for a spreadsheet"),
    ] = "text",
    as_csv: Annotated[bool, typer.Option("--csv", help="the same as --format csv")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Timers past due and steps open longer than expected, most overdue first, each with
    the documents its step still misses."""
    obj = ctx_obj(ctx)
    chosen = "json" if as_json else "csv" if as_csv else format
    with errors(chosen == "json"):
        app = obj.app()
        query = service.OverdueQuery(
            organisation=org,
            region=region,
            kinds=frozenset(kind) if kind else None,
            at=obj.moment(at),
        )
        items = service.overdue(app, query, actor=obj.actor)
        if chosen == "csv":
            names = {o["id"]: o["name"] for o in accounts.organisations(app)}
            typer.echo(overdue_csv(items, obj.lang, names), nl=False)
            return
    emit(
        items,
        chosen == "json",
        lambda rows: (
            "\n".join(_human_overdue(r, obj.lang) for r in rows)
            or translate(_("nothing is overdue"), obj.lang)
        ),
    )


def _human_overdue(r: dict[str, Any], lang: str) -> str:
    days = f"{r['days_overdue']:>4}"
    many = translate(_("{n} days overdue", n=days), lang)
    one = translate(_("{n} day overdue", n=days), lang)  # padded to keep the columns
    late = one.ljust(len(many)) if r["days_overdue"] == 1 else many
    due = translate(_("due {day}", day=r["due_on"]), lang)
    where = translate(_("(in {step})", step=r["step_label"][lang]), lang)
    what = f"{r['label'][lang]} ({r['kind']})"  # the label; the id for `--kind`
    line = f"{late}  {r['organisation']:<16} {r['case_id']}  {what}  {due}  {where}"
    return line + _missing_line(r["missing"], lang)


def _missing_line(missing: list[dict[str, Any]], lang: str) -> str:
    if not missing:
        return ""
    kinds = ", ".join(m["label"][lang] for m in missing)
    return "\n      " + translate(_("still missing: {kinds}", kinds=kinds), lang)


def overview_cmd(
    ctx: typer.Context,
    weeks: Annotated[
        int, typer.Option("--weeks", help="how many weeks ahead to list deadlines (1-52)")
    ] = 2,
    at: AtOpt = None,
    org: OrgOpt = None,
    region: RegionOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open cases per shelter and step, deadlines coming up in the next weeks and open cases
    without a counsellor."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        app = obj.app()
        query = service.OverviewQuery(org, region, weeks, obj.moment(at))
        view = service.overview(app, query, actor=obj.actor)
        names = {o["id"]: o["name"] for o in accounts.organisations(app)}
    emit(view, as_json, lambda v: _human_overview(v, obj.lang, names))


def _human_overview(v: dict[str, Any], lang: str, names: dict[str, str]) -> str:
    def t(text: str) -> str:
        return translate(text, lang)

    lines = [
        t(_("Overview on {day}", day=v["as_of"])),
        "",
        t(_("Open cases per shelter and step:")),
    ]
    per_org: dict[str, list[dict[str, Any]]] = {}
    for c in v["counts"]:
        per_org.setdefault(c["organisation"], []).append(c)
    for org, rows in per_org.items():
        total = sum(r["open"] for r in rows)
        lines.append(f"  {names.get(org, org)} ({org}): {total}")
        lines += [f"    {r['open']:>4}  {_step(r, lang)}" for r in rows]
    if not per_org:
        lines.append("  " + t(_("no open cases")))
    lines += ["", t(_("Deadlines in the next {n} weeks:", n=v["weeks"]))]
    for r in v["upcoming"]:
        padded = f"{r['days_left']:>3}"
        left = t(_("in {n} days", n=padded))
        due = t(_("due {day}", day=r["due_on"]))
        lines.append(
            f"  {left}  {due}  {r['organisation']:<16} {short_id(r['case_id'])}  {r['label'][lang]}"
            + _missing_line(r["missing"], lang)
        )
    if not v["upcoming"]:
        lines.append("  " + t(_("none")))
    lines += ["", t(_("Open cases without a counsellor:"))]
    for r in v["without_counsellor"]:
        waiting = t(_("waiting {n} days", n=r["days_waiting"]))
        lines.append(
            f"  {short_id(r['case_id'])}  {r['organisation']:<16} {_step(r, lang)}  {waiting}"
        )
    if not v["without_counsellor"]:
        lines.append("  " + t(_("none")))
    return "\n".join(lines)


def _step(r: dict[str, Any], lang: str) -> str:
    label = r["step_label"].get(lang, r["state"])
    return (
        translate(_("step {n}: {label}", n=r["step_number"], label=label), lang)
        if r["step_number"]
        else label
    )
