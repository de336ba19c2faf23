"""The database, the server and the overdue list: `init-db`, `serve`, `overdue`."""

from __future__ import annotations

from typing import Annotated

import typer

from engine import service
from engine.bootstrap import bootstrap
from engine.cli._common import AtOpt, JsonOpt, ctx_obj, emit, errors
from engine.store import create_schema


def init_db(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Create the tables, or bring an existing database to the newest schema (safe to run
    again; an upgrade keeps every case)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        built = bootstrap(obj.settings)
        revision = create_schema(built.db)
        url = built.db.url.render_as_string(hide_password=True)
    emit(
        {"database": url, "ready": True, "schema": revision},
        as_json,
        lambda v: f"database ready: {v['database']} (schema {v['schema']})",
    )


def overdue_cmd(
    ctx: typer.Context,
    at: AtOpt = None,
    org: Annotated[str | None, typer.Option("--org", help="only this organisation")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Timers past due and steps open longer than expected, most overdue first."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        items = service.overdue(
            obj.app(), service.OverdueQuery(organisation=org, at=obj.moment(at))
        )
    emit(
        items,
        as_json,
        lambda rows: (
            "\n".join(
                f"{r['days_overdue']:>4} days overdue  {r['organisation']:<16} {r['case_id']}  "
                f"{r['kind']:<26} due {r['due_on']}  (in {r['step_label'][obj.lang]})"
                for r in rows
            )
            or "nothing is overdue"
        ),
    )


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
) -> None:
    """Serve the HTTP API (uvicorn) until stopped; OpenAPI at /docs and /openapi.json."""
    import uvicorn

    from engine.api import create_api

    obj = ctx_obj(ctx)
    with errors(False):
        api = create_api(obj.app())
    uvicorn.run(api, host=host, port=port, log_level="warning", proxy_headers=True)
