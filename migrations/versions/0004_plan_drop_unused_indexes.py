"""drop the project indexes no query uses (each costs every inserted project)

No query of zsyz filters, joins or sorts projects by category, chain, signed_on,
started_on, last_reported_on, stage, credit_code or norm_name: every reader loads the
projects and decides in Python (EXPLAIN QUERY PLAN of every statement the commands run on
the demo ledger used none of them). Creating 38,000 projects kept them up to date for
about 13% of the inserts' CPU time.

Revision ID: 0004_plan_drop_unused_indexes
Revises: 0003_r13_adjustments
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_plan_drop_unused_indexes"
down_revision: str | None = "0003_r13_adjustments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "category",
    "chain",
    "signed_on",
    "started_on",
    "last_reported_on",
    "stage",
    "credit_code",
    "norm_name",
)


def upgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_project_{column}", table_name="project")


def downgrade() -> None:
    for column in COLUMNS:
        op.create_index(f"ix_project_{column}", "project", [column], unique=False)
