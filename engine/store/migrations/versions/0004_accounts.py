"""enrolment links; hand-over partners named by organisation id instead of display name

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

A case's hand-over partner (`cases.facts.handover_partner`) and the client's consent
(`documents` of kind consent, `partner_organisation`) used to hold free text, matched against
organisation names when a partner asked for the case. Each value that is already an
organisation id stays; a value whose case- and space-folded form matches the name of exactly one
organisation, a partner, becomes its id; anything else is kept unchanged and reported as a
`partner_not_mapped` warning (init-db prints it), never guessed. Such a case is then shown to no
partner until a counsellor records a consent naming the partner by its id. The events keep what
was typed then: they are the history.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from engine.logs import get_logger

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = get_logger("engine.migrations")
_JSON: Any = sa.JSON().with_variant(JSONB(), "postgresql")
_cases = sa.table("cases", sa.column("id", sa.String), sa.column("facts", _JSON))
_documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("data", _JSON),
)
_organisations = sa.table(
    "organisations",
    sa.column("id", sa.String),
    sa.column("kind", sa.String),
    sa.column("name", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "enrolments",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("digest"),
    )
    conn = op.get_bind()
    resolve = _resolver(conn)
    for case_id, facts in conn.execute(sa.select(_cases.c.id, _cases.c.facts)).all():
        value = (facts or {}).get("handover_partner")
        mapped = resolve(value, case_id, "handover_partner")
        if mapped is not None and mapped != value:
            new = {**facts, "handover_partner": mapped}
            conn.execute(_cases.update().where(_cases.c.id == case_id).values(facts=new))
    consents = sa.select(_documents.c.id, _documents.c.case_id, _documents.c.data).where(
        _documents.c.kind == "consent"
    )
    for doc_id, case_id, data in conn.execute(consents).all():
        value = (data or {}).get("partner_organisation")
        mapped = resolve(value, case_id, "consent.partner_organisation")
        if mapped is not None and mapped != value:
            new = {**data, "partner_organisation": mapped}
            conn.execute(_documents.update().where(_documents.c.id == doc_id).values(data=new))


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _resolver(conn: sa.Connection) -> Any:
    """A function from a stored partner value to the organisation id it names (None: leave it),
    reporting each value that names no single partner organisation."""
    orgs = conn.execute(
        sa.select(_organisations.c.id, _organisations.c.kind, _organisations.c.name)
    )
    kinds = {}
    by_name: dict[str, list[str]] = {}
    for org_id, kind, name in orgs.all():
        kinds[org_id] = kind
        by_name.setdefault(_fold(name), []).append(org_id)

    def resolve(value: object, case_id: str, where: str) -> str | None:
        if value is None:
            return None
        text = str(value)
        if kinds.get(text) == "partner":
            return text
        found = by_name.get(_fold(text), [])
        if len(found) == 1 and kinds[found[0]] == "partner":
            return found[0]
        why = (
            f"{len(found)} organisations have this name" if len(found) > 1
            else "the organisation of this name is not a partner" if found
            else "no organisation has this id or name"
        )  # fmt: skip
        log.warning("partner_not_mapped", case_id=case_id, field=where, value=text, reason=why)
        return None

    return resolve


def downgrade() -> None:
    op.drop_table("enrolments")
