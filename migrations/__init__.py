"""Alembic migrations, shipped inside the package as zsyz.migrations."""
