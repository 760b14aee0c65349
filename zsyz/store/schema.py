"""The schema revision this code expects. A test keeps it equal to Alembic's head."""

HEAD_REVISION = "0004_plan_drop_unused_indexes"
