"""Second hostile round: odd paths as input files and as the ledger.

Folders, pipes, devices, dangling and looping symlinks and empty files are refused by
their stat, with one Chinese line and no traceback; a pipe is never opened (it would
block), and an empty file named as the ledger is left empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

READERS = [("units", "import"), ("targets", "import"), ("activities", "import")]


def _odd_inputs(tmp_path: Path) -> dict[str, Path]:
    made = {
        "folder": tmp_path / "文件夹.xlsx",
        "fifo": tmp_path / "管道.xlsx",
        "dangling": tmp_path / "悬空.xlsx",
        "loop": tmp_path / "循环.xlsx",
        "device": tmp_path / "设备.xlsx",
    }
    made["folder"].mkdir()
    os.mkfifo(made["fifo"])
    os.symlink(tmp_path / "nowhere", made["dangling"])
    os.symlink(made["loop"].name, made["loop"])
    os.symlink("/dev/zero", made["device"])
    return made


def _one_chinese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "内部错误" not in err and "Errno" not in err, err


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_readers_refuse_odd_paths(command, cli, ledger_db, tmp_path: Path) -> None:
    for kind, path in _odd_inputs(tmp_path).items():
        result = cli(*command, path)
        assert result.code == 65, (kind, result.err)
        _one_chinese_line(result.err)
        want = {
            "folder": "是文件夹",
            "fifo": "不是普通文件",
            "device": "不是普通文件",
            "dangling": "文件不存在",
            "loop": "符号链接循环",
        }[kind]
        assert want in result.err, (kind, result.err)


def test_import_of_a_pipe_does_not_block(ledger_db, tmp_path: Path) -> None:
    """A real process: hashing or sniffing a FIFO would wait forever for a writer."""
    fifo = tmp_path / "周报.xlsx"
    os.mkfifo(fifo)
    for args in (["units", "import", str(fifo)], ["import", "--format", "json", str(fifo)]):
        done = subprocess.run(
            [sys.executable, "-m", "zsyz", "--db", ledger_db, *args],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode in (2, 65), done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "empty"])
def test_odd_ledger_paths_refused_one_line(kind, cli, tmp_path: Path) -> None:
    place = tmp_path / "台账.db"
    if kind == "folder":
        place.mkdir()
    elif kind == "fifo":
        os.mkfifo(place)
    elif kind == "device":
        place.symlink_to("/dev/null")
    else:
        place.write_bytes(b"")
    for args in (["progress"], ["imports", "list"], ["db", "current"]):
        result = cli("--db", place, *args)
        assert result.code == 1, (kind, args, result.err)
        _one_chinese_line(result.err)
        assert "台账" in result.err
    if kind == "empty":
        assert place.stat().st_size == 0  # never turned into a database
        assert not Path(f"{place}-wal").exists()
