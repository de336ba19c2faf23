"""indexes for the overdue list of a region: cases by organisation, timers by case and due day

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

With 100,000 open cases, counting a region's overdue items read every pending timer (127 ms
on PostgreSQL); with these it reads the region's cases and their timers' index entries (18 ms).
The README's operations section shows both plans.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_organisation", ["organisation", "closed", "step_due_on"], unique=False
        )
    with op.batch_alter_table("timers", schema=None) as batch_op:
        batch_op.create_index("ix_timers_case_due", ["case_id", "status", "due_on"], unique=False)
        batch_op.drop_index("ix_timers_case")


def downgrade() -> None:
    with op.batch_alter_table("timers", schema=None) as batch_op:
        batch_op.create_index("ix_timers_case", ["case_id", "status"], unique=False)
        batch_op.drop_index("ix_timers_case_due")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_organisation")
