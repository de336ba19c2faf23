"""The database schema. Times are stored as UTC and read back as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Json(TypeDecorator[Any]):
    """JSON; JSONB on PostgreSQL. That dialect's module is imported only there: on SQLite
    it cost ~15 ms of every command's start (docs/performance.md, cold start)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    # Sealed (engine/store/_codec.py); the keyed hash beside it finds a case by reference.
    Column("client_ref", LargeBinary, nullable=False),
    Column("client_hash", String(64), nullable=False),
    Column("organisation", String(64), nullable=False),
    Column("counsellor", String(64), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("intake_on", Date, nullable=False),
    Column("state", String(64), nullable=False),
    Column("residence_state", String(64), nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("state_entered_seq", Integer, nullable=False),
    Column("state_entered_at", UTCDateTime, nullable=False),
    Column("step_due_on", Date, nullable=True),
    Column("seq", Integer, nullable=False),
    Column("last_happened_at", UTCDateTime, nullable=True),
    Column("facts", LargeBinary, nullable=False),  # sealed JSON
    Column("opened_at", UTCDateTime, nullable=False),
    Column("workflow", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    # The head of the case's event chain: the hash of its last event (`seq` is its number).
    Column("events_hash", String(64), nullable=False),
    # One open case per client and organisation, also under concurrent opens (on
    # PostgreSQL with the condition `for_postgresql` adds).
    Index(
        "uq_cases_open_client",
        "organisation",
        "client_hash",
        unique=True,
        sqlite_where=text("NOT closed"),
    ),
    Index("ix_cases_step_due", "closed", "step_due_on"),
    # The overdue list of a region or shelter: its cases, their open steps' due days.
    Index("ix_cases_organisation", "organisation", "closed", "step_due_on"),
)


def for_postgresql() -> None:
    """Give the schema its PostgreSQL options: the open-case index's condition. Named in
    the table, the option would import SQLAlchemy's PostgreSQL dialect on every start (it
    checks a dialect's keywords by loading the dialect), ~15 ms on SQLite. Called when an
    engine for PostgreSQL is made (`make_engine`) and by the migrations' environment."""
    index = next(i for i in cases.indexes if i.name == "uq_cases_open_client")
    index.dialect_kwargs["postgresql_where"] = text("NOT closed")


events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("track", String(16), nullable=False),
    Column("trigger", String(64), nullable=False),
    Column("from_state", String(64), nullable=True),
    Column("to_state", String(64), nullable=True),
    Column("actor", String(128), nullable=False),
    Column("happened_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("data", LargeBinary, nullable=False),  # sealed JSON
    Column("hash", String(64), nullable=False),  # chained to the case's previous event
    UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),  # sealed JSON
    Column("seq", Integer, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("happened_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    UniqueConstraint("case_id", "kind", "version", name="uq_documents_case_kind_version"),
)

timers = Table(
    "timers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_seq", Integer, nullable=False),
    Column("closed_seq", Integer, nullable=True),
    Column("remind_on", Json, nullable=False),
    Column("remind_from", Date, nullable=False),  # the first day a reminder may be due
    Index("ix_timers_status_due", "status", "due_on"),
    Index("ix_timers_status_remind", "status", "remind_from"),
    # A case's timers; with due_on, a region's overdue timers are counted from the index alone.
    Index("ix_timers_case_due", "case_id", "status", "due_on"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("actor", String(128), nullable=False),
    Column("action", String(96), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("seq", Integer, nullable=False),  # per case_id, from 1
    Column("hash", String(64), nullable=False),  # chained to the previous row of its case_id
    UniqueConstraint("case_id", "seq", name="uq_audit_case_seq"),
)

# The head of each case_id's audit chain (its last seq and hash), so that rows cut off the
# end show; its row is locked by each writer, so two writers cannot fork a chain.
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("key", String(64), nullable=False, unique=True),  # idempotency key (sha256 hex)
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("timer_id", Integer, ForeignKey("timers.id"), nullable=True),
    Column("state_entered_seq", Integer, nullable=True),  # for a step deadline
    Column("deadline", String(120), nullable=False),  # timer:<id> or step:<case>:<seq>
    Column("kind", String(64), nullable=False),  # timer kind, or step_overdue
    Column("stage", String(32), nullable=False),
    Column("role", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, failed, skipped
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(255), nullable=True),
    Column("claimed_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("last_error", String(200), nullable=True),
    Index("ix_outbox_due", "status", "next_attempt_at"),
)

# The last reminder stage planned per deadline (`timer:<id>` or `step:<case>:<seq>`): a pass
# writes outbox rows only when a deadline reaches a new stage, and a retried row whose stage
# has been overtaken is dropped instead of sent.
reminder_marks = Table(
    "reminder_marks",
    metadata,
    Column("deadline", String(120), primary_key=True),
    Column("stage", String(32), nullable=False),
    Column("planned_on", Date, nullable=False),
)

# -- who may do what --------------------------------------------------------------------------

# Shelters, partner organisations abroad and coordination regions. A shelter names its region.
organisations = Table(
    "organisations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # shelter, partner, region
    Column("name", String(200), nullable=False),
    Column("region", String(64), ForeignKey("organisations.id"), nullable=True),
    # A partner's entry on the social map (engine/socialmap), when it has one.
    Column("socialmap_id", String(64), nullable=True),
    Index("ix_organisations_region", "region"),
)

# People and systems, by id only (no names): a role at one organisation.
users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("organisation", String(64), ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),  # counsellor, coordinator, partner, admin
    Column("kind", String(8), nullable=False),  # person, system
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Bearer tokens, kept as SHA-256 digests only; `purpose` api or calendar (a feed URL's secret).
tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("label", String(100), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# Failed sign-ins counted per window, for the rate limit (engine/throttle.py). `key` is a
# SHA-256 digest of what was counted (a client address or a presented token's prefix), so no
# address or token part is kept in the clear; rows older than two windows are deleted.
auth_failures = Table(
    "auth_failures",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("window_start", UTCDateTime, primary_key=True),
    Column("failures", Integer, nullable=False),
    Index("ix_auth_failures_window", "window_start"),
)

# One live enrolment link per person: the link's secret as a SHA-256 digest, its expiry, when
# it was redeemed and who asked for it. A new link replaces the row (the old link stops working).
enrolments = Table(
    "enrolments",
    metadata,
    Column("user_id", String(64), ForeignKey("users.id"), primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("issuer", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
)

# -- the social map -----------------------------------------------------------------------------

# An administrator's additions to and corrections of the social map (engine/socialmap): the
# organisation's whole current record as JSON, one row per organisation, and whether it is
# retired. The shipped file (the book's reading) is never changed; these rows lie over it.
socialmap_entries = Table(
    "socialmap_entries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("data", Json, nullable=False),
    Column("retired", Boolean, nullable=False),
    Column("action", String(16), nullable=False),  # add, correct, retire, restore
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", String(128), nullable=False),
)

# -- encryption at rest ------------------------------------------------------------------------

# Each key that ever sealed data here, by id, with a check value that tells the right key from
# a wrong one at start. `retired_at` is set once `keys rotate` has moved every value off it:
# only then may it leave the key ring.
encryption_keys = Table(
    "encryption_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("check_value", String(32), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("retired_at", UTCDateTime, nullable=True),
)
