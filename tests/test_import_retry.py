"""An import run again after a write conflict plans from the file again.

Planning releases each parsed row as it goes (a 50,000-row report is not held twice), so
the retry PostgreSQL asks for must read the file anew; it must end in the same ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import logical_dump
from zsyz.errors import LedgerConflictError

HEAD = ["项目名称", "投资方", "总投资（万元）", "到位资金", "项目阶段", "签约日期"]
ROWS = [
    ["玉雕产业园", "玉都实业", 26000, 3000, "已签约", "2022-03-08"],
    ["电商基地", "云播科技", 6000, None, "洽谈", None],
]


def _report(tmp_path: Path) -> Path:
    lines = [["项目周报"], ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"], HEAD, *ROWS]
    return write_xlsx(tmp_path / "周报.xlsx", lines)


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def test_an_import_that_conflicts_once_is_planned_again_from_the_file(
    ledger, cli, tmp_path, monkeypatch
):
    import zsyz.app.imports as imports
    import zsyz.store.retry as retry

    path = _report(tmp_path)
    real_write = imports._write
    real_parse = imports.parse_weekly
    writes: list[int] = []
    parses: list[int] = []

    def conflicting_once(*args, **kwargs):
        writes.append(1)
        if len(writes) == 1:
            raise LedgerConflictError("台账 x 上的写入与其他进程冲突，已放弃；请稍后重试")
        return real_write(*args, **kwargs)

    def counted_parse(*args, **kwargs):
        parses.append(1)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(imports, "_write", conflicting_once)
    monkeypatch.setattr(imports, "parse_weekly", counted_parse)
    monkeypatch.setattr(retry, "backoff", lambda attempt: 0.0)
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert (out["status"], out["rows"], out["created"]) == ("imported", 2, 2)
    assert (len(writes), len(parses)) == (2, 2)
    retried = logical_dump(ledger)

    monkeypatch.setattr(imports, "_write", real_write)
    assert cli("imports", "undo", str(out["import_id"])).code == 0  # PostgreSQL may skip ids
    assert cli("import", str(path), "--format", "json").code == 0  # no conflict this time
    plain = logical_dump(ledger)
    # Same projects, roles and history; only the batches differ (one undone, one live).
    for table in ("project", "project_role", "project_update"):
        assert retried[table] == plain[table], table
