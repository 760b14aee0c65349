"""project.extra (columns kept as extra attributes) and import_batch.form (which form a
county summary is, so a 签约 export and a 在谈 export of one day are two reports)

Revision ID: 0003_i11_project_extra
Revises: 0003_c12_period_named
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_i11_project_extra"
down_revision: str | None = "0003_f15_manual_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra", sa.JSON(), nullable=True))
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("form")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("extra")
