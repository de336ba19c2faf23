"""Loading and saving cases. The only module that speaks SQL."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    LargeBinary,
    String,
    Table,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.types import TypeEngine

from engine.domain import Case, DocumentVersion, Event, Timer
from engine.errors import CaseNotFound, ConcurrentChange
from engine.i18n import _
from engine.store._audit import AuditEntry, append_audit
from engine.store._chain import event_hash
from engine.store._codec import Codec
from engine.store._listing import After, CaseFilter, ids_starting, list_cases
from engine.store._socialmap import SocialMapRepository
from engine.store._tables import (
    Json,
    UTCDateTime,
    audit,
    audit_heads,
    cases,
    documents,
    events,
    organisations,
    timers,
    users,
)
from engine.store._verify import ChainReport, verify_chains

# The hot path's statements, built once: building a statement and its cache key on each call
# cost more than running it (bench/transitions.py).


# A case, all its timers and the latest version of each document, in one round trip: a UNION
# ALL of the case's row, its timers and its documents, each row tagged with its part. The
# parts share slots instead of each having columns of its own: every result column costs on
# each read (psycopg describes it), and 15 slots serve what 38 columns did
# (docs/performance.md). A slot holds one type; `_check_slots` keeps it so.
class _Slot(NamedTuple):
    type: TypeEngine[Any]
    case: str | None
    timer: str | None
    document: str | None


_SLOTS = (
    _Slot(String(),      "id",                "kind",        "kind"),
    _Slot(LargeBinary(), "client_ref",        None,          None),
    _Slot(String(),      "organisation",      "status",      "actor"),
    _Slot(String(),      "kind",              None,          None),
    _Slot(String(),      "state",             None,          None),
    _Slot(String(),      "residence_state",   None,          None),
    _Slot(String(),      "counsellor",        None,          None),
    _Slot(Date(),        "intake_on",         "due_on",      None),
    _Slot(UTCDateTime(), "opened_at",         "due_at",      "happened_at"),
    _Slot(UTCDateTime(), "state_entered_at",  None,          "recorded_at"),
    _Slot(UTCDateTime(), "last_happened_at",  None,          None),
    _Slot(Integer(),     "version",           "id",          "version"),
    _Slot(Integer(),     "seq",               "started_seq", "seq"),
    _Slot(Integer(),     "state_entered_seq", "closed_seq",  None),
    _Slot(LargeBinary(), "facts",             None,          "data"),
    _Slot(Json(),        None,                "remind_on",   None),
    _Slot(String(),      "events_hash",       None,          None),
)  # fmt: skip
_CASE_PART, _TIMER_PART, _DOCUMENT_PART = range(3)
_PARTS: tuple[tuple[Table, str], ...] = (
    (cases, "case"),
    (timers, "timer"),
    (documents, "document"),
)
# Per part, which field each filled slot holds, by its position in a row (after `part`).
_FIELDS = tuple(
    tuple((name, i + 1) for i, slot in enumerate(_SLOTS) if (name := getattr(slot, role)))
    for _, role in _PARTS
)
# Rows sorted by part, then by the slot holding a timer's id: the case, then its timers in
# the order they were made.
_PART_ORDER = operator.itemgetter(0, 1 + [slot.timer for slot in _SLOTS].index("id"))


def _check_slots() -> None:
    """Every column put in a slot has the slot's type: the result's types are the first
    part's, so a column of another type would be read back wrong."""
    for slot in _SLOTS:
        for table, role in _PARTS:
            name = getattr(slot, role)
            if name is not None and type(table.c[name].type) is not type(slot.type):
                raise TypeError(f"{table.name}.{name} does not fit the {slot.type} slot")


def _case_read() -> Any:
    _check_slots()
    key: Any = bindparam("case_id")
    newer = documents.alias("newer")
    latest = ~exists().where(
        newer.c.case_id == documents.c.case_id,
        newer.c.kind == documents.c.kind,
        newer.c.version > documents.c.version,
    )
    parts = []
    for part, (table, role) in enumerate(_PARTS):
        slots = []
        for i, slot in enumerate(_SLOTS):
            name = getattr(slot, role)
            column = table.c[name] if name else type_coerce(null(), slot.type)
            slots.append(column.label(f"s{i}"))
        query = select(literal_column(str(part), Integer).label("part"), *slots)
        query = query.where(table.c.id == key if table is cases else table.c.case_id == key)
        parts.append(query.where(latest) if table is documents else query)
    return union_all(*parts)  # unordered: sorting ten rows here is cheaper than in SQL


_CASE_READ = _case_read()
_DOCUMENT_FIELDS = [c.name for c in documents.c if c.name not in ("id", "case_id")]
_MUTABLE = ("state", "residence_state", "counsellor", "closed", "state_entered_seq",
            "state_entered_at", "step_due_on", "seq", "last_happened_at", "facts",
            "events_hash")  # fmt: skip
_SAVE = (
    update(cases)
    .where(cases.c.id == bindparam("case_id"), cases.c.version == bindparam("old_version"))
    .values(version=bindparam("new_version"), **{c: bindparam(f"new_{c}") for c in _MUTABLE})
)
# On PostgreSQL the save also locks and reads the case's audit head, for the audit row that
# follows in the same transaction: one round trip less on the fire path. The head is locked
# only when the version check let the update through (the subqueries run for its row).
_HEAD = (
    select(audit_heads.c.seq, audit_heads.c.hash)
    .where(audit_heads.c.case_id == bindparam("case_id"))
    .with_for_update()
    .cte("head")
)
_SAVE_LOCKING_HEAD = _SAVE.add_cte(_HEAD).returning(
    select(_HEAD.c.seq).scalar_subquery(), select(_HEAD.c.hash).scalar_subquery()
)
_CLOSE_TIMER = (
    update(timers)
    .where(timers.c.id == bindparam("timer_id"))
    .values(status=bindparam("new_status"), closed_seq=bindparam("new_closed_seq"))
)
_EVENTS = insert(events)
_DOCUMENT = insert(documents)
_TIMER = insert(timers)


@dataclass(frozen=True)
class OverdueFilter:
    """Which overdue items to list; None means no restriction."""

    organisations: frozenset[str] | None = None
    counsellor: str | None = None
    kinds: frozenset[str] | None = None
    min_days: int = 1
    # Keyset paging: only items after this (due_on, case_id, kind), in the list's order.
    after: tuple[date, str, str] | None = None


class CaseRepository:
    """Reads and writes cases inside one transaction (the caller's connection)."""

    def __init__(self, conn: Connection, codec: Codec) -> None:
        self.conn = conn
        self.codec = codec
        # Audit heads this transaction has locked already (by a save), by case id.
        self._locked_heads: dict[str, tuple[int, str]] = {}

    # -- reading ----------------------------------------------------------------------------

    def socialmap_changes(self) -> list[dict[str, Any]]:
        """The social map's changes, read in this transaction (a case read that suggests
        organisations needs no second one)."""
        return SocialMapRepository(self.conn).changes()

    def get(self, case_id: str) -> Case:
        """The case with its latest documents and all its timers (one round trip)."""
        rows = sorted(self.conn.execute(_CASE_READ, {"case_id": case_id}), key=_PART_ORDER)
        if not rows or rows[0][0] != _CASE_PART:
            raise CaseNotFound(
                _("no case {case_id}", case_id=case_id),
                [_("case: no case with id {case_id}", case_id=case_id)],
            )
        fields = [{name: row[i] for name, i in _FIELDS[row[0]]} for row in rows]
        codec = self.codec
        case = Case(**fields[0])
        case.client_ref = codec.client_ref_of(case_id, fields[0]["client_ref"])
        case.facts = codec.facts_of(case_id, fields[0]["facts"])
        for row, found in zip(rows[1:], fields[1:], strict=True):
            if row[0] == _TIMER_PART:
                found["remind_on"] = [date.fromisoformat(d) for d in found["remind_on"]]
                case.timers.append(Timer(**found))
            elif row[0] == _DOCUMENT_PART:
                kind = found["kind"]
                found["data"] = codec.document_of(case_id, kind, found["version"], found["data"])
                case.documents[kind] = DocumentVersion(**found)
        return case

    def ids_starting(self, prefix: str) -> list[tuple[str, str]]:
        """The ids and organisations of the cases whose id starts with `prefix`."""
        return ids_starting(self.conn, prefix)

    def list_cases(
        self, filters: CaseFilter, after: After | None, limit: int
    ) -> list[dict[str, Any]]:
        """A page of the case list, most urgent first (engine/store/_listing.py)."""
        return list_cases(self.conn, filters, after, limit)

    def organisations_with_cases(self) -> set[str]:
        """Every organisation some case belongs to."""
        query = select(cases.c.organisation).distinct()
        return {str(o) for o in self.conn.execute(query).scalars()}

    def open_case_for(self, organisation: str, client_ref: str) -> str | None:
        """The id of an open case of this client at this organisation, if any (by the keyed
        hash under each live key, so a case not yet rotated is found too)."""
        found = self.conn.execute(
            select(cases.c.id).where(
                cases.c.organisation == organisation,
                cases.c.client_hash.in_(self.codec.client_hashes(organisation, client_ref)),
                cases.c.closed.is_(False),
            )
        ).first()
        return None if found is None else str(found[0])

    def events(self, case_id: str) -> list[Event]:
        rows = self.conn.execute(
            select(events).where(events.c.case_id == case_id).order_by(events.c.seq)
        ).mappings()
        return [
            Event(
                r["seq"],
                r["track"],
                r["trigger"],
                r["from_state"],
                r["to_state"],
                r["actor"],
                r["happened_at"],
                r["recorded_at"],
                self.codec.event_data_of(case_id, r["seq"], r["data"]),
            )
            for r in rows
        ]

    def overdue(self, today: date, filters: OverdueFilter, limit: int) -> list[dict[str, Any]]:
        """The `limit` most overdue items (timers past due, steps open too long), most overdue
        first, in one statement: each kind reads an index in due-date order and stops at
        `limit`, and the two are merged."""
        statement, params = _page_statement(_Shape.of(filters)), _params(today, filters, limit)
        return [dict(r) for r in self.conn.execute(statement, params).mappings()]

    def overdue_counts(self, today: date, filters: OverdueFilter) -> dict[str, int]:
        """How many overdue items each organisation has, under the same filters."""
        counts: dict[str, int] = {}
        params = _params(today, filters, None)
        for grouped in _count_statements(_Shape.of(filters)):
            for org, n in self.conn.execute(grouped, params):
                counts[org] = counts.get(org, 0) + n
        return counts

    @staticmethod
    def overdue_statements(today: date, filters: OverdueFilter, limit: int) -> list[Any]:
        """The page's statement and the counts' statements with their values bound, for
        EXPLAIN (bench/plan.py)."""
        shape = _Shape.of(filters)
        page = _page_statement(shape).params(_params(today, filters, limit))
        params = _params(today, filters, None)
        return [page, *(c.params(params) for c in _count_statements(shape))]

    def document(self, case_id: str, kind: str, version: int | None) -> DocumentVersion | None:
        """One version of a document (the latest when `version` is None)."""
        query = select(*(documents.c[f] for f in _DOCUMENT_FIELDS)).where(
            documents.c.case_id == case_id, documents.c.kind == kind
        )
        if version is not None:
            query = query.where(documents.c.version == version)
        found = self.conn.execute(query.order_by(documents.c.version.desc()).limit(1)).first()
        if found is None:
            return None
        row = dict(zip(_DOCUMENT_FIELDS, found, strict=True))
        row["data"] = self.codec.document_of(case_id, kind, row["version"], row["data"])
        return DocumentVersion(**row)

    def deadlines_of(self, counsellor: str, organisation: str) -> list[dict[str, Any]]:
        """Pending timers and open steps' expected ends of a counsellor's open cases."""
        mine = and_(
            cases.c.counsellor == counsellor,
            cases.c.organisation == organisation,
            cases.c.closed.is_(False),
        )
        timer_q = (
            select(timers.c.id, timers.c.case_id, timers.c.kind, timers.c.due_on, cases.c.state)
            .join(cases, cases.c.id == timers.c.case_id)
            .where(mine, timers.c.status == "pending")
        )
        step_q = select(
            cases.c.state_entered_seq.label("id"), cases.c.id.label("case_id"),
            literal("step_overdue").label("kind"), cases.c.step_due_on.label("due_on"),
            cases.c.state,
        ).where(mine, cases.c.step_due_on.is_not(None))  # fmt: skip
        rows = [dict(r) for q in (timer_q, step_q) for r in self.conn.execute(q).mappings()]
        return sorted(rows, key=lambda r: (r["due_on"], r["case_id"], r["kind"]))

    def is_counsellor_of(self, user_id: str, organisation: str) -> bool:
        query = select(users.c.id).where(
            users.c.id == user_id, users.c.organisation == organisation,
            users.c.role == "counsellor", users.c.active.is_(True),
        )  # fmt: skip
        return self.conn.execute(query).first() is not None

    def organisation_of(self, case_id: str) -> str | None:
        """The organisation a case belongs to (None: no such case)."""
        found = self.conn.execute(select(cases.c.organisation).where(cases.c.id == case_id))
        value = found.scalar()
        return None if value is None else str(value)

    def region_of(self, organisation: str) -> str | None:
        """The coordination region a (shelter) organisation belongs to, if registered."""
        found = self.conn.execute(
            select(organisations.c.region).where(organisations.c.id == organisation)
        ).scalar()
        return None if found is None else str(found)

    def organisation_kind(self, organisation: str) -> str | None:
        """The kind of a registered organisation (shelter, partner, region); None if unknown."""
        query = select(organisations.c.kind).where(organisations.c.id == organisation)
        found = self.conn.execute(query).scalar()
        return None if found is None else str(found)

    def registry_in_use(self) -> bool:
        """Whether any organisation is registered: from then on every organisation a case
        names must be one (before, the embedded quick start runs without a registry)."""
        return self.conn.execute(select(organisations.c.id).limit(1)).first() is not None

    def organisations_in(self, region: str) -> set[str]:
        query = select(organisations.c.id).where(organisations.c.region == region)
        return {str(o) for o in self.conn.execute(query).scalars()}

    def open_cases_in(self, states: list[str], prefix: str) -> list[str]:
        """The ids of open cases in one of `states` or a state starting with `prefix`."""
        query = select(cases.c.id).where(
            cases.c.closed.is_(False),
            cases.c.state.in_(states) | cases.c.state.startswith(prefix),
        )
        return [str(i) for i in self.conn.execute(query.order_by(cases.c.opened_at)).scalars()]

    def partners_on_map(self) -> dict[str, list[str]]:
        """The registered partner organisations by the social-map entry each points at."""
        query = (
            select(organisations.c.socialmap_id, organisations.c.id)
            .where(organisations.c.kind == "partner", organisations.c.socialmap_id.is_not(None))
            .order_by(organisations.c.id)
        )
        found: dict[str, list[str]] = {}
        for entry, org in self.conn.execute(query).all():
            found.setdefault(str(entry), []).append(str(org))
        return found

    # -- writing ----------------------------------------------------------------------------

    def add(self, case: Case, *, workflow: str, closed: bool, step_due_on: date | None) -> None:
        new_events = self._chain_events(case)
        self.conn.execute(
            insert(cases).values(
                id=case.id,
                client_ref=self.codec.client_ref(case.id, case.client_ref),
                client_hash=self.codec.client_hash(case.organisation, case.client_ref),
                organisation=case.organisation,
                kind=case.kind,
                intake_on=case.intake_on,
                opened_at=case.opened_at,
                workflow=workflow,
                version=1,
                **_mutable(case, closed, step_due_on, self.codec),
            )
        )
        case.version = 1
        self._write_changes(case, new_events)

    def save(self, case: Case, *, closed: bool, step_due_on: date | None) -> None:
        """Write the case's changes; refuse if someone else saved it since it was read."""
        new_events = self._chain_events(case)
        values = {f"new_{c}": v for c, v in _mutable(case, closed, step_due_on, self.codec).items()}
        params = {"case_id": case.id, "old_version": case.version,
                  "new_version": case.version + 1, **values}  # fmt: skip
        if self.conn.dialect.name == "postgresql":
            found = self.conn.execute(_SAVE_LOCKING_HEAD, params).first()
            saved = found is not None
            if found is not None and found[0] is not None:
                self._locked_heads[case.id] = (found[0], found[1])
        else:
            saved = self.conn.execute(_SAVE, params).rowcount == 1
        if not saved:
            raise ConcurrentChange(
                "the case was changed by someone else meanwhile; nothing was saved",
                ["case: reload the case and try again"],
            )
        case.version += 1
        self._write_changes(case, new_events)

    @staticmethod
    def _chain_events(case: Case) -> list[dict[str, Any]]:
        """The new event rows, each with its hash chained to the one before (covering the
        documents written with it); moves the case's chain head to the last."""
        written: dict[int, list[dict[str, Any]]] = {}
        for d in case.changes.documents:
            written.setdefault(d.seq, []).append({"case_id": case.id, **vars(d)})
        rows = []
        for e in case.changes.events:
            # vars(), not asdict(): the rows need no deep copy of each event's data
            row = {"case_id": case.id, **vars(e)}
            case.events_hash = row["hash"] = event_hash(
                case.events_hash, row, written.get(e.seq, ())
            )
            rows.append(row)
        return rows

    def _write_changes(self, case: Case, new_events: list[dict[str, Any]]) -> None:
        changes, codec, case_id = case.changes, self.codec, case.id
        if new_events:  # hashed in clear (_chain_events), stored sealed
            rows = [
                {**row, "data": codec.event_data(case_id, row["seq"], row["data"])}
                for row in new_events
            ]
            self.conn.execute(_EVENTS, rows)
        if changes.documents:
            rows = [
                {**vars(d), "case_id": case_id,
                 "data": codec.document(case_id, d.kind, d.version, d.data)}
                for d in changes.documents
            ]  # fmt: skip
            self.conn.execute(_DOCUMENT, rows)
        new = [t for t in changes.timers if t.id is None]
        if new:
            self.conn.execute(
                _TIMER,
                [
                    {
                        "case_id": case.id,
                        "kind": t.kind,
                        "due_on": t.due_on,
                        "due_at": t.due_at,
                        "status": t.status,
                        "started_seq": t.started_seq,
                        "closed_seq": t.closed_seq,
                        "remind_on": [d.isoformat() for d in t.remind_on],
                        "remind_from": min([*t.remind_on, t.due_on]),
                    }
                    for t in new
                ],
            )
        closed = [
            {"timer_id": t.id, "new_status": t.status, "new_closed_seq": t.closed_seq}
            for t in changes.timers
            if t.id is not None
        ]
        if closed:
            self.conn.execute(_CLOSE_TIMER, closed)
        changes.events.clear()
        changes.documents.clear()
        changes.timers.clear()

    def audit_trail(self, case_id: str) -> list[dict[str, Any]]:
        """Who read or changed the case, when and how (the audit rows, no contents)."""
        query = (
            select(audit.c.seq, audit.c.at, audit.c.actor, audit.c.action)
            .where(audit.c.case_id == case_id)
            .order_by(audit.c.seq)
        )
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def verify(self, case_id: str | None = None) -> ChainReport:
        """Check the hash chains of every case, or of one."""
        return verify_chains(self.conn, self.codec, case_id)

    def audit_many(self, case_ids: list[str], actor: str, action: str, at: datetime) -> None:
        """One audit row per case, chained, in three statements however many (a list's reads)."""
        append_audit(
            self.conn, [AuditEntry(c, actor, action, at) for c in case_ids], self._locked_heads
        )

    def audit(self, case_id: str, actor: str, action: str, at: datetime) -> None:
        append_audit(self.conn, [AuditEntry(case_id, actor, action, at)], self._locked_heads)


def _mutable(case: Case, closed: bool, step_due_on: date | None, codec: Codec) -> dict[str, Any]:
    return {
        "state": case.state,
        "residence_state": case.residence_state,
        "counsellor": case.counsellor,
        "closed": closed,
        "state_entered_seq": case.state_entered_seq,
        "state_entered_at": case.state_entered_at,
        "step_due_on": step_due_on,
        "seq": case.seq,
        "last_happened_at": case.last_happened_at,
        "facts": codec.facts(case.id, case.facts),
        "events_hash": case.events_hash,
    }


# -- the overdue list's statements ------------------------------------------------------------
# Built once per shape of filter, with the values as bind parameters: building them on each
# call cost as much as running them (bench/overdue.py).


@dataclass(frozen=True)
class _Shape:
    timers: bool  # list late timers
    steps: bool  # list steps open too long
    by_kind: bool
    by_organisation: bool
    by_counsellor: bool
    after: bool

    @staticmethod
    def of(f: OverdueFilter) -> _Shape:
        return _Shape(
            timers=f.kinds is None or bool(f.kinds - {"step_overdue"}),
            steps=f.kinds is None or "step_overdue" in f.kinds,
            by_kind=f.kinds is not None,
            by_organisation=f.organisations is not None,
            by_counsellor=f.counsellor is not None,
            after=f.after is not None,
        )


def _params(today: date, f: OverdueFilter, limit: int | None) -> dict[str, Any]:
    return {
        "last_due": today - timedelta(days=max(1, f.min_days)),
        "kinds": sorted((f.kinds or frozenset()) - {"step_overdue"}),
        "organisations": sorted(f.organisations or ()),
        "counsellor": f.counsellor,
        **({"page": limit} if limit is not None else {}),
        **dict(zip(("after_due", "after_case", "after_kind"), f.after or (), strict=False)),
    }


@functools.cache
def _queries(shape: _Shape) -> tuple[Any, ...]:
    last_due: Any = bindparam("last_due", type_=Date)
    timer_q = (
        select(
            timers.c.case_id, timers.c.kind, timers.c.due_on, cases.c.organisation,
            cases.c.counsellor, cases.c.state,
        )
        .join(cases, cases.c.id == timers.c.case_id)
        .where(timers.c.status == "pending", timers.c.due_on <= last_due)
    )  # fmt: skip
    if shape.by_kind:
        timer_q = timer_q.where(timers.c.kind.in_(bindparam("kinds", expanding=True)))
    step_q = select(
        cases.c.id.label("case_id"), literal("step_overdue").label("kind"),
        cases.c.step_due_on.label("due_on"), cases.c.organisation, cases.c.counsellor,
        cases.c.state,
    ).where(cases.c.closed.is_(False), cases.c.step_due_on <= last_due)  # fmt: skip
    step_key = (cases.c.step_due_on, cases.c.id, literal("step_overdue"))
    chosen = [
        (q, key)
        for q, key, on in (
            (timer_q, (timers.c.due_on, timers.c.case_id, timers.c.kind), shape.timers),
            (step_q, step_key, shape.steps),
        )
        if on
    ]
    scoped = []
    for query, key in chosen:
        if shape.after:
            query = query.where(_after(*key))
        if shape.by_organisation:
            query = query.where(
                cases.c.organisation.in_(bindparam("organisations", expanding=True))
            )
        if shape.by_counsellor:
            query = query.where(cases.c.counsellor == bindparam("counsellor", type_=String))
        scoped.append(query)
    return tuple(scoped)


def _after(due: Any, case: Any, kind: Any) -> Any:
    """The keyset condition: (due, case, kind) after the cursor's, written out rather than as a
    row value comparison, so that SQLite and PostgreSQL read it alike."""
    d: Any = bindparam("after_due", type_=Date)
    c: Any = bindparam("after_case", type_=String)
    k: Any = bindparam("after_kind", type_=String)
    return (due > d) | ((due == d) & ((case > c) | ((case == c) & (kind > k))))


@functools.cache
def _page_statement(shape: _Shape) -> Any:
    page: Any = bindparam("page", type_=Integer)
    parts = [
        # the full order inside each part too, so that its LIMIT cuts where the merge does
        select(q.order_by("due_on", "case_id", "kind").limit(page).subquery())
        for q in _queries(shape)
    ]
    merged = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    return select(merged).order_by(merged.c.due_on, merged.c.case_id, merged.c.kind).limit(page)


@functools.cache
def _count_statements(shape: _Shape) -> tuple[Any, ...]:
    """Two statements (timers, steps): under a UNION, SQLite plans the counts twice as slow."""
    subs = [q.subquery() for q in _queries(shape)]
    return tuple(select(s.c.organisation, func.count()).group_by(s.c.organisation) for s in subs)
