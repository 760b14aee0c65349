"""project_update(effective_on, project_id) index: which projects changed after a day

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project_update", schema=None) as batch_op:
        batch_op.create_index(
            "ix_project_update_effective_on", ["effective_on", "project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_update", schema=None) as batch_op:
        batch_op.drop_index("ix_project_update_effective_on")
