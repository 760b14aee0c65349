"""Alembic environment: zsyz passes its own connection; SQLite migrates in batch mode."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import zsyz.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _render_item(type_: str, obj: object, autogen_context) -> str | bool:  # type: ignore[no-untyped-def]
    """Render zsyz's own column types importably; leave the rest to Alembic."""
    from zsyz.store.types import FixedDecimal

    if type_ == "type" and isinstance(obj, FixedDecimal):
        autogen_context.imports.add("import zsyz.store.types")
        return f"zsyz.store.types.{obj!r}"
    return False


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from zsyz.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(context.config.get_main_option("sqlalchemy.url")))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("zsyz migrations run online only: use `zsyz db upgrade`")
run_migrations_online()
