"""the social map's maintained entries, and a partner organisation's link to its entry

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

The shipped social map (the book's Bijlagen 11-14) is a file in the package; an
administrator's additions, corrections and retirements are rows laid over it. A partner
organisation in the accounts may point at its entry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "socialmap_entries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("socialmap_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("socialmap_id")
    op.drop_table("socialmap_entries")
