"""`safe-future audit verify` and `audit show` as a shelter's security officer runs them: the
real console script against the test database, tampered with plain SQL in between."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.e2e.test_cli import ACTOR, Cli, open_case


def _sql(db_url: str, statement: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_verify_exits_0_when_intact_and_1_naming_each_break(ready: Cli, db_url: str) -> None:
    """Intact: exit 0 and ok; after the review's edits: exit 1, each case and seq named, in
    JSON and in words; --case checks one case only."""
    first, second = open_case(ready)["id"], open_case(ready, client="A-18")["id"]
    ready.ok("case", "show", first)
    intact = ready.run("audit", "verify", "--json")
    assert (0, {"ok": True, "checked": 5, "broken": []}) == (intact.code, intact.json)
    _sql(db_url, f"UPDATE audit SET actor = 'person:nobody' WHERE case_id = '{first}'")
    _sql(db_url, f"UPDATE events SET actor = 'person:ghost' WHERE case_id = '{first}'")
    broken = ready.run("audit", "verify", "--json")
    assert 1 == broken.code
    assert [(first, 1, "event changed (hash does not match)"),
            (first, 1, "audit row changed (hash does not match)"),
            (first, 2, "audit row changed (hash does not match)")] == [
        (b["case_id"], b["seq"], b["what"]) for b in broken.json["broken"]
    ]  # fmt: skip
    words = ready.run("audit", "verify")
    assert (1, f"case {first} seq 2: audit row changed") == (
        words.code, words.out.splitlines()[2].split(" (")[0]
    )  # fmt: skip
    assert 0 == ready.run("audit", "verify", "--case", second).code


def test_show_lists_who_read_or_changed_a_case_without_contents(ready: Cli) -> None:
    """`audit show CASE --json`: seq, at, actor, action for each read and change."""
    case_id = open_case(ready)["id"]
    ready.ok("case", "show", case_id)
    rows = ready.ok("audit", "show", case_id)
    assert [(1, ACTOR, "open"), (2, ACTOR, "read")] == [
        (r["seq"], r["actor"], r["action"]) for r in rows
    ]
    assert {"seq", "at", "actor", "action"} == set(rows[0])
