"""Accounts: `safe-future org …`, `user …` and `token …`. Each is audited under the
command line's actor (`--actor`: a registered user, or `cli:<login>`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from engine import accounts, enrolment
from engine.access import ROLES
from engine.bootstrap import build_channels
from engine.cli._common import JsonOpt, ctx_obj, emit, errors, tr
from engine.directory import Directory
from engine.i18n import N_, Message, _

org_app = typer.Typer(no_args_is_help=True, help="Organisations: shelters, partners, regions.")
user_app = typer.Typer(no_args_is_help=True, help="People and systems with a role.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens: issue, list, revoke.")


@org_app.command("add")
def org_add(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID")],
    kind: Annotated[str, typer.Option("--kind", help="shelter|partner|region")],
    name: Annotated[str, typer.Option("--name", help="the organisation's name")],
    region: Annotated[str | None, typer.Option("--region", help="a shelter's region")] = None,
    socialmap_id: Annotated[
        str | None, typer.Option("--socialmap", help="a partner's entry on the social map")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Register an organisation."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        row = accounts.add_organisation(
            obj.app(),
            org_id,
            kind=kind,
            name=name,
            region=region,
            socialmap_id=socialmap_id,
            actor=obj.actor,
        )
    emit(
        row,
        as_json,
        lambda r: tr(_("organisation {id} ({kind}) added", id=r["id"], kind=r["kind"])),
    )


@org_app.command("link")
def org_link(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID")],
    socialmap_id: Annotated[
        str | None,
        typer.Option("--socialmap", help="its entry on the social map; leave out to unlink"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Point a partner organisation at its entry on the social map (audited)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        row = accounts.link_socialmap(obj.app(), org_id, socialmap_id, actor=obj.actor)
    emit(row, as_json, lambda r: tr(_("organisation {id} -> {entry}", id=r["id"],
                                       entry=r["socialmap_id"] or _("no entry"))))  # fmt: skip


@org_app.command("list")
def org_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The registered organisations."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        rows = accounts.organisations(obj.app())
    emit(rows, as_json, lambda rs: "\n".join(map(_human_org, rs)) or tr(_NO_ORGS))


_NO_ORGS = _(
    "no organisations registered; add one with "
    "`safe-future org add ID --kind shelter|partner|region --name NAME`"
)


def _human_org(r: dict[str, Any]) -> str:
    where = r["region"] or r["socialmap_id"] or "-"
    return f"{r['id']:<24} {r['kind']:<8} {where:<20} {r['name']}"


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="ID", help="a user id, never a name")],
    org: Annotated[str, typer.Option("--org", help="her organisation")],
    role: Annotated[str, typer.Option("--role", help="counsellor|coordinator|partner|admin")],
    system: Annotated[bool, typer.Option("--system", help="a system, not a person")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Register a person or a system with one role at one organisation."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        row = accounts.add_user(
            obj.app(),
            user_id,
            organisation=org,
            role=role,
            kind="system" if system else "person",
            actor=obj.actor,
        )
    emit(row, as_json, _human_user_added)


def _human_user_added(r: dict[str, Any]) -> str:
    return tr(_("{kind} {id} ({role} at {org}) added", kind=Message(_KINDS[r["kind"]]),
                id=r["id"], role=r["role"], org=r["organisation"]))  # fmt: skip


@user_app.command("list")
def user_list(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="only this organisation's")] = None,
    role: Annotated[
        str | None, typer.Option("--role", help=f"only this role: {'|'.join(ROLES)}")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The registered people and systems (never their tokens), as GET /users gives them."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        rows = accounts.find_users(obj.app(), organisation=org, role=role)
    emit(rows, as_json, lambda rs: "\n".join(map(_human_user, rs)) or tr(_NO_USERS))


_NO_USERS = _("no users found; add one with `safe-future user add ID --org ORG --role ROLE`")


def _human_user(r: dict[str, Any]) -> str:
    inactive = "" if r["active"] else "  " + tr(_("deactivated"))
    return (
        f"{r['id']:<24} {r['role']:<12} {r['organisation']:<24} {tr(_KINDS[r['kind']])}{inactive}"
    )


_KINDS = {"person": N_("person"), "system": N_("system")}


@user_app.command("deactivate")
def user_deactivate(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Deactivate a user: her tokens stop working at once."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        accounts.set_active(obj.app(), user_id, False, actor=obj.actor)
    emit(
        {"user": user_id, "active": False},
        as_json,
        lambda r: tr(_("{user} deactivated", user=r["user"])),
    )


@user_app.command("enrol")
def user_enrol(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Send a person her one-time enrolment link, by e-mail to her own address in the
    directory (SAFE_FUTURE_DIRECTORY); she redeems it for her token. Never shows the link."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        app = obj.app()
        sent = enrolment.send_link(
            app,
            user_id,
            issuer=obj.actor,
            channel=build_channels(app.clock).get("email"),
            directory=Directory.load(app.settings.directory),
        )
    emit(sent, as_json, lambda r: tr(_("enrolment link sent to {user}, works until {until}",
                                       user=r["user_id"], until=r["expires_at"])))  # fmt: skip


@token_app.command("issue")
def token_issue(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="USER")],
    label: Annotated[str | None, typer.Option("--label", help="what it is for")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue a system's API token; its secret is printed this once and kept nowhere.
    A person gets hers through `user enrol`."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        made = accounts.issue_token(obj.app(), user_id, issuer=obj.actor, label=label)
    emit(made, as_json, lambda r: tr(_("token {id} for {user}: {secret}", id=r["id"],
                                       user=r["user_id"], secret=r["token"])))  # fmt: skip


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(metavar="USER")],
    as_json: JsonOpt = False,
) -> None:
    """A user's tokens (never their secrets)."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        rows = [
            {k: v.isoformat() if isinstance(v, datetime) else v for k, v in r.items()}
            for r in accounts.tokens(obj.app(), user_id)
        ]
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['id']:>5} {r['purpose']:<8} {r['label'] or '-':<20} "
        + tr(_("created {day}", day=r["created_at"][:10]))
        + (f"  {tr(_('REVOKED'))}" if r["revoked_at"] else "") for r in rs))  # fmt: skip


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke a token; requests with it are refused from now on."""
    obj = ctx_obj(ctx)
    with errors(as_json):
        accounts.revoke_token(obj.app(), token_id, actor=obj.actor)
    emit(
        {"token": token_id, "revoked": True},
        as_json,
        lambda r: tr(_("token {id} revoked", id=r["token"])),
    )
