"""The schema revision this code expects. A test keeps it equal to Alembic's head."""

HEAD_REVISION = "0004_agg_history_intervals"
