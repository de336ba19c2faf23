"""The reminder outbox: rows written in the transaction that decides a reminder is due, and
claimed for delivery with row locks (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and a lease, so
several workers never take the same row and a crashed worker's rows come back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    cast,
    exists,
    literal,
    or_,
    select,
    update,
)

from engine.store._codec import Codec
from engine.store._tables import cases, outbox, reminder_marks, timers
from engine.store._upsert import insert_for

TIMER_DEADLINE = literal("timer:") + cast(timers.c.id, String)
STEP_DEADLINE = literal("step:") + cases.c.id + ":" + cast(cases.c.state_entered_seq, String)


# A reminder's deadline is still open, and a later stage has not overtaken it: the timer is
# pending, or the step is still the one it was about (same entry into it, case open).
_STILL_DUE = and_(
    ~exists().where(
        reminder_marks.c.deadline == outbox.c.deadline, reminder_marks.c.stage != outbox.c.stage
    ),
    or_(
        and_(
            outbox.c.timer_id.is_not(None),
            exists().where(timers.c.id == outbox.c.timer_id, timers.c.status == "pending"),
        ),
        and_(
            outbox.c.timer_id.is_(None),
            exists().where(
                cases.c.id == outbox.c.case_id,
                cases.c.closed.is_(False),
                cases.c.state_entered_seq == outbox.c.state_entered_seq,
            ),
        ),
    ),
)


# The delivery loop's statements, built once (bench/reminders.py): a held row, its lease
# renewed when still due, and its outcome.
_HELD_BY = and_(
    outbox.c.id == bindparam("row_id"),
    outbox.c.claimed_by == bindparam("worker"),
    outbox.c.claimed_until > bindparam("now"),
    outbox.c.status == "pending",
)
_HELD = select(outbox.c.id).where(_HELD_BY)
_RENEW = update(outbox).where(_HELD_BY, _STILL_DUE).values(claimed_until=bindparam("until"))
_MINE = and_(outbox.c.id == bindparam("row_id"), outbox.c.claimed_by == bindparam("worker"))
_RELEASED = {"claimed_by": None, "claimed_until": None, "last_error": bindparam("error"),
             "attempts": outbox.c.attempts + 1}  # fmt: skip
_FINISH = (
    update(outbox)
    .where(_MINE)
    .values(**_RELEASED, status=bindparam("new_status"), sent_at=bindparam("sent_at"))
)
_RETRY = update(outbox).where(_MINE).values(**_RELEASED, next_attempt_at=bindparam("retry_at"))


class OutboxRepository:
    def __init__(self, conn: Connection, codec: Codec) -> None:
        self.conn = conn
        self.codec = codec

    def timer_candidates(self, today: date) -> list[dict[str, Any]]:
        """Pending timers whose first reminder day has come (index: status, remind_from), with
        the deadline's name and the stage last planned for it."""
        query = (
            select(
                timers.c.id.label("timer_id"), timers.c.case_id, timers.c.kind,
                timers.c.due_on, timers.c.remind_on, cases.c.organisation, cases.c.counsellor,
                TIMER_DEADLINE.label("deadline"), reminder_marks.c.stage.label("planned_stage"),
            )
            .join(cases, cases.c.id == timers.c.case_id)
            .outerjoin(reminder_marks, reminder_marks.c.deadline == TIMER_DEADLINE)
            .where(timers.c.status == "pending", timers.c.remind_from <= today)
        )  # fmt: skip
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def step_candidates(self, today: date) -> list[dict[str, Any]]:
        """Open cases whose current step is past its expected end, with the stage last planned."""
        query = (
            select(
                cases.c.id.label("case_id"), cases.c.state, cases.c.state_entered_seq,
                cases.c.step_due_on.label("due_on"), cases.c.organisation, cases.c.counsellor,
                STEP_DEADLINE.label("deadline"), reminder_marks.c.stage.label("planned_stage"),
            )
            .outerjoin(reminder_marks, reminder_marks.c.deadline == STEP_DEADLINE)
            .where(cases.c.closed.is_(False), cases.c.step_due_on < today)
        )  # fmt: skip
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def add(self, rows: list[dict[str, Any]]) -> int:
        """Insert reminders; one whose key exists already is left alone. Returns how many new."""
        if not rows:
            return 0
        stmt = insert_for(self.conn)(outbox).on_conflict_do_nothing(index_elements=["key"])
        stmt = stmt.returning(outbox.c.id)
        ordered = sorted(rows, key=lambda r: str(r["key"]))  # same lock order in every worker
        return len(self.conn.execute(stmt, ordered).all())

    def mark(self, planned: dict[str, str], today: date) -> None:
        """Remember the stage planned per deadline; an older pass (`--at` in the past) never
        overwrites a newer one."""
        if not planned:
            return
        stmt = insert_for(self.conn)(reminder_marks)
        stmt = stmt.on_conflict_do_update(
            index_elements=["deadline"],
            set_={"stage": stmt.excluded.stage, "planned_on": stmt.excluded.planned_on},
            where=reminder_marks.c.planned_on <= stmt.excluded.planned_on,
        )
        rows = [{"deadline": d, "stage": planned[d], "planned_on": today} for d in sorted(planned)]
        self.conn.execute(stmt, rows)

    def claim(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[dict[str, Any]]:
        """Take up to `limit` deliverable rows for `worker` until `until`."""
        wanted = self._deliverable(now).limit(limit)
        return self._take(list(self.conn.execute(wanted).scalars()), worker, until)

    def claim_recipient(
        self, worker: str, channel: str, recipient: str, now: datetime, until: datetime
    ) -> list[dict[str, Any]]:
        """Take every deliverable row for one recipient (her daily digest), those `worker`
        holds already included."""
        wanted = self._deliverable(
            now, outbox.c.channel == channel, outbox.c.recipient == recipient, held_by=worker
        )
        return self._take(list(self.conn.execute(wanted).scalars()), worker, until)

    def _deliverable(self, now: datetime, *where: Any, held_by: str | None = None) -> Any:
        """The ids of rows due now that no other worker holds (rows locked by another
        transaction are passed over on PostgreSQL), oldest first."""
        free = [outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now]
        if held_by is not None:
            free.append(outbox.c.claimed_by == held_by)
        wanted = (
            select(outbox.c.id)
            .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now, or_(*free))
            .where(*where)
            .order_by(outbox.c.id)
        )
        if self.conn.dialect.name == "postgresql":
            wanted = wanted.with_for_update(skip_locked=True)
        return wanted

    def _take(self, ids: list[int], worker: str, until: datetime) -> list[dict[str, Any]]:
        if not ids:
            return []
        self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(claimed_by=worker, claimed_until=until)
        )
        rows = self.conn.execute(
            select(
                outbox, cases.c.client_ref, cases.c.organisation, cases.c.counsellor,
                cases.c.state,
            )
            .join(cases, cases.c.id == outbox.c.case_id)
            .where(outbox.c.id.in_(ids))
            .order_by(outbox.c.id)
        )  # fmt: skip
        found = [dict(r) for r in rows.mappings()]
        for row in found:
            row["client_ref"] = self.codec.client_ref_of(row["case_id"], row["client_ref"])
        return found

    def sent_since(self, channel: str, recipient: str, since: datetime) -> bool:
        """Whether a reminder went to this recipient at or after `since`."""
        query = select(outbox.c.id).where(
            outbox.c.channel == channel,
            outbox.c.recipient == recipient,
            outbox.c.status == "sent",
            outbox.c.sent_at >= since,
        )
        return self.conn.execute(query.limit(1)).first() is not None

    def listing(self, status: str, limit: int) -> list[dict[str, Any]]:
        """Reminders by delivery status, newest first: `failed`, `retrying` (pending after a
        failed attempt), `problems` (both), `pending`, `sent` or `skipped`."""
        conditions = {
            "failed": outbox.c.status == "failed",
            "retrying": and_(outbox.c.status == "pending", outbox.c.attempts > 0),
            "pending": outbox.c.status == "pending",
            "sent": outbox.c.status == "sent",
            "skipped": outbox.c.status == "skipped",
        }
        conditions["problems"] = or_(conditions["failed"], conditions["retrying"])
        query = (
            select(
                outbox.c.id, outbox.c.case_id, cases.c.organisation, outbox.c.kind,
                outbox.c.stage, outbox.c.role, outbox.c.channel, outbox.c.recipient,
                outbox.c.due_on, outbox.c.status, outbox.c.attempts, outbox.c.next_attempt_at,
                outbox.c.sent_at, outbox.c.last_error,
            )
            .join(cases, cases.c.id == outbox.c.case_id)
            .where(conditions[status])
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )  # fmt: skip
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def requeue(self, ids: list[int], now: datetime) -> list[int]:
        """Give failed reminders a fresh round of attempts from now; returns the ids taken."""
        result = self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), outbox.c.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now)
            .returning(outbox.c.id)
        )
        return sorted(result.scalars())

    def renew_if_due(self, row: dict[str, Any], worker: str, now: datetime, until: datetime) -> str:
        """Just before sending: extend `worker`'s lease on the row if it still holds it and
        the deadline is still open and at the reminder's stage, in one statement. Answers
        "send", "skip" (held, but the deadline was met or moved on: drop it) or "lost" (another
        worker has it now: leave it alone)."""
        key = {"row_id": row["id"], "worker": worker, "now": now}
        if self.conn.execute(_RENEW, {**key, "until": until}).rowcount == 1:
            return "send"
        return "skip" if self.conn.execute(_HELD, key).first() is not None else "lost"

    def finish(
        self,
        row_id: int,
        worker: str,
        *,
        status: str,
        now: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> bool:
        """Record the outcome, if `worker` still holds the row. Returns whether it did."""
        key = {"row_id": row_id, "worker": worker, "error": error}
        if status == "retry":
            assert retry_at is not None
            result = self.conn.execute(_RETRY, {**key, "retry_at": retry_at})
        else:
            sent_at = now if status == "sent" else None
            result = self.conn.execute(_FINISH, {**key, "new_status": status, "sent_at": sent_at})
        return result.rowcount == 1
