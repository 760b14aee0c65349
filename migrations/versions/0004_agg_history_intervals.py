"""project_update.valid_to: the interval each history row's value held (store/intervals.py)

Revision ID: 0004_agg_history_intervals
Revises: 0004_plan_drop_unused_indexes
Create Date: 2026-12-01 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_agg_history_intervals"
down_revision: str | None = "0004_plan_drop_unused_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# valid_to = the effective day of the next row of the same (project, field), by
# (effective_on, id); NULL for the latest. One window query (SQLite >= 3.33, PostgreSQL).
FILL = """UPDATE project_update SET valid_to = w.next_on
  FROM (SELECT id, LEAD(effective_on) OVER (
          PARTITION BY project_id, field ORDER BY effective_on, id) AS next_on
        FROM project_update) AS w
  WHERE w.id = project_update.id AND w.next_on IS NOT NULL"""


def upgrade() -> None:
    with op.batch_alter_table("project_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch_op.create_index(
            "ix_project_update_valid_to", ["valid_to", "effective_on"], unique=False
        )
    op.execute(FILL)


def downgrade() -> None:
    with op.batch_alter_table("project_update", schema=None) as batch_op:
        batch_op.drop_index("ix_project_update_valid_to")
        batch_op.drop_column("valid_to")
