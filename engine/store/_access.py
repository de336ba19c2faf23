"""Organisations, users and tokens: the rows behind access decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from engine.errors import InvalidInput
from engine.store._audit import AuditEntry, append_audit
from engine.store._tables import enrolments, organisations, tokens, users

# The audit trail's case id for account actions (organisations, users, tokens, enrolment).
ACCOUNTS = "accounts"


class AccessRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_organisation(self, row: dict[str, Any]) -> None:
        self._insert(organisations, row, "organisation", row["id"])

    def organisations(self) -> list[dict[str, Any]]:
        query = select(organisations).order_by(organisations.c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def organisation(self, org_id: str) -> dict[str, Any] | None:
        found = self.conn.execute(select(organisations).where(organisations.c.id == org_id))
        row = found.mappings().first()
        return None if row is None else dict(row)

    def set_socialmap(self, org_id: str, socialmap_id: str | None) -> None:
        query = update(organisations).where(organisations.c.id == org_id)
        self.conn.execute(query.values(socialmap_id=socialmap_id))

    def organisation_names(self) -> list[str]:
        return [str(n) for n in self.conn.execute(select(organisations.c.name)).scalars()]

    def add_user(self, row: dict[str, Any]) -> None:
        self._insert(users, row, "user", row["id"])

    def users(self, organisation: str | None = None) -> list[dict[str, Any]]:
        query = select(users).order_by(users.c.id)
        if organisation is not None:
            query = query.where(users.c.organisation == organisation)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def user(self, user_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return None if row is None else dict(row)

    def set_active(self, user_id: str, active: bool) -> bool:
        result = self.conn.execute(update(users).where(users.c.id == user_id).values(active=active))
        return result.rowcount == 1

    def add_token(self, row: dict[str, Any]) -> int:
        return int(
            self.conn.execute(insert(tokens).values(**row).returning(tokens.c.id)).scalar_one()
        )

    def tokens(self, user_id: str) -> list[dict[str, Any]]:
        query = (
            select(tokens.c.id, tokens.c.user_id, tokens.c.purpose, tokens.c.label,
                   tokens.c.created_at, tokens.c.expires_at, tokens.c.revoked_at)
            .where(tokens.c.user_id == user_id)
            .order_by(tokens.c.id)
        )  # fmt: skip
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def revoke(
        self, token_id: int, now: datetime, user_id: str | None = None
    ) -> dict[str, Any] | None:
        """Revoke a token (only one of `user_id`'s when given); answers its user and purpose,
        None when no such token was live."""
        query = update(tokens).where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
        if user_id is not None:
            query = query.where(tokens.c.user_id == user_id)
        done = query.values(revoked_at=now).returning(tokens.c.user_id, tokens.c.purpose)
        row = self.conn.execute(done).mappings().first()
        return None if row is None else dict(row)

    def revoke_purpose(self, user_id: str, purpose: str, now: datetime) -> int:
        query = update(tokens).where(
            tokens.c.user_id == user_id, tokens.c.purpose == purpose, tokens.c.revoked_at.is_(None)
        )
        return self.conn.execute(query.values(revoked_at=now)).rowcount

    def revoke_secret(self, digest: str, purpose: str, now: datetime) -> str | None:
        """Revoke the live token of this purpose with this digest (a logout); answers its
        user, None when no such token was live."""
        query = update(tokens).where(
            tokens.c.digest == digest, tokens.c.purpose == purpose, tokens.c.revoked_at.is_(None)
        )
        found = self.conn.execute(query.values(revoked_at=now).returning(tokens.c.user_id))
        user_id = found.scalar()
        return None if user_id is None else str(user_id)

    def holder(self, digest: str, purpose: str, now: datetime) -> dict[str, Any] | None:
        """The active user a live token of this purpose belongs to, with her organisation."""
        query = (
            select(users.c.id, users.c.role, users.c.kind, users.c.organisation,
                   organisations.c.name.label("organisation_name"),
                   tokens.c.expires_at.label("token_expires_at"))
            .join(users, users.c.id == tokens.c.user_id)
            .join(organisations, organisations.c.id == users.c.organisation)
            .where(
                tokens.c.digest == digest,
                tokens.c.purpose == purpose,
                tokens.c.revoked_at.is_(None),
                or_(tokens.c.expires_at.is_(None), tokens.c.expires_at > now),
                and_(users.c.active.is_(True)),
            )
        )  # fmt: skip
        row = self.conn.execute(query).mappings().first()
        return None if row is None else dict(row)

    def audit_account(self, actor: str, action: str, at: datetime) -> None:
        """The one place an account action (organisation, user, token, enrolment,
        deactivation) enters the audit trail, under the case id `accounts`."""
        append_audit(self.conn, [AuditEntry(ACCOUNTS, actor, action[:96], at)])

    def replace_enrolment(self, row: dict[str, Any]) -> None:
        """Store a new enrolment link for a person; her previous one stops working."""
        self.conn.execute(delete(enrolments).where(enrolments.c.user_id == row["user_id"]))
        self.conn.execute(insert(enrolments).values(**row))

    def use_enrolment(self, digest: str, now: datetime) -> str | None:
        """Mark a live (unused, unexpired) link used; answers its person, None when no such
        link is live. Two redeemers at once: only one update matches."""
        query = (
            update(enrolments)
            .where(
                enrolments.c.digest == digest,
                enrolments.c.used_at.is_(None),
                enrolments.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(enrolments.c.user_id)
        )
        found = self.conn.execute(query).scalar()
        return None if found is None else str(found)

    def live_enrolment(self, digest: str, now: datetime) -> str | None:
        """The person a live link is for (None when unknown, used or expired); changes nothing."""
        query = select(enrolments.c.user_id).where(
            enrolments.c.digest == digest,
            enrolments.c.used_at.is_(None),
            enrolments.c.expires_at > now,
        )
        found = self.conn.execute(query).scalar()
        return None if found is None else str(found)

    def _insert(self, table: Any, row: dict[str, Any], what: str, key: str) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(table).values(**row))
        except IntegrityError:
            raise InvalidInput(
                f"cannot add the {what}", [f"id: {what} {key} exists already"]
            ) from None
