"""The command line knows the registry (issue 11, points 1 and 5; review finding 7): once
organisations and people are registered, unknown organisations, counsellors and actors are
refused; a change is audited under a registered user or `cli:<login>`; a role prefix grants
nothing; a person's token is never printed to whoever runs the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from engine.store import create_schema
from engine.store._tables import audit
from tests.e2e.test_cli import Cli, base_env, reasons_text

INTAKE = "2026-01-05"


@pytest.fixture
def registered(db_url: str, tmp_path: Path, key_file: Path) -> Cli:
    """A region, a shelter, anna (counsellor) and a system, registered with the command."""
    engine = create_engine(db_url)
    create_schema(engine)
    engine.dispose()
    cli = Cli(
        db_url, tmp_path, base_env(SAFE_FUTURE_ACTOR="cli:ops", SAFE_FUTURE_KEY_FILE=str(key_file))
    )
    cli.ok("org", "add", "noord", "--kind", "region", "--name", "Regio Noord")
    cli.ok("org", "add", "shelter-a", "--kind", "shelter", "--name", "Shelter A",
           "--region", "noord")  # fmt: skip
    cli.ok("user", "add", "anna", "--org", "shelter-a", "--role", "counsellor")
    cli.ok("user", "add", "crm", "--org", "shelter-a", "--role", "counsellor", "--system")
    return cli


def _open(*extra: str) -> list[str]:
    return ["case", "open", "--client", "C-5", "--kind", "trafficking", "--intake", INTAKE,
            *extra]  # fmt: skip


def test_unknown_organisations_and_counsellors_are_refused(registered: Cli) -> None:
    """Review finding 7: `case open --org no-such-org` and an unknown `--counsellor` (at
    opening and on `case assign`) exit 2 naming the field; no case is made."""
    org = registered.refused(*_open("--org", "no-such-org"))
    assert "org: no-such-org is not a registered shelter" in reasons_text(org)
    who = registered.refused(*_open("--org", "shelter-a", "--counsellor", "anne"))
    assert "counsellor: anne is not an active counsellor of shelter-a" in reasons_text(who)
    case = registered.ok(*_open("--org", "shelter-a", "--counsellor", "anna"))
    moved = registered.refused("case", "assign", case["id"], "--counsellor", "anne")
    assert "counsellor: anne is not an active counsellor of shelter-a" in reasons_text(moved)


@pytest.mark.parametrize("actor", ["counsellor:anna2", "partner:someone", "anne", "Anna Smith"])
def test_an_actor_that_is_not_registered_is_refused(registered: Cli, actor: str) -> None:
    """Free text, with or without a role prefix, is no actor: exit 2 naming `actor`."""
    error = registered.refused("--actor", actor, *_open("--org", "shelter-a"))
    assert reasons_text(error).startswith(f"actor: {actor!r} is neither a registered")


@pytest.mark.parametrize(
    ("actor", "audited"),
    [("anna", "person:anna"), ("counsellor:anna", "person:anna"), ("cli:ops", "cli:ops")],
)
def test_a_change_is_audited_under_a_registered_user_or_the_operator(
    registered: Cli, db_url: str, actor: str, audited: str
) -> None:
    """A registered user is audited by her id (a role prefix adds nothing to it); an operator
    name `cli:<login>` as given."""
    case = registered.ok("--actor", actor, *_open("--org", "shelter-a"))
    (event,) = registered.ok("case", "timeline", case["id"])
    engine = create_engine(db_url)
    with engine.connect() as conn:
        opened = conn.execute(
            select(audit.c.actor).where(audit.c.case_id == case["id"], audit.c.action == "open")
        ).scalar_one()
    engine.dispose()
    assert (audited, audited) == (event["actor"], opened)


def test_the_command_issues_no_persons_token(registered: Cli) -> None:
    """`token issue anna` exits 2 pointing to `user enrol`; a system's token is printed;
    `user enrol` without e-mail settings and a public URL says what is missing."""
    error = registered.refused("token", "issue", "anna")
    assert "safe-future user enrol anna" in reasons_text(error)
    assert registered.ok("token", "issue", "crm")["token"].startswith("sfe_")
    assert [
        "directory: no e-mail address for anna under people: in SAFE_FUTURE_DIRECTORY",
        "email: e-mail is not configured (SAFE_FUTURE_SMTP_HOST)",
        "public_url: set SAFE_FUTURE_PUBLIC_URL, the address the link points to",
    ] == registered.refused("user", "enrol", "anna")["reasons"]
