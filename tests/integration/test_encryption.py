"""Encryption at rest: the database files hold no client reference and no document text, on
SQLite and PostgreSQL; lookups by client reference still work; a wrong or missing key is a
clear error; keys rotate resumably; an old database is sealed on upgrade."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text, update
from sqlalchemy.exc import IntegrityError

from engine import accounts, keys, service
from engine.api import create_api
from engine.bootstrap import App, bootstrap
from engine.clock import FixedClock
from engine.crypto import append_key, create_key_file, read_key_file, remove_key
from engine.errors import InvalidInput, KeyProblem
from engine.settings import Settings
from engine.store import create_schema
from engine.store._migrations import _config
from engine.store._tables import cases
from tests.support import ACTOR, ADMIN, CaseDriver, ServerThread


def _markers() -> tuple[str, str]:
    """A client reference and a sentence of free text that occur nowhere else."""
    tag = uuid.uuid4().hex[:12].upper()
    return f"CLIENT-{tag}", f"Marker{tag} moves to the aunt in Zwolle"


def _safety_plan(text_: str) -> dict[str, Any]:
    return {"measures": [{"area": "movement_outside", "measure": text_,
                          "responsible": "shelter"}]}  # fmt: skip


def _fill(case: CaseDriver, client: str, note: str, org: str) -> None:
    case.open(client=client, org=org)
    case.fire("start_reflection_period", started_on=str(case.today))
    case.record("risk_analysis")
    case.record("safety_plan", **_safety_plan(note))


def database_files(db: Engine) -> list[Path]:
    """The files the database keeps its tables in: the SQLite file and its WAL; on
    PostgreSQL (after a CHECKPOINT) every relation file of this database, found through
    pg_relation_filepath (tables, their TOAST tables and indexes)."""
    if db.dialect.name == "sqlite":
        main = Path(str(db.url.database))
        return [p for p in (main, Path(f"{main}-wal")) if p.exists()]
    with db.connect() as conn:
        conn.exec_driver_sql("CHECKPOINT")
        home = Path(conn.exec_driver_sql("SHOW data_directory").scalar_one())
        relation = conn.exec_driver_sql("SELECT pg_relation_filepath('cases')").scalar_one()
    return sorted(p for p in (home / relation).parent.iterdir() if p.is_file())


def strings(files: list[Path]) -> str:
    """What binutils' `strings` finds in the files."""
    assert files
    found = subprocess.run(["strings", "-n", "6", *map(str, files)], capture_output=True,
                           check=True, text=True, errors="replace")  # fmt: skip
    return found.stdout


def test_database_files_hold_no_client_reference_and_no_document_text(case: CaseDriver) -> None:
    """`strings` over the database files finds the organisation (in clear, for the indexes)
    but neither the client reference, nor a document's free text, nor its field names."""
    client, note = _markers()
    org = f"shelter-{uuid.uuid4().hex[:8]}"
    _fill(case, client, note, org)
    found = strings(database_files(case.app.db))
    assert (True, False, False, False) == (
        org in found,
        client in found,
        note[:20] in found,
        "threatened_with_reprisal" in found,
    )


def test_a_case_is_still_found_by_its_client_reference(case: CaseDriver) -> None:
    """A second open case for the same client and organisation is refused (found by the
    keyed hash), and the case shows its client reference."""
    client, note = _markers()
    _fill(case, client, note, "shelter-a")
    with pytest.raises(InvalidInput) as refused:
        service.open_case(case.app, client_ref=client, organisation="shelter-a",
                          kind="trafficking", intake_on=case.today, actor=ACTOR)  # fmt: skip
    assert [f"client: {client} has open case {case.id} at shelter-a"] == refused.value.reasons
    assert client == case.show()["client_ref"]


def test_the_same_reference_at_two_organisations_is_not_linkable(case: CaseDriver) -> None:
    """The keyed hash covers the organisation: one reference at two shelters opens two cases
    whose stored hashes differ, so the database does not link them."""
    other = CaseDriver(case.app, case.clock)
    case.open(client="A-5", org="shelter-a")
    other.open(client="A-5", org="shelter-b")
    with case.app.db.connect() as conn:
        hashes = set(conn.execute(text("SELECT client_hash FROM cases")).scalars())
    assert 2 == len(hashes)


def test_one_open_case_per_client_holds_in_the_index(case: CaseDriver) -> None:
    """The unique index on (organisation, client hash) refuses a second open row even when
    the service's own check is passed by."""
    case.open(client="A-9")
    with case.app.uow.begin() as repo:
        existing = repo.get(case.id)
    existing.id = str(uuid.uuid4())
    with pytest.raises(IntegrityError), case.app.uow.begin() as repo:
        repo.add(existing, workflow="w@1", closed=False, step_due_on=None)


_Again = Callable[..., App]


@pytest.fixture
def again(app: App) -> Iterator[_Again]:
    """Starts a second process on the same database, with other key settings if given."""
    started: list[App] = []

    def start(**changes: Any) -> App:
        settings = app.settings.model_copy(update=changes)
        started.append(bootstrap(settings, clock=app.clock, workflow=app.workflow,
                                 configure_logs=False))  # fmt: skip
        return started[-1]

    yield start
    for other in started:
        other.db.dispose()


def test_a_wrong_key_is_a_clear_error_naming_the_key_not_the_secret(
    case: CaseDriver, tmp_path: Path, again: _Again
) -> None:
    """A key file whose key has the database's key id but other bytes is refused at the
    first transaction, naming the key id and never printing a secret."""
    case.open()
    wrong = tmp_path / "wrong.keys"
    create_key_file(wrong, "k1")
    other = again(key_file=wrong)
    with pytest.raises(KeyProblem) as refused:
        service.show(other, case.id, actor=ACTOR)
    secret = wrong.read_text().split()[-1]
    assert ("wrong encryption key", False) == (refused.value.message, secret in str(refused.value))
    assert "key k1" in refused.value.reasons[0]


def test_a_missing_key_is_a_clear_error(case: CaseDriver, tmp_path: Path, again: _Again) -> None:
    """A ring without the key the data is sealed with, and a key file that is not there,
    are refused with what to do."""
    case.open()
    other_keys = tmp_path / "other.keys"
    create_key_file(other_keys, "k2")
    with pytest.raises(KeyProblem) as missing:
        service.show(again(key_file=other_keys), case.id, actor=ACTOR)
    with pytest.raises(KeyProblem) as no_file:
        service.show(again(key_file=tmp_path / "nowhere.keys"), case.id, actor=ACTOR)
    assert "missing encryption key" == missing.value.message
    assert ["key k1: data in this database is sealed with it; add it to "
            f"{other_keys}"] == missing.value.reasons  # fmt: skip
    assert "no encryption key" == no_file.value.message


def test_init_db_makes_no_new_key_for_a_sealed_database(
    case: CaseDriver, tmp_path: Path, again: _Again
) -> None:
    """With its key file gone, `init-db` refuses to make a new one for a database whose data
    is sealed (it would open nothing) and says which key to restore."""
    case.open()
    lost = tmp_path / "lost.keys"
    with pytest.raises(KeyProblem) as refused:
        keys.prepare_key_file(again(key_file=lost))
    assert ("the key file is missing", False) == (refused.value.message, lost.exists())
    assert "sealed with key k1" in refused.value.reasons[0]


def test_a_value_copied_into_another_case_does_not_open(case: CaseDriver) -> None:
    """Sealed values are bound to their case: facts copied from one case into another make
    that case's read fail clearly instead of showing the other client's facts."""
    first = CaseDriver(case.app, case.clock)
    first.open(client="A-1")
    case.open(client="A-2")
    with case.app.db.begin() as conn:
        facts = conn.execute(cases.select().where(cases.c.id == first.id)).one().facts
        conn.execute(update(cases).where(cases.c.id == case.id).values(facts=facts))
    with pytest.raises(KeyProblem) as refused:
        case.show()
    assert "cannot decrypt" == refused.value.message


def test_the_api_answers_an_unreadable_value_with_500_naming_no_key(case: CaseDriver) -> None:
    """A sealed value that does not open answers problem+json 500 `key_error` over HTTP,
    with no key id, key file or reason for the caller."""
    accounts.add_organisation(case.app, "shelter-a", kind="shelter", name="Shelter A", actor=ADMIN)
    accounts.add_user(
        case.app, "crm", organisation="shelter-a", role="counsellor", kind="system", actor=ADMIN
    )
    token = accounts.issue_token(case.app, "crm", issuer=ADMIN)["token"]
    case.open(client="A-1")
    with case.app.db.begin() as conn:
        conn.execute(
            update(cases).where(cases.c.id == case.id).values(facts=b"\x01\x02k1" + bytes(40))
        )
    with ServerThread(create_api(case.app)) as server:
        answer = httpx.get(f"{server.url}/cases/{case.id}",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    body = answer.json()
    assert (500, "application/problem+json", "key_error", []) == (
        answer.status_code,
        answer.headers["content-type"],
        body["code"],
        body["reasons"],
    )
    assert "k1" not in answer.text


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    """The key file is made owner-only (0600); one others may read is refused."""
    path = tmp_path / "keys"
    create_key_file(path, "k1")
    made = path.stat().st_mode & 0o777
    path.chmod(0o644)
    with pytest.raises(KeyProblem) as refused:
        read_key_file(path)
    assert (0o600, "key file readable by others") == (made, refused.value.message)


def _sealed_with(app: App) -> dict[str, int]:
    """How many sealed values each key id holds (read from the values' headers)."""
    counts: dict[str, int] = {}
    with app.db.connect() as conn:
        for query in ("SELECT client_ref FROM cases", "SELECT facts FROM cases",
                      "SELECT data FROM events", "SELECT data FROM documents"):  # fmt: skip
            for (value,) in conn.execute(text(query)):
                key_id = bytes(value)[2 : 2 + value[1]].decode()
                counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def test_rotation_interrupted_half_way_then_finished_and_old_key_removed(
    case: CaseDriver, key_file: Path, again: _Again
) -> None:
    """`keys rotate` stopped after its first committed batch leaves both keys in use and
    every case readable; a second run finishes, retires the old key, and after the old key
    is removed from the file a fresh process still reads every case."""
    ids = []
    for n in range(3):
        driver = CaseDriver(case.app, case.clock)
        _fill(driver, f"R-{n}", f"note {n}", "shelter-a")
        ids.append(driver.id)
    before = {i: service.show(case.app, i, actor=ACTOR) for i in ids}
    total = sum(_sealed_with(case.app).values())
    append_key(key_file, "k2")
    rotating = again()

    def stop_after_first_batch(table: str, rows: int) -> None:
        raise KeyboardInterrupt  # as if killed right after a batch was committed

    with pytest.raises(KeyboardInterrupt):
        keys.rotate(rotating, batch=2, progress=stop_after_first_batch)
    half = _sealed_with(rotating)
    assert {"k1": total - 4, "k2": 4} == half  # two cases, each a reference and facts
    assert before == {i: service.show(rotating, i, actor=ACTOR) for i in ids}

    done = keys.rotate(rotating, batch=2)
    assert (True, ["k1"], {"k2": total}) == (done["done"], done["retired"], _sealed_with(rotating))
    remove_key(key_file, "k1")
    after = again()
    assert ["k2"] == [k.id for k in read_key_file(key_file).keys]
    assert before == {i: service.show(after, i, actor=ACTOR) for i in ids}


def test_a_key_still_in_use_cannot_be_removed(
    case: CaseDriver, key_file: Path, again: _Again
) -> None:
    """`keys remove` refuses a key data is still sealed with (before `keys rotate`)."""
    case.open()
    append_key(key_file, "k2")
    with pytest.raises(KeyProblem) as refused:
        keys.remove(again(), "k1")
    assert "the key is still in use" == refused.value.message


def _plain_database(db_url: str, client: str, note: str) -> None:
    """A database at schema 0003 (before encryption) holding one case, an event and a
    document in clear, as an earlier release wrote them."""
    engine = create_engine(db_url)
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.execute(text(
            "INSERT INTO cases (id, client_ref, organisation, kind, intake_on, state, "
            "residence_state, closed, state_entered_seq, state_entered_at, seq, facts, "
            "opened_at, workflow, version) VALUES ('c-1', :ref, 'shelter-a', 'trafficking', "
            "'2026-01-05', 'basic_needs_safety', 'no_status', false, 1, "
            "'2026-01-05 08:00:00', 1, '{}', '2026-01-05 08:00:00', 'safe_future@1', 1)"
        ), {"ref": client})  # fmt: skip
        conn.execute(text(
            "INSERT INTO events (case_id, seq, track, trigger, actor, happened_at, recorded_at,"
            " data) VALUES ('c-1', 1, 'care', 'open', 'cli:x', '2026-01-05 08:00:00', "
            "'2026-01-05 08:00:00', '{}')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO documents (case_id, kind, version, data, seq, actor, happened_at, "
            "recorded_at) VALUES ('c-1', 'safety_plan', 1, :data, 1, 'cli:x', "
            "'2026-01-05 08:00:00', '2026-01-05 08:00:00')"
        ), {"data": json.dumps({"measures": [{"measure": note}]})})  # fmt: skip
    engine.dispose()


def test_an_old_database_is_sealed_on_upgrade_and_its_files_wiped(
    db_url: str, settings: Settings, clock: FixedClock
) -> None:
    """`init-db` on a database from before encryption (schema 0003) seals its rows with the
    key, wipes the old values from the files, and the case still reads."""
    client, note = _markers()
    _plain_database(db_url, client, note)
    before = create_engine(db_url)
    plain = strings(database_files(before))
    before.dispose()
    app = bootstrap(settings, clock=clock, configure_logs=False)
    create_schema(app.db, app.uow.codec)
    found = strings(database_files(app.db))
    with app.uow.begin() as repo:
        case = repo.get("c-1")
        document = repo.document("c-1", "safety_plan", None)
    app.db.dispose()
    assert (True, True) == (client in plain, note in plain)  # the scan sees clear text
    assert (False, False) == (client in found, note[:20] in found)
    assert (client, note) == (case.client_ref, document and document.data["measures"][0]["measure"])
