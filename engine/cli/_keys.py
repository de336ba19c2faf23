"""The encryption keys: `keys add`, `keys rotate`, `keys status`, `keys remove`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from engine import keys
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, tr
from engine.crypto import key_line, new_key_id
from engine.i18n import _

app = typer.Typer(no_args_is_help=True, help="Encryption keys: add one, rotate to it, status.")


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    key_id: Annotated[str | None, typer.Option("--id", help="key id; default k<UTC time>")] = None,
    print_only: Annotated[
        bool,
        typer.Option(
            "--print", help="print a new `ID:SECRET` for SAFE_FUTURE_KEYS; change nothing"
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a new key at the end of the key file: from the next start it seals new data.
    Then run `keys rotate` to re-seal what is there."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        if print_only:
            typer.echo(key_line(key_id or new_key_id()).replace(" ", ":", 1))
            return
        added = keys.add_key(obj.app(), key_id)
    emit(added, as_json, lambda v: tr(_("key {key} added to {file}; now run "
                                        "`safe-future keys rotate`",
                                        key=v["added"], file=v["key_file"])))  # fmt: skip


@app.command("rotate")
def rotate_cmd(
    ctx: typer.Context,
    batch: Annotated[int, typer.Option("--batch", help="rows per transaction")] = 500,
    as_json: JsonOpt = False,
) -> None:
    """Re-seal everything with the newest key, batch by batch (each committed: safe to stop
    and run again). Older keys are retired when nothing is sealed with them any more."""
    obj = ctx_obj(ctx)

    def progress(table: str, rows: int) -> None:
        if not as_json:
            typer.echo(
                f"  {tr(_('{table}: {rows} rows re-sealed', table=table, rows=rows))}", err=True
            )

    with errors(as_json):
        done = keys.rotate(obj.app(), batch=batch, progress=progress)
    emit(done, as_json, _human_rotation)
    if not done["done"]:
        raise typer.Exit(1)


def _human_rotation(v: dict[str, Any]) -> str:
    counts = ", ".join(f"{n} {t}" for t, n in v["resealed"].items())
    if not v["done"]:
        return tr(_("re-sealed {counts} with key {key}; {left} rows changed meanwhile: run again",
                    counts=counts, key=v["key"], left=v["left"]))  # fmt: skip
    done = tr(_("re-sealed {counts} with key {key}; nothing is left under older keys",
                counts=counts, key=v["key"]))  # fmt: skip
    if not v["retired"]:
        return done
    return f"{done}; {tr(_('retired: {keys}', keys=', '.join(v['retired'])))}"


@app.command("status")
def status_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The keys in the ring and in the database, and what still waits for `keys rotate`."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        found = keys.status(obj.app())
    emit(found, as_json, _human_status)


def _human_status(v: dict[str, Any]) -> str:
    ring = _("ring ({source}): {ring}; newest (seals): {newest}",
             source=v["source"], ring=", ".join(v["ring"]), newest=v["newest"])  # fmt: skip
    keys_in_db = [
        _("database key {key}: added {added}, retired {retired}",
          key=k["id"], added=k["added_at"], retired=k["retired_at"]) if k["retired_at"]
        else _("database key {key}: added {added}, in use", key=k["id"], added=k["added_at"])
        for k in v["database"]
    ]  # fmt: skip
    left = _("rows under older keys: {n}", n=v["rows_under_older_keys"])
    return "\n".join(tr(line) for line in [ring, *keys_in_db, left])


@app.command("remove")
def remove_cmd(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="the retired key's id")],
    as_json: JsonOpt = False,
) -> None:
    """Take a retired key out of the key file (refused while data is sealed with it)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        removed = keys.remove(obj.app(), key_id)
    emit(
        removed,
        as_json,
        lambda v: tr(_("key {key} removed from {file}", key=v["removed"], file=v["key_file"])),
    )
