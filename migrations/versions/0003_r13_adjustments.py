"""adjustment: points added or taken by hand (zsyz adjust), with reason and evidence

Revision ID: 0003_r13_adjustments
Revises: 0003_f15_manual_changes
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import zsyz.store.types

revision: str = "0003_r13_adjustments"
down_revision: str | None = "0003_i11_project_extra"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("points", zsyz.store.types.FixedDecimal(4), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.Column("flag", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("adjustment", schema=None) as batch_op:
        batch_op.create_index("ix_adjustment_unit_id", ["unit_id"], unique=False)
        batch_op.create_index("ix_adjustment_year", ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("adjustment", schema=None) as batch_op:
        batch_op.drop_index("ix_adjustment_year")
        batch_op.drop_index("ix_adjustment_unit_id")
    op.drop_table("adjustment")
