"""One answer to "is this file unchanged?": the stdlib fast path (cron's re-run) and the
import's own check in SQLAlchemy run the same SQL and give the same outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from zsyz.app.imports import find_unchanged
from zsyz.app.outcome import file_sha256, unchanged_file
from zsyz.store.engine import open_ledger

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.sqlite_only(reason="the fast path reads SQLite files with sqlite3")
def test_fast_path_and_import_agree(db, cli, tmp_path):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    report = SAMPLES / "weekly" / "2022-W10-石佛寺镇.xlsx"
    other = SAMPLES / "weekly" / "2022-W10-商务局.xlsx"
    assert unchanged_file(db, report) is None
    assert cli("import", str(report)).code == 0

    fast = unchanged_file(db, report)
    slow = find_unchanged(open_ledger(db), file_sha256(report))
    assert fast is not None and slow is not None
    assert (fast.status, fast.import_id, fast.unit, fast.period, fast.rows) == (
        slow.status,
        slow.import_id,
        slow.unit,
        slow.period,
        slow.rows,
    )
    assert (fast.status, fast.unit, fast.period) == ("unchanged", "石佛寺镇", "2022-W10")
    assert unchanged_file(db, other) is None
    assert find_unchanged(open_ledger(db), file_sha256(other)) is None
    assert unchanged_file(db, tmp_path / "missing.xlsx") is None  # unreadable: import decides
