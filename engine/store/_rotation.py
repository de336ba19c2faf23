"""Re-sealing with the newest key (`safe-future keys rotate`): batch by batch, each batch its
own transaction, so an interrupted rotation keeps what it did and a second run goes on from
there. A row is re-sealed only if nobody changed it meanwhile (a case's version, an event's or
document's sealed value); a writer seals with the newest key anyway. When no value is left
under an older key, the older keys are marked retired and may leave the key ring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, LargeBinary, Table, bindparam, func, or_, select, update

from engine.store._codec import Codec
from engine.store._keys import retire_all_but
from engine.store._tables import cases, documents, events

# Called after each committed batch with the table's name and the rows re-sealed in it.
Progress = Callable[[str, int], None]


@dataclass
class Rotation:
    resealed: dict[str, int]  # rows re-sealed per table
    left: int  # values still under an older key (changed meanwhile: run again)
    retired: list[str]  # keys nothing is sealed with any more


def _stale(table: Table, columns: tuple[str, ...], header: bytes) -> Any:
    """Rows with a value not sealed by the newest key (its header opens every such value)."""
    size = len(header)
    newest = bindparam("header", header, type_=LargeBinary)
    return or_(*(func.substr(table.c[c], 1, size, type_=LargeBinary) != newest for c in columns))


def _reseal_cases(codec: Codec, rows: list[Any]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        ref = codec.client_ref_of(r.id, r.client_ref)
        out.append({
            "b_id": r.id, "b_version": r.version, "b_client_ref": codec.client_ref(r.id, ref),
            "b_client_hash": codec.client_hash(r.organisation, ref),
            "b_facts": codec.facts(r.id, codec.facts_of(r.id, r.facts)),
        })  # fmt: skip
    return out


def _reseal_events(codec: Codec, rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {"b_id": r.id, "b_old": r.data,
         "b_data": codec.event_data(r.case_id, r.seq,
                                    codec.event_data_of(r.case_id, r.seq, r.data))}
        for r in rows
    ]  # fmt: skip


def _reseal_documents(codec: Codec, rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {"b_id": r.id, "b_old": r.data,
         "b_data": codec.document(r.case_id, r.kind, r.version,
                                  codec.document_of(r.case_id, r.kind, r.version, r.data))}
        for r in rows
    ]  # fmt: skip


_Reseal = Callable[[Codec, list[Any]], list[dict[str, Any]]]
_ID: Any = bindparam("b_id")
# Per table: the sealed columns, how a batch is re-sealed, and the statement writing it back.
_TABLES: tuple[tuple[Table, tuple[str, ...], _Reseal, Any], ...] = (
    (cases, ("client_ref", "facts"), _reseal_cases,
     update(cases)
     .where(cases.c.id == _ID, cases.c.version == bindparam("b_version"))
     .values(client_ref=bindparam("b_client_ref"), client_hash=bindparam("b_client_hash"),
             facts=bindparam("b_facts"))),
    (events, ("data",), _reseal_events,
     update(events)
     .where(events.c.id == _ID, events.c.data == bindparam("b_old"))
     .values(data=bindparam("b_data"))),
    (documents, ("data",), _reseal_documents,
     update(documents)
     .where(documents.c.id == _ID, documents.c.data == bindparam("b_old"))
     .values(data=bindparam("b_data"))),
)  # fmt: skip


def rotate(
    engine: Engine,
    codec: Codec,
    header: bytes,
    newest: str,
    now: Callable[[], datetime],
    *,
    batch: int = 500,
    progress: Progress | None = None,
) -> Rotation:
    """Re-seal every value not sealed with the newest key (`header` starts each value it
    sealed), `batch` rows per transaction; then retire the older keys if none is left."""
    resealed = {table.name: 0 for table, *_ in _TABLES}
    for table, columns, reseal, write in _TABLES:
        key = table.c.id
        stale = _stale(table, columns, header)
        last: Any = None
        while True:
            with engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA secure_delete=ON")
                query = select(table).where(stale).order_by(key).limit(batch)
                if last is not None:
                    query = query.where(key > last)
                rows = list(conn.execute(query, {"header": header}))
                if rows:
                    done = conn.execute(write, reseal(codec, rows)).rowcount
                    resealed[table.name] += done
                    last = rows[-1].id
            if rows and progress is not None:
                progress(table.name, len(rows))
            if len(rows) < batch:
                break
    left = count_stale(engine, header)
    with engine.begin() as conn:
        retired = [] if left else retire_all_but(conn, newest, now())
    return Rotation(resealed, left, retired)


def count_stale(engine: Engine, header: bytes) -> int:
    """How many rows hold a value not sealed with the newest key."""
    with engine.connect() as conn:
        return sum(
            conn.execute(
                select(func.count()).select_from(table).where(_stale(table, columns, header)),
                {"header": header},
            ).scalar_one()
            for table, columns, *_ in _TABLES
        )
