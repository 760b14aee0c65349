"""The monthly bulletin reads one snapshot: an import another process commits while the
bulletin is being read is in none of it (and in all of the next one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zsyz.app import scoring
from zsyz.domain.periods import parse_period
from zsyz.store.engine import open_ledger

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LATE = SAMPLES / "weekly" / "2022-W14-石佛寺镇.xlsx"  # imported while the bulletin reads


@pytest.fixture
def demo_but_one(db, cli):
    """The demo ledger without the last weekly report of 石佛寺镇."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    assert cli("targets", "import", str(SAMPLES / "目标任务分解表.xlsx")).code == 0
    weekly = sorted(p for p in (SAMPLES / "weekly").iterdir() if p.suffix in (".xlsx", ".xls"))
    result = cli("import", *[str(p) for p in weekly if p != LATE])
    assert result.code == 0, result.err
    return db


def _import_in_another_process(db: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zsyz", "import", str(LATE), "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_bulletin_equals_one_snapshot(demo_but_one, monkeypatch):
    db = demo_but_one
    period = parse_period("2022-Q2")
    before = scoring.bulletin_data(open_ledger(db), period)

    real_earlier = scoring.earlier
    imported: list[bool] = []

    def earlier_then_import(session, loaded, day):
        # Half the bulletin is read; another process now commits a weekly report.
        found = real_earlier(session, loaded, day)
        _import_in_another_process(db)
        imported.append(True)
        return found

    monkeypatch.setattr(scoring, "earlier", earlier_then_import)
    during = scoring.bulletin_data(open_ledger(db), period)
    monkeypatch.undo()
    after = scoring.bulletin_data(open_ledger(db), period)

    assert imported == [True]
    assert after != before  # the import does change the bulletin: project rows and alerts
    assert during == before  # yet the bulletin read meanwhile holds none of it
