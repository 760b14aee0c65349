"""Shared fixtures: a fresh ledger, the CLI run in-process, workbooks built on the fly."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from zsyz.cli.app import run

pytest_plugins = ["tests.pg"]  # ZSYZ_TEST_PG: the suite on PostgreSQL (tests/pg.py)

# parsed policies are cached per user (zsyz/policy/cache.py): tests keep theirs apart
os.environ.setdefault("ZSYZ_CACHE_DIR", __import__("tempfile").mkdtemp(prefix="zsyz-cache-"))


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., Result]:
    """Run `zsyz ARGS` in-process through the real entry point (error mapping included)."""

    def invoke(*args: str) -> Result:
        capsysbinary.readouterr()
        code = run([str(a) for a in args])
        captured = capsysbinary.readouterr()
        return Result(code, captured.out.decode("utf-8"), captured.err.decode("utf-8"))

    return invoke


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A path for a new ledger; ZSYZ_DB points at it so commands need no --db.

    With ZSYZ_TEST_PG set, the URL of a fresh PostgreSQL database instead."""
    from tests.pg import admin_url, fresh_database

    if (admin := admin_url()) is not None:
        with fresh_database(admin) as url:
            monkeypatch.setenv("ZSYZ_DB", url)
            yield url
        return
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("ZSYZ_DB", str(path))
    yield str(path)


@pytest.fixture(scope="session")
def template_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite ledger migrated by Alembic once per worker, copied for each test that
    wants an empty one (running the migrations costs ~1 s a test on a loaded machine)."""
    from zsyz.store.lifecycle import create_ledger

    path = tmp_path_factory.mktemp("template") / "ledger.db"
    ledger = create_ledger(str(path))
    ledger.engine.dispose()  # checkpointed: the whole ledger is in the one file
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def ledger_db(db: str, cli: Callable[..., Result], request: pytest.FixtureRequest) -> str:
    """An initialised, empty ledger (no policy): a copy of the template on SQLite, a fresh
    `zsyz init` on PostgreSQL."""
    if "://" not in db:
        import shutil

        shutil.copyfile(request.getfixturevalue("template_ledger"), db)
        return db
    result = cli("init")
    assert result.code == 0, result.err
    return db


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "Sheet1",
    merges: Sequence[str] = (),
    before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
) -> Path:
    """A workbook whose sheet `title` holds `rows`; `before` adds sheets ahead of it."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    sheets = [*before, (title, rows)]
    for i, (name, content) in enumerate(sheets):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        for row in content:
            ws.append(list(row))
    for rng in merges:
        wb[title].merge_cells(rng)
    wb.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(10_000))

    def make(rows: Sequence[Sequence[Any]], name: str | None = None, **kw: Any) -> Path:
        return write_xlsx(tmp_path / (name or f"book{next(counter)}.xlsx"), rows, **kw)

    return make


SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# Two cores shared by many processes: a property test's time says nothing about it, so no
# deadline and no "too slow" health check, unless a test sets its own.
settings.register_profile(
    "loaded",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "loaded"))
os.environ.setdefault("ZSYZ_BUSY_TIMEOUT_MS", "5000")
