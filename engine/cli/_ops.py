"""The database and the server: `init-db`, `serve` (`overdue` is in `_overview`)."""

from __future__ import annotations

import socket
from typing import Annotated, Any

import typer

from engine import keys
from engine.bootstrap import bootstrap
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, say, tr
from engine.errors import InvalidInput
from engine.i18n import _
from engine.store import create_schema


def init_db(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Create the tables, or bring an existing database to the newest schema (safe to run
    again; an upgrade keeps every case and seals what was stored in clear). Without keys set,
    it makes a key file (mode 0600) beside an SQLite database and says where."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        built = bootstrap(obj.settings)
        made = keys.prepare_key_file(built)
        revision = create_schema(built.db, built.uow.codec)
        built.uow.check_keys()
        url = built.db.url.render_as_string(hide_password=True)
    emit(
        {"database": url, "ready": True, "schema": revision,
         "key_file_created": None if made is None else str(made)},
        as_json,
        lambda v: say(obj, _human_init(v)),
    )  # fmt: skip


def _human_init(v: dict[str, Any]) -> list[str]:
    ready = _("database ready: {url} (schema {schema})", url=v["database"], schema=v["schema"])
    if not v["key_file_created"]:
        return [ready]
    made = _(
        "encryption key created: {file} (owner-only, 0600): keep a copy apart from the "
        "database backups; without it the data cannot be read",
        file=v["key_file_created"],
    )
    return [ready, made]


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on (0: any free one)")] = 8000,
) -> None:
    """Serve the HTTP API (uvicorn) until stopped; pages at /ui, OpenAPI at /docs and
    /openapi.json. Says where it listens once the port is bound."""
    import uvicorn

    from engine.api import create_api

    obj = ctx_obj(ctx)
    with errors(False):
        built = obj.app()
        built.uow.check_keys()  # a missing or wrong key fails now, not at the first request
        api = create_api(built)
        listening = _bind(host, port)
    url = _url(host, listening.getsockname()[1])
    typer.echo(tr(_("listening on {url} — pages at {url}/ui, API docs at {url}/docs", url=url)))
    # uvicorn's proxy headers would believe X-Forwarded-For from 127.0.0.1; the rate limits
    # read it only from SAFE_FUTURE_TRUSTED_PROXIES (engine.throttle.client_address).
    config = uvicorn.Config(api, log_level="warning", proxy_headers=False)
    uvicorn.Server(config).run(sockets=[listening])


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is said, so the line names the real port
    (also for --port 0) and a port in use is an error naming it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InvalidInput(
            _("cannot listen on {host} port {port}", host=host, port=port),
            [_("--host/--port: {why}", why=exc.strerror or str(exc))],
        ) from None
    sock.listen(2048)  # connections wait from the moment the line says it listens
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
