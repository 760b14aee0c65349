"""manual changes: batch kind/reason/operator, ledger_change, unit.retired_on,
project.credit_code and merged_into_id, dupe_dismissal

Revision ID: 0003_f15_manual_changes
Revises: 0003_c12_period_named
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_f15_manual_changes"
down_revision: str | None = "0003_c12_period_named"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", text(length=16), nullable=False, server_default="import")
        )
        batch_op.add_column(sa.Column("reason", text(length=400), nullable=True))
        batch_op.add_column(sa.Column("operator", text(length=100), nullable=True))
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_code", text(length=18), nullable=True))
        batch_op.create_index(batch_op.f("ix_project_credit_code"), ["credit_code"], unique=False)
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_project_merged_into_id_project",
            "project",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "ledger_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entity", text(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", text(length=40), nullable=False),
        sa.Column("old_value", text(), nullable=True),
        sa.Column("new_value", text(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_change_batch_id"), ["batch_id"], unique=False)
    op.create_table(
        "dupe_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_a_id", sa.Integer(), nullable=False),
        sa.Column("project_b_id", sa.Integer(), nullable=False),
        sa.Column("operator", text(length=100), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_a_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_b_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_a_id", "project_b_id", name="uq_dupe_pair"),
    )
    with op.batch_alter_table("dupe_dismissal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dupe_dismissal_project_b_id"), ["project_b_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("dupe_dismissal")
    op.drop_table("ledger_change")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint("fk_project_merged_into_id_project", type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_index(batch_op.f("ix_project_credit_code"))
        batch_op.drop_column("credit_code")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_column("retired_on")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("operator")
        batch_op.drop_column("reason")
        batch_op.drop_column("kind")
