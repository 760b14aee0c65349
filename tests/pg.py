"""Running the suite against PostgreSQL: a pytest plugin loaded from conftest.

Give an admin URL in ZSYZ_TEST_PG (e.g. the one `scripts/pg-throwaway.sh start` prints)
and the `db` fixture yields a fresh PostgreSQL database per test instead of a SQLite
file; tests marked `sqlite_only` (files, PRAGMAs, `db backup`, ./zsyz.db) are skipped
there with the reason. Without ZSYZ_TEST_PG, `pg_url` tests skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

ADMIN_ENV = "ZSYZ_TEST_PG"


def admin_url() -> str | None:
    raw = os.environ.get(ADMIN_ENV, "").strip()
    if not raw:
        return None
    from zsyz.store.engine import resolve_url

    return resolve_url(raw)


def on_postgres() -> bool:
    """True when this test run puts every ledger on PostgreSQL."""
    return admin_url() is not None


@contextmanager
def fresh_database(admin: str) -> Iterator[str]:
    """CREATE DATABASE a uniquely named database, yield its URL, DROP it afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"zsyz_t_{worker}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin).set(database=name).render_as_string(hide_password=False)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about SQLite itself; skipped on PostgreSQL"
    )


def pytest_report_header(config: pytest.Config) -> str:
    admin = admin_url()
    if admin is None:
        return f"zsyz ledgers: SQLite (set {ADMIN_ENV} to run against PostgreSQL)"
    from zsyz.store.engine import describe

    return f"zsyz ledgers: PostgreSQL via {describe(admin)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgres():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why or 'about SQLite'}"))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (skips when no server was given)."""
    admin = admin_url()
    if admin is None:
        pytest.skip(f"no PostgreSQL server: set {ADMIN_ENV} (scripts/pg-throwaway.sh start)")
    with fresh_database(admin) as url:
        yield url
