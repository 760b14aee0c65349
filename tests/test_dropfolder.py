"""One drop folder, several runs: each file claimed before it is imported (imported once,
a file another run took is skipped); --move-to failing after the commit leaves the file
where it was and says so; annotated copies never overwrite each other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import query

HEAD = ["项目名称", "投资方", "总投资（万元）", "项目阶段"]
UNITS = ["石佛寺镇", "晁陂镇", "贾宋镇", "侯集镇", "雪枫街道", "涅阳街道"]


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def weekly(folder: Path, unit: str, day: str, name: str, *, bad: bool = False) -> Path:
    row = [f"{unit}{day}项目", f"{unit}{day}公司", "很多" if bad else 100, "洽谈"]
    lines = [[f"填报单位：{unit}", None, f"填报日期：{day}"], HEAD, row]
    return write_xlsx(folder / name, lines)


@pytest.mark.slow
@pytest.mark.sqlite_only(reason="four real processes on one ledger file")
def test_four_runs_over_one_folder_import_each_file_once(ledger, tmp_path):
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    for i, unit in enumerate(UNITS):
        for day in ("2022-03-11", "2022-03-18"):
            weekly(inbox, unit, day, f"{i}-{day}.xlsx")
    env = {**os.environ, "ZSYZ_DB": ledger, "ZSYZ_BUSY_TIMEOUT_MS": "60000"}
    args = [sys.executable, "-m", "zsyz", "import", str(inbox), "--move-to", str(archive)]
    runs = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    for code, _out, err in results:
        assert code == 0 and "Traceback" not in err, err
    batches = query(ledger, "SELECT file_name, status FROM import_batch")
    assert sorted(f for f, _ in batches) == sorted(p.name for p in archive.iterdir())
    assert len(batches) == 12 and {s for _, s in batches} == {"imported"}
    assert list(inbox.iterdir()) == []  # no claims folder left behind


def test_a_file_another_run_took_is_skipped(ledger, cli, tmp_path, monkeypatch):
    from zsyz.io import dropfolder

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    taken = weekly(inbox, "石佛寺镇", "2022-03-11", "a.xlsx")
    kept = weekly(inbox, "晁陂镇", "2022-03-11", "b.xlsx")
    real = dropfolder.claim

    def race(path: Path) -> Path | None:
        if path.name == "a.xlsx":
            taken.unlink()  # another run renamed it a moment ago
        return real(path)

    monkeypatch.setattr(dropfolder, "claim", race)
    result = cli("import", str(inbox), "--move-to", str(tmp_path / "done"), "--format", "json")
    assert result.code == 0, result.err
    assert [Path(o["file"]).name for o in result.json()] == ["b.xlsx"]
    assert "跳过" in result.err and "a.xlsx" in result.err
    assert (tmp_path / "done" / "b.xlsx").exists() and not kept.exists()


def test_move_failing_after_the_commit_leaves_the_file_and_says_so(ledger, cli, tmp_path):
    path = weekly(tmp_path, "石佛寺镇", "2022-03-11", "a.xlsx")
    blocker = tmp_path / "archive"
    blocker.write_text("a file where a folder should be")
    result = cli("import", str(path), "--move-to", str(blocker / "sub"), "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert out["status"] == "imported"
    assert any("未能移入" in w and "文件仍在原处" in w for w in out["warnings"])
    assert path.exists() and not (tmp_path / ".zsyz-claimed").exists()
    assert query(ledger, "SELECT count(*) FROM import_batch") == [(1,)]


def test_move_to_onto_a_file_is_refused_before_importing(ledger, cli, tmp_path):
    path = weekly(tmp_path, "石佛寺镇", "2022-03-11", "a.xlsx")
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    result = cli("import", str(path), "--move-to", str(target))
    assert result.code == 2 and "不是目录" in result.err
    assert path.exists() and query(ledger, "SELECT count(*) FROM import_batch") == [(0,)]


def test_annotated_copies_of_two_units_files_of_one_name_both_stay(ledger, cli, tmp_path):
    archive = tmp_path / "archive"
    for unit in ("石佛寺镇", "晁陂镇"):
        inbox = tmp_path / unit
        inbox.mkdir()
        weekly(inbox, unit, "2022-03-11", "周报.xlsx", bad=True)
        assert cli("import", str(inbox), "--move-to", str(archive)).code == 65
    copies = sorted(p.name for p in (archive / "rejected").glob("*.错误标注.xlsx"))
    assert len(copies) == 2 and "石佛寺镇" in copies[1] + copies[0] and "晁陂镇" in copies[0]
    assert len(list((archive / "rejected").glob("周报*.xlsx"))) == 4  # two files, two copies


def test_ctrl_c_reports_what_was_done_and_puts_the_file_back(ledger, cli, tmp_path, monkeypatch):
    import zsyz.app.imports as imports

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    weekly(inbox, "石佛寺镇", "2022-03-11", "1.xlsx")
    second = weekly(inbox, "晁陂镇", "2022-03-11", "2.xlsx")
    real = imports.import_file

    def interrupted(ledger, path, request):  # type: ignore[no-untyped-def]
        if path.name == "2.xlsx":
            raise KeyboardInterrupt
        return real(ledger, path, request)

    monkeypatch.setattr(imports, "import_file", interrupted)
    result = cli("import", str(inbox), "--move-to", str(tmp_path / "done"), "--format", "json")
    assert result.code == 130
    assert [o["status"] for o in result.json()] == ["imported"]
    assert "已中断" in result.err and "1 个文件已处理" in result.err
    assert second.exists() and (tmp_path / "done" / "1.xlsx").exists()
