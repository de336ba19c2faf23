"""The administrator's changes to the social map: one row per organisation added or changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from engine.store._audit import AuditEntry, append_audit
from engine.store._tables import socialmap_entries

# The audit trail's case id for changes to the social map.
SOCIALMAP = "socialmap"


class SocialMapRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def changes(self) -> list[dict[str, Any]]:
        """Every changed organisation's current record, oldest change first."""
        query = select(socialmap_entries).order_by(
            socialmap_entries.c.changed_at, socialmap_entries.c.id
        )
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def put(
        self, data: dict[str, Any], *, retired: bool, action: str, actor: str, at: datetime
    ) -> None:
        """Store an organisation's new record and write the change to the audit trail, in
        the same transaction."""
        self.conn.execute(delete(socialmap_entries).where(socialmap_entries.c.id == data["id"]))
        self.conn.execute(
            insert(socialmap_entries).values(
                id=data["id"], data=data, retired=retired, action=action,
                changed_at=at, changed_by=actor,
            )
        )  # fmt: skip
        append_audit(
            self.conn, [AuditEntry(SOCIALMAP, actor, f"socialmap:{action}:{data['id']}", at)]
        )
