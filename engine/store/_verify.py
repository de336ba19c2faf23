"""Checking the hash chains: recompute each case's event chain (with the documents its record
events wrote) and each case_id's audit chain, and compare them with the stored hashes and
heads. A break names the case_id, the seq and what is wrong; checking goes on after it from
the stored hash, so one edited row is one break."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Connection, select, union

from engine.errors import KeyProblem
from engine.store._chain import GENESIS, audit_hash, event_hash
from engine.store._codec import Codec
from engine.store._tables import audit, audit_heads, cases, documents, events

# Case ids checked per round of statements: bounds the memory a whole database needs.
_CHUNK = 200


@dataclass(frozen=True)
class Break:
    case_id: str
    seq: int
    what: str


@dataclass
class ChainReport:
    checked: int = 0  # event and audit rows checked
    broken: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def verify_chains(conn: Connection, codec: Codec, case_id: str | None = None) -> ChainReport:
    """Check every chain in the database, or those of one case_id. Sealed values are opened
    first (the hashes are over the values in clear); one that does not open was changed."""
    if case_id is not None:
        ids = [case_id]
    else:
        every = union(
            select(cases.c.id), select(events.c.case_id), select(audit.c.case_id),
            select(audit_heads.c.case_id),
        )  # fmt: skip
        ids = sorted(conn.execute(every).scalars())
    report = ChainReport()
    for start in range(0, len(ids), _CHUNK):
        _check(conn, codec, ids[start : start + _CHUNK], report)
    return report


def _grouped(rows: Iterable[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row["case_id"], []).append(row)
    return found


def _opened(open_: Callable[[], dict[str, Any]], sealed: object) -> dict[str, Any]:
    """A sealed value in clear; one that does not open stands for itself, so its row's hash
    does not match and the row is reported as changed."""
    try:
        return open_()
    except KeyProblem:
        raw = sealed if isinstance(sealed, bytes) else str(sealed).encode()
        return {"unreadable": hashlib.sha256(raw).hexdigest()}


def _check(conn: Connection, codec: Codec, ids: list[str], report: ChainReport) -> None:
    def read(table: Any, *order: Any) -> dict[str, list[Any]]:
        query = select(table).where(table.c.case_id.in_(ids)).order_by(*order)
        return _grouped(conn.execute(query).mappings())

    event_rows = {
        case_id: [
            {**r, "data": _opened(partial(codec.event_data_of, case_id, r["seq"], r["data"]),
                                  r["data"])}
            for r in rows
        ]
        for case_id, rows in read(events, events.c.case_id, events.c.seq).items()
    }  # fmt: skip
    audit_rows = read(audit, audit.c.case_id, audit.c.seq)
    written: dict[tuple[str, int], list[Any]] = {}
    for d in conn.execute(select(documents).where(documents.c.case_id.in_(ids))).mappings():
        opened = partial(codec.document_of, d["case_id"], d["kind"], d["version"], d["data"])
        written.setdefault((d["case_id"], d["seq"]), []).append(
            {**d, "data": _opened(opened, d["data"])}
        )
    case_heads = {
        r.id: (r.seq, r.events_hash)
        for r in conn.execute(
            select(cases.c.id, cases.c.seq, cases.c.events_hash).where(cases.c.id.in_(ids))
        )
    }
    audit_head = {
        r.case_id: (r.seq, r.hash)
        for r in conn.execute(select(audit_heads).where(audit_heads.c.case_id.in_(ids)))
    }
    for case_id in ids:

        def chained(previous: str, row: Mapping[str, Any], c: str = case_id) -> str:
            return event_hash(previous, row, written.get((c, row["seq"]), ()))

        found = _chain(
            case_id, event_rows.get(case_id, []), "event", chained, case_heads.get(case_id),
            report,
        )  # fmt: skip
        for (doc_case, seq), docs in written.items():
            if doc_case == case_id and seq not in found:
                report.broken.append(
                    Break(case_id, seq, f"document {docs[0]['kind']} has no event")
                )
        _chain(
            case_id, audit_rows.get(case_id, []), "audit row", audit_hash,
            audit_head.get(case_id), report,
        )  # fmt: skip
        if case_id in case_heads and case_id not in audit_head:
            report.broken.append(Break(case_id, 0, "audit trail missing (no chain head)"))


def _chain(
    case_id: str,
    rows: Sequence[Mapping[str, Any]],
    what: str,
    digest: Callable[[str, Mapping[str, Any]], str],
    head: tuple[int, str] | None,
    report: ChainReport,
) -> set[int]:
    """Check one chain against its head; returns the seqs found."""
    previous, expected = GENESIS, 1
    for row in rows:
        seq = row["seq"]
        after_gap = seq != expected
        if after_gap:
            report.broken.append(Break(case_id, expected, _missing(what, expected, seq - 1)))
        if digest(previous, row) != row["hash"]:
            why = "does not chain to the one before it" if after_gap else "changed"
            report.broken.append(Break(case_id, seq, f"{what} {why} (hash does not match)"))
        previous, expected = row["hash"], seq + 1
        report.checked += 1
    last = expected - 1
    if head is None:
        if rows:
            report.broken.append(Break(case_id, last, f"{what} chain has no head"))
    elif head[0] > last:
        missing = _missing(what, last + 1, head[0])
        report.broken.append(Break(case_id, last + 1, f"{missing} at the end"))
    elif head[0] < last or head[1] != previous:
        report.broken.append(Break(case_id, last, f"{what} chain head does not match"))
    return {row["seq"] for row in rows}


def _missing(what: str, first: int, last: int) -> str:
    return f"{what} {first} missing" if first == last else f"{what}s {first}-{last} missing"
